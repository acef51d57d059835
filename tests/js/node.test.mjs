// node:test suite over the packed package, installed in a scratch project by tools/js-tests.sh:
// the runtime-agnostic smoke tests through both `require` and `import`, then Node-only checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { inspect } from 'node:util';
import { smokeTests, collectedText } from './smoke.js';
import { diagnoseTests } from './diagnose.js';

// The package instantiates its WebAssembly module when it is imported: keep that instance to read
// its memory in the hygiene test below (no hook in the package itself).
const instances = [];
const { Instance } = WebAssembly;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args) {
    const instance = Reflect.construct(target, args);
    instances.push(instance);
    return instance;
  },
});
const esm = await import('dialnexa-verify');
WebAssembly.Instance = Instance;

const cjs = createRequire(import.meta.url)('dialnexa-verify');

for (const [label, api] of [['require', cjs], ['import', esm]]) {
  for (const { name, fn } of smokeTests(api)) test(`${label}: ${name}`, fn);
}
for (const { name, fn } of await diagnoseTests(esm)) test(name, fn);

test('the package has no runtime dependencies and ships only its files', () => {
  const manifest = createRequire(import.meta.url)('dialnexa-verify/package.json');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
    assert.equal(manifest[field], undefined, field);
  }
  // Only the entry files have side effects (they instantiate the module); bundlers must keep them.
  assert.ok(Array.isArray(manifest.sideEffects) && manifest.sideEffects.includes('./dist/browser.js') && !manifest.sideEffects.includes('./dist/core.js'));
  assert.deepEqual(manifest.files, ['dist/', 'integrations/', 'node/', 'fastify/', 'hono/', 'lambda/', 'index.d.ts', 'index.d.cts', 'README.md', 'CLI.md', 'LICENSE-MIT', 'LICENSE-APACHE']);
});

test('require and import share one instance', () => {
  assert.equal(esm.verifyWebhook, cjs.verifyWebhook);
  assert.equal(esm.ApiKeyError, cjs.ApiKeyError);
});

// A fresh process per order: `require` gets a CommonJS file of its own (it never starts Node's ES
// module loader) and `import` an ES module, yet whichever comes first compiles the one module and
// the other exports that very API, so verifiers, classes and errors cross freely. Also where the
// global cannot take the registry property (not extensible): `process` holds it then. Where
// neither can, the two stay apart, and a verifier that crosses is refused as another copy's.
const ONE_INSTANCE_CHECK = `
  const counts = { modules: 0, instances: 0 };
  for (const [name, count] of [['Module', 'modules'], ['Instance', 'instances']]) {
    WebAssembly[name] = new Proxy(WebAssembly[name], { construct(target, args) { counts[count] += 1; return Reflect.construct(target, args); } });
  }
  const before = new Set(process.moduleLoadList);
  const loadCjs = () => {
    const api = require('dialnexa-verify');
    for (const name of ['node', 'fastify', 'hono', 'lambda']) require('dialnexa-verify/' + name);
    return api;
  };
  const report = (cjs, esm, esmLoader) => {
    const holders = { globalThis, process };
    const holder = Object.keys(holders).find((name) => Object.getOwnPropertySymbols(holders[name]).some((s) => s.description.startsWith('dialnexa-verify@')));
    const key = holder && Object.getOwnPropertySymbols(holders[holder]).find((s) => s.description.startsWith('dialnexa-verify@'));
    const slot = holder && Object.getOwnPropertyDescriptor(holders[holder], key);
    const verifier = new esm.WebhookVerifier('whsec_one_instance');
    const error = (() => { try { esm.parseApiKey(''); } catch (e) { return e; } })();
    const signature = esm.signWebhook('{}', 'whsec_one_instance');
    let crossVerifier;
    try {
      const lambda = require('dialnexa-verify/lambda').verifyLambdaEvent({ headers: { 'x-dialnexa-signature': signature }, body: '{}' }, verifier);
      crossVerifier = cjs.verifyWebhook('{}', signature, verifier) && lambda.ok;
    } catch (e) {
      crossVerifier = e.message;
    }
    console.log(JSON.stringify({
      ...counts, esmLoader,
      names: Object.keys(esm).length,
      same: Object.keys(esm).every((name) => esm[name] === cjs[name]) && Object.keys(cjs).length === Object.keys(esm).length,
      crossVerifier,
      crossError: error instanceof cjs.ApiKeyError,
      frozen: Object.isFrozen(cjs),
      registry: holder === undefined ? 'none' : slot.value === cjs && !slot.writable && !slot.configurable && !slot.enumerable ? holder : 'loose',
      key: key?.description,
    }));
  };
`;
const LOCKS = {
  'extensible global': '',
  'global not extensible': 'Object.preventExtensions(globalThis);',
  'neither global nor process extensible': 'Object.preventExtensions(globalThis); Object.preventExtensions(process);',
};
for (const order of ['require first', 'import first']) {
  for (const [what, lock] of Object.entries(LOCKS)) {
    test(`one instance across require and import, ${order}, ${what}`, () => {
      const script = order === 'require first'
        ? `${ONE_INSTANCE_CHECK}
           ${lock}
           const cjs = loadCjs();
           const esmLoader = process.moduleLoadList.filter((m) => !before.has(m) && /esm\\/(module_job|initialize_import_meta)/.test(m));
           import('dialnexa-verify').then((esm) => report(cjs, esm, esmLoader));`
        : `const require = (await import('node:module')).createRequire(process.cwd() + '/');
           ${ONE_INSTANCE_CHECK}
           ${lock}
           const esm = await import('dialnexa-verify');
           report(loadCjs(), esm, []);`;
      const out = JSON.parse(execFileSync(process.execPath, [`--input-type=${order === 'require first' ? 'commonjs' : 'module'}`, '-e', script], { encoding: 'utf8' }));
      assert.match(out.key ?? 'dialnexa-verify@0.1.0+000000000000', /^dialnexa-verify@\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
      delete out.key;
      assert.deepEqual(out, lock.includes('process')
        // Nowhere to publish: two instances, and the verifier that crosses is named as another copy's.
        ? {
          modules: 2, instances: 2, esmLoader: [], names: Object.keys(esm).length, same: false,
          crossVerifier: 'dialnexa-verify: the webhook secret is a WebhookVerifier that this copy of dialnexa-verify did not make (another installed version, a second bundle of it, or a wrapper such as a Proxy): make it with the WebhookVerifier of the copy that checks it.',
          crossError: false, frozen: true, registry: 'none',
        }
        : {
          modules: 1, instances: 1, esmLoader: [], names: Object.keys(esm).length, same: true, crossVerifier: true,
          crossError: true, frozen: true, registry: lock ? 'process' : 'globalThis',
        });
    });
  }
}

test('the registry takes only what the package published there', () => {
  // This build's registry symbol, as a first process publishes it.
  const key = execFileSync(process.execPath, ['-e', `require('dialnexa-verify');
    console.log(Object.getOwnPropertySymbols(globalThis).find((s) => s.description.startsWith('dialnexa-verify@')).description)`], { encoding: 'utf8' }).trim();
  const run = (plant) => execFileSync(process.execPath, ['-e', `const key = Symbol.for(${JSON.stringify(key)}); ${plant}
    try { const api = require('dialnexa-verify'); console.log(api.verifyWebhook('{}', 'a'.repeat(64), 'whsec_x')); } catch (error) { console.log(error.message); }`], { encoding: 'utf8' }).trim();
  // Inherited (from Object.prototype): not the holder's own property, ignored. On `process` while
  // the global is extensible: not where this realm's registry is, ignored.
  assert.equal(run('Object.prototype[key] = Object.freeze({ verifyWebhook: () => true });'), 'false');
  assert.equal(run('Object.defineProperty(process, key, { value: Object.freeze({ verifyWebhook: () => true }) });'), 'false');
  // The holder's own, but not as the package leaves it (writable, not frozen, another shape).
  for (const plant of [
    'globalThis[key] = Object.freeze({ verifyWebhook: () => true });',
    'Object.defineProperty(globalThis, key, { value: { verifyWebhook: () => true } });',
    'Object.defineProperty(process, key, { value: Object.freeze({ verifyWebhook: () => true }) }); Object.preventExtensions(globalThis);',
  ]) {
    assert.equal(run(plant), `dialnexa-verify: the property Symbol.for('${key}') was not set by this package; remove whatever sets it.`, plant);
  }
});

test('a WebhookVerifier where a secret is expected: this copy\'s, or another copy\'s, each named as such', () => {
  const own = new esm.WebhookVerifier('whsec_x');
  for (const call of [() => new esm.WebhookVerifier(own), () => esm.verifyWebhook('{}', 'a'.repeat(64), [own, 'whsec_y']), () => esm.diagnoseWebhook('{}', 'a'.repeat(64), ['whsec_y', own])]) {
    assert.throws(call, (error) => error instanceof TypeError && /is a WebhookVerifier, not a secret: pass the secrets themselves here\.$/.test(error.message));
  }
  const foreign = Object.create({ [Symbol.for('dialnexa-verify.WebhookVerifier')]: true });
  for (const call of [() => esm.verifyWebhook('{}', 'a'.repeat(64), foreign), () => new esm.WebhookVerifier([foreign]), () => esm.verifyWebhook('{}', 'a'.repeat(64), new Proxy(own, {}))]) {
    assert.throws(call, (error) => error instanceof TypeError && /is a WebhookVerifier that this copy of dialnexa-verify did not make/.test(error.message));
  }
  // The brand is a symbol, not a toString tag: the class looks as it did to everything else.
  assert.equal(Object.prototype.toString.call(own), '[object Object]');
});

test('a list of secrets that cannot be read, or is too long to be one, gets this package\'s TypeError before any copy', () => {
  const trap = new Proxy(['whsec_a', 'whsec_b'], { get() { throw new Error('trap fired'); } });
  const endless = new Proxy([], { get: (target, key) => (key === 'length' ? 2 ** 32 - 1 : 'whsec_a') });
  assert.throws(() => esm.verifyWebhook('{}', 'a'.repeat(64), trap), (error) => error instanceof TypeError && /the list of webhook secrets cannot be read/.test(error.message));
  assert.throws(() => new esm.WebhookVerifier(endless), (error) => error instanceof TypeError && /4294967295 webhook secrets given: pass at most 64/.test(error.message));
});

test('another realm that shares `process` (a vm context given the host\'s) never shares its API with this one', () => {
  // The host's global is not extensible, so its registry is on `process`; a vm context with an
  // extensible global of its own, handed that same `process`, keeps its registry on its own
  // global and builds its own API, whose errors are its own realm's.
  const out = execFileSync(process.execPath, ['-e', `
    const vm = require('node:vm');
    const { readFileSync } = require('node:fs');
    const { dirname } = require('node:path');
    Object.preventExtensions(globalThis);
    const host = require('dialnexa-verify');
    const file = require.resolve('dialnexa-verify');
    const context = vm.createContext({ process, TextEncoder, TextDecoder, Buffer });
    const load = vm.runInContext('(function (exports, require, module, __filename, __dirname) {' + readFileSync(file, 'utf8') + '\\n})', context, { filename: file });
    const module = { exports: {} };
    load(module.exports, require, module, file, dirname(file));
    context.inner = module.exports;
    console.log(JSON.stringify({
      shared: module.exports === host,
      innerTypeError: vm.runInContext("(() => { try { inner.verifyWebhook('{}', 'a'.repeat(64), 42); } catch (e) { return e instanceof TypeError; } })()", context),
      hostTypeError: (() => { try { host.verifyWebhook('{}', 'a'.repeat(64), 42); } catch (e) { return e instanceof TypeError; } })(),
    }));`], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out), { shared: false, innerTypeError: true, hostTypeError: true });
});

test('the module names no path of the machine that built it', () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('dialnexa-verify/dialnexa_verify.wasm'), 'latin1');
  for (const home of [homedir(), process.env.CARGO_HOME].filter((path) => path && path.length > 1)) assert.ok(!wasm.includes(home), home);
  // Dependency paths, where the module has any, are remapped ones.
  for (let at = wasm.indexOf('/registry/src/'); at !== -1; at = wasm.indexOf('/registry/src/', at + 1)) {
    assert.equal(wasm.slice(at - 6, at), '/cargo', wasm.slice(at - 40, at + 20));
  }
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
  const key = esm.parseApiKey('abcdefghijklmn:s3cr3tPARTq7Zx');
  const verifier = new esm.WebhookVerifier('whk_Zq8vX2mP9tLr');
  for (const text of [inspect(key), inspect(verifier), inspect(verifier, { showHidden: true }), String(verifier), JSON.stringify(key)]) {
    assert.ok(!text.includes('s3cr3t') && !text.includes('Zq8vX2'), text);
  }
  verifier.free();
});

test('secret hygiene across every message and output the smoke suite collected', () => {
  assert.ok(collectedText.length > 50, `collected ${collectedText.length} texts`);
  for (const text of collectedText) {
    for (const secret of ['s3cr3tPARTq7Zx', 'whk_Zq8vX2mP9tLr']) {
      for (let n = 4; n <= secret.length; n += 1) {
        for (let i = 0; i + n <= secret.length; i += 1) assert.ok(!text.includes(secret.slice(i, i + n)), text);
      }
    }
  }
});

// SHA-256's compression function, to compute HMAC's midstates (what the package keeps as a
// prepared key) independently of the package.
const K = Uint32Array.from('428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da 983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2'.split(' '), (h) => parseInt(h, 16));
const rotr = (x, n) => (x >>> n) | (x << (32 - n));
function midstate(block) {
  const h = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let i = 0; i < 16; i += 1) w[i] = (block[4 * i] << 24) | (block[4 * i + 1] << 16) | (block[4 * i + 2] << 8) | block[4 * i + 3];
  for (let i = 16; i < 64; i += 1) {
    const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  let [a, b, c, d, e, f, g, hh] = h;
  for (let i = 0; i < 64; i += 1) {
    const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    [hh, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
  }
  const out = Buffer.alloc(32);
  [a, b, c, d, e, f, g, hh].forEach((v, i) => out.writeUInt32LE((h[i] + v) >>> 0, 4 * i)); // sha2's serialized order
  return out;
}
function hmacMidstates(secret) {
  const block = Buffer.alloc(64);
  Buffer.from(secret).copy(block);
  return [midstate(block.map((b) => b ^ 0x36)), midstate(block.map((b) => b ^ 0x5c))];
}

test('the midstate reference agrees with the engine (so the next test looks for the right bytes)', () => {
  const secret = randomBytes(32);
  const engine = instances[0].exports;
  const scratch = Buffer.from(engine.memory.buffer, engine.scratch(), 64);
  secret.copy(scratch);
  assert.equal(engine.prepare(32), 0);
  assert.deepEqual(Buffer.from(scratch), Buffer.concat(hmacMidstates(secret)));
  scratch.fill(0);
});

test('a call with arguments out of range wipes the whole scratch area', () => {
  const engine = instances[0].exports;
  const size = engine.scratch_len();
  const scratch = new Uint8Array(engine.memory.buffer, engine.scratch(), size);
  const calls = [
    ['verify past the end', () => engine.verify(1, size, 1)],
    ['verify without keys', () => engine.verify(0, 0, 0)],
    ['stream_update past the end', () => engine.stream_update(1, size)],
    ['diagnose with 5 secrets', () => engine.diagnose(5, 0, 0)],
    ['sha256_hex past the end', () => engine.sha256_hex(size + 1)],
  ];
  for (const [what, call] of calls) {
    // Secret-like bytes where a call's own inputs would not reach: only a wipe of it all clears them.
    scratch.fill(0x5a, 1000, 2000);
    scratch.fill(0x5a, size - 100);
    assert.ok(call() < 0, `${what}: refused`);
    assert.equal(scratch.indexOf(0x5a), -1, `${what}: bytes left in the scratch area`);
  }
  assert.ok(esm.verifyWebhook('{}', createHmac('sha256', 's').update('{}').digest('hex'), 's'), 'the module still works');
});

test('right after free(), and right after a diagnosis, no secret, key or stream state is left in the module memory', async () => {
  const memory = () => Buffer.from(instances[0].exports.memory.buffer);
  const contains = (haystack, needle) => haystack.indexOf(needle) !== -1;
  const secret = randomBytes(32);
  const textSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  const apiSecret = `S${randomBytes(30).toString('base64url')}`;
  const needles = [
    ['the bytes secret', secret], ...hmacMidstates(secret).map((m, i) => [`its ${i ? 'outer' : 'inner'} midstate`, m]),
    ['the string secret', Buffer.from(textSecret)], ...hmacMidstates(textSecret).map((m, i) => [`its ${i ? 'outer' : 'inner'} midstate`, m]),
    ['the API-key secret', Buffer.from(apiSecret)],
  ];
  const body = randomBytes(300_000);
  // The secrets under test come third, and nothing runs between the last call and the scan: what
  // a call does not wipe itself would be found.
  const verifier = new esm.WebhookVerifier(['whsec_other_secret', 'whsec_second_one', secret]);
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  assert.ok(verifier.verify(body, sig));
  assert.ok(verifier.verify(body.subarray(0, 500), createHmac('sha256', secret).update(body.subarray(0, 500)).digest('hex')));
  assert.equal(verifier.sign(body), createHmac('sha256', 'whsec_other_secret').update(body).digest('hex'));
  assert.ok((await esm.verifyWebhookStream([body.subarray(0, 100_000), body.subarray(100_000)], sig, verifier)).ok);
  assert.ok(esm.verifyWebhook('{}', createHmac('sha256', textSecret).update('{}').digest('hex'), textSecret));
  assert.ok(esm.verifyWebhook(body, createHmac('sha256', textSecret).update(body).digest('hex'), ['whsec_first', 'whsec_second', textSecret]));
  assert.equal(esm.parseApiKey(`abcdefghijklmn:${apiSecret}`).secret, apiSecret);
  esm.hashApiKeySecret(apiSecret);
  esm.checkApiKey(`abcdefghijklmn:${apiSecret}`, { keyId: 'abcdefghijklmn', secretHash: '0'.repeat(64) });
  verifier.free();
  const left = needles.filter(([, needle]) => contains(memory(), needle)).map(([what]) => what);
  assert.deepEqual(left, [], `found in wasm memory right after free(): ${left.join(', ')}`);
  // A diagnosis copies the secrets themselves into the module and runs up to 97 HMACs with them.
  for (const bodyUnderTest of [body.subarray(0, 2000), '{"event": "call.completed"}']) {
    const found = esm.diagnoseWebhook(bodyUnderTest, 'ab'.repeat(32), ['whsec_first', secret, textSecret]);
    assert.equal(found.cause, 'unknown');
    const leftAfter = needles.filter(([, needle]) => contains(memory(), needle)).map(([what]) => what);
    assert.deepEqual(leftAfter, [], `found in wasm memory right after diagnoseWebhook: ${leftAfter.join(', ')}`);
  }
  const other = new esm.WebhookVerifier('whsec_unrelated_traffic');
  // The control: the method finds what is there (the unrelated verifier's key is in use right now).
  const [otherInner] = hmacMidstates('whsec_unrelated_traffic');
  const instance = instances[0].exports;
  const scratch = Buffer.from(instance.memory.buffer, instance.scratch(), 64);
  otherInner.copy(scratch); // as the package writes it before a call
  assert.ok(contains(memory(), otherInner), 'the scan finds bytes that are in memory');
  scratch.fill(0);
  other.free();
});
