// The peer: Discord's minimal HTTP-interactions app in the style of its getting-started guide
// (express + discord-interactions' verifyKeyMiddleware). Benchmarked beside the bot by run.sh.
import express from 'express';
import {
  InteractionResponseType,
  InteractionType,
  verifyKeyMiddleware,
} from 'discord-interactions';

const PUBLIC_KEY = process.env.PUBLIC_KEY;
const PORT = Number(process.env.PORT || 3000);
const HOST = process.env.HOST || '127.0.0.1';

if (!PUBLIC_KEY) {
  console.error('PUBLIC_KEY is required (64 hex characters)');
  process.exit(2);
}

const app = express();

// No body parser before verifyKeyMiddleware: it must see the raw bytes that were signed.
// It answers PING with PONG and 401s bad signatures itself.
app.post('/interactions', verifyKeyMiddleware(PUBLIC_KEY), (req, res) => {
  const { type, data } = req.body;

  if (type === InteractionType.APPLICATION_COMMAND && data.name === 'explain') {
    return res.send({
      type: InteractionResponseType.CHANNEL_MESSAGE_WITH_SOURCE,
      data: { content: 'A closure is a function that remembers the variables of the scope it was created in.' },
    });
  }

  console.error(`unknown interaction: type ${type}, command ${data?.name}`);
  return res.status(400).json({ error: 'unknown command' });
});

app.listen(PORT, HOST, () => {
  console.log(`peer listening on http://${HOST}:${PORT}`);
});
