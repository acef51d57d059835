// The misconfiguration the node middleware must catch: a global express.json() mounted BEFORE the
// webhook route, so the JSON body is parsed and its raw bytes are gone when webhookMiddleware runs.
// Usage: node tests/node/misordered-express.mjs express|express4 (PORT, DIALNEXA_WEBHOOK_SECRET).
import { webhookMiddleware } from 'dialnexa-verify/node';

const { default: express } = await import(process.argv[2]);
const app = express();
app.disable('x-powered-by');
app.use(express.json()); // wrong place: before the webhook route
app.post('/webhooks/dialnexa', webhookMiddleware({ secret: process.env.DIALNEXA_WEBHOOK_SECRET }), (req, res) => {
  console.log(`dialnexa webhook ${JSON.stringify(req.dialnexa.json().event)}: ${req.dialnexa.body.length} bytes, secret #${req.dialnexa.secretIndex}`);
  res.json({ received: req.dialnexa.json().event });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
