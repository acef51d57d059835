// The npm README's code, run: each `// #region NAME` below is a block of pkg-template/README.md,
// word for word (tools/doc-snippets.mjs readme checks that in make test), in the context it needs
// (a database stand-in, an Express app) and with what it must do asserted after it. The README's
// first-screen blocks come from the examples instead, which examples/tests run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import express from 'express';
import {
  checkApiKey, checkWebhook, createReplayGuard, generateApiKey, signWebhook, verifyWebhook,
} from 'dialnexa-verify';
import { apiKeyMiddleware, webhookMiddleware } from 'dialnexa-verify/node';

const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';

// A stand-in for a database of issued keys: key ID -> secret hash.
function database() {
  const rows = new Map();
  return {
    insert: async ({ keyId, secretHash }) => rows.set(keyId, secretHash),
    secretHashOf: async (keyId) => rows.get(keyId) ?? null,
    revoke: async (keyId) => rows.delete(keyId),
  };
}

async function listen(app) {
  const server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

test('README: issuing a key, then guarding a route with apiKeyMiddleware', async () => {
  const db = database();
  const printed = [];
  const { log } = console;
  console.log = (line) => printed.push(line);
  try {
    // #region issue-key
    const issued = generateApiKey(); // { key, keyId, secret, secretHash } from crypto.getRandomValues
    await db.insert({ keyId: issued.keyId, secretHash: issued.secretHash });
    console.log(`give this to the client once: ${issued.key}`);
    // #endregion
    assert.equal(printed[0], `give this to the client once: ${issued.key}`);
    assert.ok(checkApiKey(issued.key, { keyId: issued.keyId, secretHash: await db.secretHashOf(issued.keyId) }));

    const app = express();
    // #region guard-route
    app.use('/v1', apiKeyMiddleware({ lookup: (keyId) => db.secretHashOf(keyId) })); // req.apiKey.keyId
    // #endregion
    app.get('/v1/me', (req, res) => res.json(req.apiKey));
    const server = await listen(app);
    try {
      const call = (key) => fetch(`${server.base}/v1/me`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
      const good = await call(issued.key);
      assert.deepEqual([good.status, await good.json()], [200, { keyId: issued.keyId }]);
      for (const bad of [`${issued.keyId}:wrong-secret-0000`, undefined, 'not-a-key']) {
        const response = await call(bad);
        assert.deepEqual([response.status, await response.text()], [401, UNAUTHORIZED]);
      }
      await db.revoke(issued.keyId);
      assert.equal((await call(issued.key)).status, 401, 'a revoked key, on the very next request');
    } finally {
      server.close();
    }
  } finally {
    console.log = log;
  }
});

test('README: the functions underneath', () => {
  const secret = 'whsec_readme_secret_1';
  const [current, previous] = ['whsec_readme_new', secret];
  const rawBody = Buffer.from('{"event":"call.completed"}');
  const signatureHeader = createHmac('sha256', secret).update(rawBody).digest('hex');
  // #region underneath
  const valid = verifyWebhook(rawBody, signatureHeader, secret);             // boolean
  const result = checkWebhook(rawBody, signatureHeader, [current, previous]); // { ok: true, secretIndex } | { ok: false, reason }
  const header = signWebhook(rawBody, secret);                               // the 64 hex digits a sender puts in the header
  // #endregion
  assert.deepEqual([valid, result, header], [true, { ok: true, secretIndex: 1 }, signatureHeader]);
});

test('README: rotating a secret, and a replay guard, on webhookMiddleware', async () => {
  process.env.DIALNEXA_WEBHOOK_SECRET = 'whsec_readme_current';
  process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS = 'whsec_readme_previous';
  const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
  // #region rotation
  const rotating = webhookMiddleware({ secret: [process.env.DIALNEXA_WEBHOOK_SECRET, process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS] });
  // #endregion
  // #region replay
  const replay = createReplayGuard({ ttl: 24 * 60 * 60 * 1000 }); // in memory, this process
  const guarded = webhookMiddleware({ secret, replay });          // a replay gets 409, the handler does not run
  // #endregion
  const app = express();
  app.post('/rotation', rotating, (req, res) => res.json({ index: req.dialnexa.secretIndex }));
  app.post('/replay', guarded, (req, res) => res.json({ ran: true }));
  const server = await listen(app);
  try {
    const body = '{"event":"call.completed","call_id":"c_readme"}';
    const post = (path, key) => fetch(`${server.base}${path}`, {
      method: 'POST', body, headers: { 'x-dialnexa-signature': createHmac('sha256', key).update(body).digest('hex') },
    });
    assert.deepEqual(await (await post('/rotation', 'whsec_readme_previous')).json(), { index: 1 });
    assert.equal((await post('/replay', secret)).status, 200);
    assert.equal((await post('/replay', secret)).status, 409);
  } finally {
    server.close();
  }
});
