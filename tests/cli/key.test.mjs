// key generate, hash, check and redact: the installed bin, checked with the package's own API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkApiKey, generateApiKey, hashApiKeySecret, parseApiKey } from 'dialnexa-verify';
import { run, watch } from './harness.mjs';

describe('key generate', () => {
  test('the printed key parses, its hash checks, and the note says to store only the hash', async () => {
    const r = await run(['key', 'generate']);
    assert.equal(r.code, 0);
    const [, key] = /^key {10}(\S+)$/m.exec(r.stdout);
    const [, keyId] = /^key ID {7}(\S+)$/m.exec(r.stdout);
    const [, secretHash] = /^secret hash {2}(\S+)$/m.exec(r.stdout);
    const parsed = parseApiKey(key);
    assert.equal(parsed.keyId, keyId);
    assert.match(keyId, /^[a-z]{14}$/);
    assert.match(parsed.secret, /^[A-Za-z0-9]{22}$/);
    assert.equal(hashApiKeySecret(parsed.secret), secretHash);
    assert.equal(checkApiKey(key, { keyId, secretHash }), true);
    assert.equal(checkApiKey(`${keyId}:${parsed.secret.slice(1)}x`, { keyId, secretHash }), false);
    assert.match(r.stderr, /shown once and cannot be recovered\. Store only the key ID and the secret hash/);
  });

  test('--json --count 10000: all distinct, all parse, every hash checks', async () => {
    const r = await run(['key', 'generate', '--count', '10000', '--json']);
    assert.equal(r.code, 0);
    const keys = JSON.parse(r.stdout);
    assert.equal(keys.length, 10_000);
    assert.equal(new Set(keys.map((k) => k.key)).size, 10_000);
    assert.equal(new Set(keys.map((k) => k.keyId)).size, 10_000);
    assert.equal(new Set(keys.map((k) => parseApiKey(k.key).secret)).size, 10_000);
    for (const { key, keyId, secretHash } of keys) {
      assert.equal(parseApiKey(key).keyId, keyId);
      assert.ok(checkApiKey(key, { keyId, secretHash }));
    }
  });

  test('--count in text: one tab-separated line per key; a bad count is a usage error', async () => {
    const r = await run(['key', 'generate', '--count', '3']);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) {
      const [key, keyId, secretHash] = line.split('\t');
      assert.ok(checkApiKey(key, { keyId, secretHash }));
    }
    for (const count of ['0', '100001', 'many']) assert.equal((await run(['key', 'generate', '--count', count])).code, 2);
  });
});

describe('key hash, check and redact read keys from stdin', () => {
  const issued = generateApiKey();
  watch(issued.secret);
  const record = ['--key-id', issued.keyId, '--hash', issued.secretHash];

  test('key hash: the secret (with one newline) or a whole key; bad secrets are usage errors', async () => {
    for (const input of [issued.secret, `${issued.secret}\n`, `${issued.secret}\r\n`, issued.key]) {
      const r = await run(['key', 'hash'], { input });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${issued.secretHash}\n`);
    }
    const json = await run(['key', 'hash', '--json'], { input: issued.key });
    assert.deepEqual(JSON.parse(json.stdout), { keyId: issued.keyId, secretHash: issued.secretHash });
    for (const [input, message] of [['short', /at least 14/], ['has spaces in it!', /not a valid API-key secret/], ['a:b:c', /too_many_separators/]]) {
      const r = await run(['key', 'hash'], { input });
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
    }
  });

  test('key check: match exit 0; another secret, another key ID or a malformed key exit 1', async () => {
    const cases = [
      [issued.key, 0, /^match\n$/],
      [`${issued.key}\n`, 0, /^match\n$/],
      [`Bearer ${issued.key}`, 0, /^match\n$/],
      [`${issued.keyId}:${generateApiKey().secret}`, 1, /no match: the key ID matches, but the secret does not have the stored hash/],
      [`${generateApiKey().keyId}:${issued.secret}`, 1, /no match: the key ID is not the stored one/],
      [issued.secret, 1, /no match: the key is malformed \(missing_separator\)/],
      ['', 1, /no match: the key is malformed \(empty_key\)/],
    ];
    for (const [input, code, output] of cases) {
      const r = await run(['key', 'check', ...record], { input });
      assert.equal(r.code, code, input);
      assert.match(r.stdout, output);
    }
    const json = await run(['key', 'check', ...record, '--json'], { input: `${issued.keyId}:${generateApiKey().secret}` });
    assert.deepEqual(JSON.parse(json.stdout), { ok: false, reason: 'secret_mismatch', explanation: 'the key ID matches, but the secret does not have the stored hash' });
  });

  test('key check: a missing or malformed record is a usage error', async () => {
    for (const args of [['--key-id', issued.keyId], ['--hash', issued.secretHash], ['--key-id', issued.keyId, '--hash', 'abc']]) {
      const r = await run(['key', 'check', ...args], { input: issued.key });
      assert.equal(r.code, 2);
    }
  });

  test('key redact: keyid:**** per line, **** when no key ID can be shown', async () => {
    const r = await run(['key', 'redact'], { input: `${issued.key}\nBearer ${issued.key}\r\nnot a key\n` });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${issued.keyId}:****\n${issued.keyId}:****\n****\n`);
    const json = await run(['key', 'redact', '--json'], { input: issued.key });
    assert.deepEqual(JSON.parse(json.stdout), { redacted: [`${issued.keyId}:****`] });
  });
});
