// The peer: Slack's minimal Bolt for JavaScript app in the style of its getting-started guide: the default
// HTTPReceiver (verifies the v0 signature, serves POST /slack/events), or Socket Mode when SOCKET_MODE=1.
// Benchmarked beside the bot by run.sh.
const { App, LogLevel } = require('@slack/bolt');

const PORT = Number(process.env.PORT || 3000);
const HOST = process.env.HOST || '127.0.0.1';
const socketMode = process.env.SOCKET_MODE === '1';
// There is no Slack here: every Web API call goes to the loopback stub or fake.
const clientOptions = { slackApiUrl: process.env.SLACK_API_URL };

const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  ...(socketMode
    ? { socketMode: true, appToken: process.env.SLACK_APP_TOKEN, installerOptions: { clientOptions } }
    : { signingSecret: process.env.SLACK_SIGNING_SECRET }),
  // Token verification stays on (the default): Bolt then calls auth.test once at start-up, against the stub or
  // fake. With it off, Bolt 5.1 calls auth.test before every event instead, which is not the documented setup.
  clientOptions,
  logLevel: LogLevel.WARN,
});

app.command('/explain', async ({ ack }) => {
  await ack({
    response_type: 'in_channel',
    text: 'A closure is a function that remembers the variables of the scope it was created in.',
  });
});

(async () => {
  if (socketMode) {
    await app.start();
    console.log('peer connected in Socket Mode');
  } else {
    await app.start({ port: PORT, host: HOST });
    console.log(`peer listening on http://${HOST}:${PORT}/slack/events`);
  }
})();
