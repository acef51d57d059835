// Express 5: DialNexa webhooks verified on their exact bytes, API keys on /v1, JSON everywhere else.
import { STATUS_CODES } from 'node:http';
import express from 'express';
import { apiKeyMiddleware, webhookMiddleware } from 'dialnexa-verify/node';

const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
if (!secret) {
  console.error('DIALNEXA_WEBHOOK_SECRET is not set: export the webhook secret you registered with DialNexa.');
  process.exit(1);
}
// During a rotation, deliveries signed with the previous secret are accepted too (current first).
const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
// The API keys you issued: key ID -> hashApiKeySecret(secret), never the secret. Your database in
// production; here API_KEY_HASHES="keyid:hash,keyid:hash". A revoked key is one lookup() no longer finds.
const apiKeyHashes = new Map((process.env.API_KEY_HASHES ?? '').split(',').filter(Boolean).map((entry) => entry.split(':')));

const app = express();
app.disable('x-powered-by');

// 1. The webhook route comes before any body parser: webhookMiddleware reads the raw bytes itself
// (at most 5 MiB, the package default: 413 past it; 408 if they take over 30 s) and answers 401
// with DialNexa's body unless the signature matches. The handler runs only for a verified delivery.
// #region readme
app.post('/webhooks/dialnexa', webhookMiddleware({ secret: previous ? [secret, previous] : secret }), (req, res) => {
  const { body, secretIndex } = req.dialnexa;
  const event = req.dialnexa.json();
  console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${body.length} bytes, secret #${secretIndex}`);
  res.json({ received: event.event, bytes: body.length });
});
// #endregion

// 2. API keys for everything under /v1, checked before any body is parsed.
app.use('/v1', apiKeyMiddleware({ lookup: (keyId) => apiKeyHashes.get(keyId) }));

// 3. JSON bodies for every other route (Express's default limit, 100 kB).
app.use(express.json());

app.get('/v1/agents', (req, res) => res.json({ keyId: req.apiKey.keyId, agents: [] }));
app.post('/v1/agents', (req, res) => res.status(201).json({ created: req.body?.name ?? null }));

// 4. Last: a fixed JSON body for unknown routes and for every error, Express's own included (a body
// over the limit, a bad content-encoding, malformed JSON); the details go to the server's log only.
const fail = (res, status) => res.status(status).json({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });
app.use((req, res) => fail(res, 404));
app.use((error, req, res, next) => {
  const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error(error);
  else console.warn(`${req.method} ${req.path}: ${status} (${error.type ?? error.name})`);
  if (res.headersSent) return next(error); // Express closes the connection
  fail(res, status);
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
server.headersTimeout = 10_000; // the request line and headers
server.requestTimeout = 30_000; // the whole request, body included
