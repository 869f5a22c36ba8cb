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
  // Bolt calls auth.test at start-up to check the token; skipped, as the bot checks nothing at start either.
  tokenVerificationEnabled: false,
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
