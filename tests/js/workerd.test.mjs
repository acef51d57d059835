// Serves worker.js in workerd on 127.0.0.1 (bundled as wrangler would, see workerd-serve.mjs) and
// sends it signed, tampered and unsigned webhooks and API keys.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startWorker } from './workerd-serve.mjs';

let worker;
let base;

before(async () => {
  worker = await startWorker('worker.js');
  base = worker.base;
});

after(() => worker?.stop());

const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');
const post = (body, headers = {}) => fetch(`${base}/webhook`, { method: 'POST', body, headers });
const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';

test('the smoke suite passes inside the workerd isolate', async () => {
  const report = await (await fetch(`${base}/smoke`)).json();
  console.log(report.lines.join('\n'));
  assert.equal(report.failed, 0);
  assert.ok(report.passed >= 11);
});

test('signed webhooks are accepted, with the matching secret reported', async () => {
  const body = JSON.stringify({ event: 'call.completed', call_id: 'call_8f2a' });
  for (const [secret, index] of [['whsec_worker_new', 0], ['whsec_worker_old', 1]]) {
    const response = await post(body, { 'X-DialNexa-Signature': sign(body, secret) });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { received: JSON.parse(body), secretIndex: index });
  }
  const large = JSON.stringify({ transcript: 'x'.repeat(3 << 20) });
  const response = await post(large, { 'x-dialnexa-signature': `sha256=${sign(large, 'whsec_worker_new').toUpperCase()}` });
  assert.equal(response.status, 200);
});

test('tampered, unsigned and wrongly signed webhooks get the 401 body', async () => {
  const body = '{"event":"call.completed"}';
  const cases = [
    [body.replace('completed', 'failed'), { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new') }],
    [body, {}],
    [body, { 'X-DialNexa-Signature': sign(body, 'whsec_attacker') }],
    [body, { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new').slice(0, 32) }],
    [JSON.stringify(JSON.parse(body), null, 2), { 'X-DialNexa-Signature': sign(body, 'whsec_worker_new') }],
  ];
  for (const [text, headers] of cases) {
    const response = await post(text, headers);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), UNAUTHORIZED);
  }
});

test('API keys: good key accepted, bad keys get the 401 body', async () => {
  const call = (authorization) => fetch(`${base}/api`, { headers: authorization ? { authorization } : {} });
  const good = await call('Bearer abcdefghijklmn:123456a1b1234b');
  assert.equal(good.status, 200);
  assert.deepEqual(await good.json(), { keyId: 'abcdefghijklmn' });
  for (const bad of ['Bearer abcdefghijklmn:123456a1b1234c', 'Bearer abcdefghijklmn', 'Basic dXNlcjpwYXNz', undefined, 'Bearer other:123456a1b1234b']) {
    const response = await call(bad);
    assert.equal(response.status, 401);
    assert.equal(await response.text(), UNAUTHORIZED);
  }
});
