// The replay guard (#13). Shared: a real redis-server (Debian's, `tools/setup.sh redis`) on
// 127.0.0.1 and a free port, without persistence, and two receiver processes whose guards use the
// Redis store of examples/hono/replay-redis.js: a delivery accepted by one is refused by the other.
// In memory: the default store refuses a replay, forgets after `ttl`, and holds at most `max`.
// Run from examples/: node --test tests/replay-redis.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { createClient } from 'redis';
import { createReplayGuard, withWebhook } from 'dialnexa-verify';
import { webhookMiddleware } from 'dialnexa-verify/hono';
import { freePort } from '../../tests/js/workerd-serve.mjs';
import { delivery } from './fetch/contract.mjs';
import { SECRET, leaks, sha256, tag } from './fetch/secrets.mjs';
import { launch, startServer, transcript, waitFor } from './fetch/servers.mjs';

const CONFLICT = '{"statusCode":409,"message":"Duplicate delivery: it was already accepted","error":"Conflict"}';

describe('two receivers sharing a Redis replay store', () => {
  let redis;
  let url;
  let client;
  const instances = {};

  before(async () => {
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = launch(['redis-server', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--protected-mode', 'yes']);
    await waitFor(redis.output, (text) => text.includes('Ready to accept connections'), 10_000, 'redis-server');
    client = await createClient({ url }).connect();
    for (const name of ['a', 'b']) {
      instances[name] = await startServer([process.execPath, 'tests/fetch/replay-receiver.mjs'],
        { env: { REDIS_URL: url, INSTANCE: name, DIALNEXA_WEBHOOK_SECRET: SECRET } });
    }
  });
  after(async () => {
    await Promise.all(Object.values(instances).map((i) => i.stop()));
    await client?.close();
    redis?.child.kill('SIGTERM');
    await redis?.exited;
  });

  const send = (name, body, signature = tag(body)) => fetch(`${instances[name].base}/webhooks/dialnexa`, {
    method: 'POST', body, headers: { 'content-type': 'application/json', 'x-dialnexa-signature': signature },
  });
  const handled = (name, event) => instances[name].output().includes(`${name}: handled ${event}`);

  test('a delivery accepted by one instance and replayed to the other is refused (409, handler not run)', async () => {
    const { event, body } = delivery();
    const first = await send('a', body);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { received: event, instance: 'a' });
    // The replay, with the header spelled differently: still the same delivery.
    for (const [name, signature] of [['b', tag(body)], ['b', `sha256=${tag(body).toUpperCase()}`], ['a', tag(body)]]) {
      const replayed = await send(name, body, signature);
      assert.equal(replayed.status, 409, `replayed to ${name}`);
      assert.equal(await replayed.text(), CONFLICT);
    }
    await waitFor(instances.a.output, (text) => text.includes(`a: handled ${event}`), 5_000, 'the first delivery handled');
    assert.ok(!handled('b', event), 'the handler of b did not run');
    assert.equal(instances.a.output().split(`a: handled ${event}`).length, 2, 'the handler of a ran once');
  });

  test('Redis holds the hash of the tag, never the tag, for the guard\'s ttl', async () => {
    const { body } = delivery();
    assert.equal((await send('b', body)).status, 200);
    const key = `dialnexa-verify:replay:${sha256(tag(body))}`;
    assert.equal(await client.get(key), '1');
    const ttl = await client.pTTL(key);
    assert.ok(ttl > 55_000 && ttl <= 60_000, `PTTL ${ttl}`);
    const keys = await client.keys('*');
    assert.ok(keys.every((k) => !k.includes(tag(body))), 'no key holds the tag');
  });

  test('fresh deliveries are accepted by either instance', async () => {
    for (const name of ['a', 'b', 'a', 'b']) {
      const { event, body } = delivery();
      const response = await send(name, body);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { received: event, instance: name });
    }
  });

  test('a delivery whose handler failed (500) is retried and accepted, then refused as a replay', async () => {
    const event = `call.completed.retry.${Date.now()}`;
    const body = JSON.stringify({ event, fail_once_on: 'a' });
    const failed = await send('a', body);
    assert.equal(failed.status, 500);
    await failed.arrayBuffer();
    const retriedElsewhere = await send('b', body);
    assert.equal(retriedElsewhere.status, 200, 'the guard released the failed delivery');
    await retriedElsewhere.arrayBuffer();
    const replayed = await send('a', body);
    assert.equal(replayed.status, 409);
    await replayed.arrayBuffer();
    await waitFor(instances.b.output, (text) => text.includes(`b: handled ${event}`), 5_000, 'b handled the retry');
    assert.ok(!handled('a', event), 'a never completed it');
  });

  test('a rejected delivery claims nothing: once correctly signed, it is accepted', async () => {
    const { body } = delivery();
    const wrong = await send('a', body, tag(`${body} `));
    assert.equal(wrong.status, 401);
    await wrong.arrayBuffer();
    assert.equal((await client.keys(`dialnexa-verify:replay:${sha256(tag(`${body} `))}`)).length, 0);
    assert.equal((await send('b', body)).status, 200);
  });
});

describe('the in-memory default guard', () => {
  // withWebhook in this process; `runs` counts handler calls per event.
  function receiver(guard) {
    const runs = new Map();
    const receive = withWebhook((request, d) => {
      const { event } = d.json();
      runs.set(event, (runs.get(event) ?? 0) + 1);
      return Response.json({ received: event });
    }, { secret: SECRET, replay: guard, log: false });
    const send = (body) => receive(new Request('http://127.0.0.1/webhooks/dialnexa', {
      method: 'POST', body, headers: { 'x-dialnexa-signature': tag(body) },
    }));
    return { runs, send };
  }

  test('refuses a replay: 409, the handler runs once', async () => {
    const { runs, send } = receiver(createReplayGuard());
    const { event, body } = delivery();
    assert.equal((await send(body)).status, 200);
    const replay = await send(body);
    assert.equal(replay.status, 409);
    assert.equal(await replay.text(), CONFLICT);
    assert.equal(runs.get(event), 1);
  });

  test('lets a delivery through again once its ttl has passed', async () => {
    const { runs, send } = receiver(createReplayGuard({ ttl: 150 }));
    const { event, body } = delivery();
    assert.equal((await send(body)).status, 200);
    assert.equal((await send(body)).status, 409);
    await new Promise((r) => setTimeout(r, 250));
    assert.equal((await send(body)).status, 200, 'after the ttl');
    assert.equal(runs.get(event), 2);
  });

  test('holds at most `max` deliveries, forgetting the oldest first', async () => {
    const { send } = receiver(createReplayGuard({ max: 2 }));
    const [a, b, c] = [delivery(), delivery(), delivery()];
    for (const d of [a, b, c]) assert.equal((await send(d.body)).status, 200);
    assert.equal((await send(c.body)).status, 409, 'the newest is remembered');
    assert.equal((await send(b.body)).status, 409, 'and the one before');
    assert.equal((await send(a.body)).status, 200, 'the oldest was forgotten');
  });

  test('with the Hono middleware: a replay gets 409 and the handler does not run', async () => {
    let runs = 0;
    const app = new Hono();
    app.post('/webhooks/dialnexa', webhookMiddleware({ secret: SECRET, replay: createReplayGuard(), log: false }), (c) => {
      runs += 1;
      return c.json({ received: c.get('dialnexa').json().event });
    });
    const { body } = delivery();
    const send = () => app.request('/webhooks/dialnexa', { method: 'POST', body, headers: { 'x-dialnexa-signature': tag(body) } });
    assert.equal((await send()).status, 200);
    const replay = await send();
    assert.equal(replay.status, 409);
    assert.equal(await replay.text(), CONFLICT);
    assert.equal(runs, 1);
  });
});

test('no fragment of the secret or of a tag in the receivers\' or Redis\'s output', () => {
  assert.ok(transcript.length >= 3);
  assert.deepEqual(leaks(transcript.map((r) => r.text)), []);
});
