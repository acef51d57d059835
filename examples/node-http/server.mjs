// Plain node:http: the package's Connect-style middleware, called as (req, res, next).
import { STATUS_CODES, createServer } from 'node:http';
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

// Each reads what it needs and answers every rejection itself (401 with DialNexa's body; for
// webhooks also 413 past 5 MiB, 408 after 30 s, 400 for an aborted upload); next() runs only for
// a verified delivery or a valid key.
const verifyWebhook = webhookMiddleware({ secret: previous ? [secret, previous] : secret });
const checkApiKey = apiKeyMiddleware({ lookup: (keyId) => apiKeyHashes.get(keyId) });

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
const fail = (res, status) => json(res, status, { statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });

async function route(req, res) {
  const path = req.url.split('?', 1)[0]; // compared as sent, never decoded
  if (req.method === 'POST' && path === '/webhooks/dialnexa') {
    return verifyWebhook(req, res, () => {
      const { body, secretIndex } = req.dialnexa;
      const event = req.dialnexa.json();
      console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${body.length} bytes, secret #${secretIndex}`);
      json(res, 200, { received: event.event, bytes: body.length });
    });
  }
  if (req.method === 'GET' && path === '/v1/agents') {
    return checkApiKey(req, res, (error) => {
      if (error) throw error; // lookup() failed: a 500 below
      json(res, 200, { keyId: req.apiKey.keyId, agents: [] });
    });
  }
  fail(res, 404); // a body sent here is discarded by node:http
}

const server = createServer((req, res) => {
  route(req, res).catch((error) => {
    console.error(error); // the details stay in the log; the client gets a fixed body
    if (res.headersSent) res.destroy();
    else fail(res, 500);
  });
});
server.headersTimeout = 10_000; // the request line and headers
server.requestTimeout = 30_000; // the whole request, body included
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
