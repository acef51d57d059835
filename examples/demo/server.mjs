// The demo's server: a DialNexa webhook receiver and an API gateway on one node:http server, both
// through dialnexa-verify/node. demo.mjs runs it in-process; `node server.mjs` runs it alone
// (DIALNEXA_WEBHOOK_SECRET, optionally DIALNEXA_WEBHOOK_SECRET_PREVIOUS, API_KEY_HASHES="keyid:hash,...", PORT).
import { STATUS_CODES, createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { generateApiKey, redactApiKey } from 'dialnexa-verify';
import { apiKeyMiddleware, webhookMiddleware } from 'dialnexa-verify/node';
import { openKeyStore } from './key-store.mjs';

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
const fail = (res, status) => json(res, status, { statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });

/**
 * secrets: the webhook secret, or [current, previous] during a rotation; keys: a store from
 * openKeyStore(); log(who, line): where the receiver's and the gateway's lines go.
 */
export function createDemoServer({ secrets, keys, log }) {
  // The receiver reads the raw body itself (5 MiB at most: 413; 30 s at most: 408; an aborted
  // upload: 400) and answers 401 with DialNexa's body unless the signature matches.
  const receiver = webhookMiddleware({ secret: secrets, log: (line) => log('receiver', line) });
  // The gateway looks the key ID up in SQLite: a revoked key is not found from the next request on.
  const gateway = apiKeyMiddleware({ lookup: (keyId) => keys.lookup(keyId), log: (line) => log('gateway', line) });

  function receive(req, res) {
    const { body, secretIndex } = req.dialnexa;
    const event = req.dialnexa.json();
    const which = secretIndex === 0 ? 'current secret' : 'previous secret: finish the rotation';
    log('receiver', `200 ${JSON.stringify(event.event)} ${JSON.stringify(event.call_id)}: ${body.length} bytes, signed with the ${which}`);
    json(res, 200, { received: event.event, bytes: body.length, secretIndex });
  }

  // Every /v1 route runs after the gateway accepted the key (req.apiKey.keyId).
  function v1(req, res, path) {
    const caller = req.apiKey.keyId;
    if (req.method === 'GET' && path === '/v1/agents') {
      log('gateway', `200 ${caller}:****`);
      return json(res, 200, { keyId: caller, agents: [] });
    }
    if (req.method === 'POST' && path === '/v1/keys') {
      const issued = generateApiKey(); // the secret is shown once, in this response, and never stored
      keys.add(issued, caller);
      log('gateway', `201 ${caller}:**** created ${redactApiKey(issued.key)}`);
      return json(res, 201, { keyId: issued.keyId, key: issued.key });
    }
    if (req.method === 'DELETE' && path.startsWith('/v1/keys/')) {
      const keyId = path.slice('/v1/keys/'.length);
      if (!keys.revoke(keyId, caller)) return fail(res, 404);
      log('gateway', `204 ${caller}:**** revoked ${keyId}:****`);
      return res.writeHead(204).end();
    }
    return fail(res, 404);
  }

  async function route(req, res) {
    const path = req.url.split('?', 1)[0]; // compared as sent, never decoded
    if (req.method === 'POST' && path === '/webhooks/dialnexa') return receiver(req, res, () => receive(req, res));
    if (path.startsWith('/v1/')) {
      return gateway(req, res, (error) => {
        if (error) throw error; // the store failed: a 500 below
        return v1(req, res, path);
      });
    }
    return fail(res, 404); // a body sent here is discarded by node:http
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
  return server;
}

// `node server.mjs`: the same server on its own, configured from the environment.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
  if (!secret) {
    console.error('DIALNEXA_WEBHOOK_SECRET is not set: export the webhook secret you registered with DialNexa.');
    process.exit(1);
  }
  const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
  const keys = await openKeyStore();
  for (const entry of (process.env.API_KEY_HASHES ?? '').split(',').filter(Boolean)) {
    const [keyId, secretHash] = entry.split(':');
    keys.add({ keyId, secretHash });
  }
  const server = createDemoServer({
    secrets: previous ? [secret, previous] : secret,
    keys,
    log: (who, line) => console.log(`[${who}] ${line}`),
  });
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
}
