// node:test suite over the packed package, installed in a scratch project by tools/js-tests.sh:
// the runtime-agnostic smoke tests through both `require` and `import`, then Node-only checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { inspect } from 'node:util';
import { smokeTests, collectedText } from './smoke.js';
import * as esm from 'dialnexa-verify';

const cjs = createRequire(import.meta.url)('dialnexa-verify');

for (const [label, api] of [['require', cjs], ['import', esm]]) {
  for (const { name, fn } of smokeTests(api)) test(`${label}: ${name}`, fn);
}

test('the package has no runtime dependencies and ships only its files', () => {
  const manifest = createRequire(import.meta.url)('dialnexa-verify/package.json');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
    assert.equal(manifest[field], undefined, field);
  }
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(manifest.files, ['dist/', 'index.d.ts', 'index.d.cts', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE']);
});

test('require and import share one instance', () => {
  assert.equal(esm.verifyWebhook, cjs.verifyWebhook);
  assert.equal(esm.ApiKeyError, cjs.ApiKeyError);
});

test('cross-check against node:crypto on 500 random bodies and secrets', () => {
  for (let i = 0; i < 500; i += 1) {
    const body = randomBytes(randomInt(0, i % 50 === 0 ? 200_000 : 3000));
    const secret = randomBytes(randomInt(1, 200));
    const expected = createHmac('sha256', secret).update(body).digest('hex');
    assert.equal(esm.signWebhook(body, secret), expected);
    assert.equal(esm.verifyWebhook(body, expected, secret), true);
    const text = body.toString('latin1');
    assert.equal(esm.signWebhook(text, secret), createHmac('sha256', secret).update(text, 'utf8').digest('hex'));
    const flipped = Buffer.from(expected, 'hex');
    flipped[randomInt(0, 32)] ^= 1 << randomInt(0, 8);
    assert.equal(esm.verifyWebhook(body, flipped.toString('hex'), secret), false);
  }
});

test('Buffer, Buffer subarray and pooled Buffers keep their offsets', () => {
  const pooled = Buffer.from('{"event":"call.completed"}'); // small Buffers share one pool
  assert.ok(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length);
  const sig = createHmac('sha256', 'whsec').update(pooled).digest('hex');
  assert.equal(esm.verifyWebhook(pooled, sig, 'whsec'), true);
  assert.equal(esm.verifyWebhook(pooled.subarray(1), sig, 'whsec'), false);
});

test('string secrets are their UTF-8 bytes, as in the spec snippet', () => {
  const secret = 'sécret-秘密-🔑';
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update('{}').digest('hex');
  assert.equal(esm.signWebhook('{}', secret), expected);
});

test('inspect and console forms never show a secret', () => {
  const key = esm.parseApiKey('abcdefghijklmn:s3cr3tPART');
  const verifier = new esm.WebhookVerifier('whk_Zq8vX2mP9tLr');
  for (const text of [inspect(key), inspect(verifier), inspect(verifier, { showHidden: true }), String(verifier), JSON.stringify(key)]) {
    assert.ok(!text.includes('s3cr3t') && !text.includes('Zq8vX2'), text);
  }
  verifier.free();
});

test('secret hygiene across every message and output the smoke suite collected', () => {
  assert.ok(collectedText.length > 50, `collected ${collectedText.length} texts`);
  for (const text of collectedText) {
    for (const secret of ['s3cr3tPART', 'whk_Zq8vX2mP9tLr']) {
      for (let n = 4; n <= secret.length; n += 1) {
        for (let i = 0; i + n <= secret.length; i += 1) assert.ok(!text.includes(secret.slice(i, i + n)), text);
      }
    }
  }
});
