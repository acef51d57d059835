// Throughput of webhook verification in one process, interleaved round-robin so that every
// contender sees the same machine state. Runs under Node, Deno and Bun from the scratch project
// that bench/run.sh prepares (the packed package and the competitors installed from npm).
// Usage: <runtime> throughput.mjs <out.json> [--quick]
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createHMAC, createSHA256 } from 'hash-wasm';

const runtime = typeof Deno !== 'undefined' ? `Deno ${Deno.version.deno}`
  : typeof Bun !== 'undefined' ? `Bun ${Bun.version}` : `Node ${process.versions.node}`;
const args = typeof Deno !== 'undefined' ? Deno.args : process.argv.slice(2);
const out = args[0];
const quick = args.includes('--quick');

const SIZES = [64, 1024, 16 * 1024, 256 * 1024, 1024 * 1024];
const ROUNDS = quick ? 3 : 11;
const BATCH_MS = quick ? 15 : 40;
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const secretBytes = new TextEncoder().encode(SECRET);

// The package instantiates its module when it is imported: keep that instance (no hook in the
// package) to time the module's own software SHA-256 over the same bytes, the speed limit for
// large bodies.
const instances = [];
const { Instance } = WebAssembly;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, argList) {
    const instance = Reflect.construct(target, argList);
    instances.push(instance);
    return instance;
  },
});
const dialnexa = await import('dialnexa-verify');
WebAssembly.Instance = Instance;
const engine = instances[0].exports;
const scratch = new Uint8Array(engine.memory.buffer, engine.scratch(), engine.scratch_len());

// SHA-256 of the whole body in one call: the module's hashing speed without the package's
// JavaScript around it (the largest body, 1 MiB, fits the module's scratch area).
function rawSha256(body) {
  scratch.set(body, 0);
  return engine.sha256_hex(body.length);
}

function hexToBytes(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

// What careful hand-written code does with a hex string: compare without early exit.
function equalHex(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function randomBody(size) {
  const body = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(body.subarray(offset, Math.min(size, offset + 65536)));
  }
  return body;
}

const webCryptoKey = await crypto.subtle.importKey('raw', secretBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
const hashWasm = await createHMAC(createSHA256(), secretBytes);
const verifier = new dialnexa.WebhookVerifier(SECRET);
// 1,000 live verifiers, each of another secret, used in turn (the old engine kept 63 prepared).
const MANY = 1000;
const manySecrets = Array.from({ length: MANY }, (_, i) => `${SECRET}_${i}`);
const manyVerifiers = manySecrets.map((s) => new dialnexa.WebhookVerifier(s));
let turn = 0;
const manySigs = new Map();

// Each contender verifies (body, signature) and must answer true.
const CONTENDERS = [
  ['verifyWebhook (string secret)', (body, sig) => dialnexa.verifyWebhook(body, sig, SECRET)],
  ['WebhookVerifier.verify', (body, sig) => verifier.verify(body, sig)],
  ['1,000 WebhookVerifiers in turn', (body) => {
    turn = (turn + 1) % MANY;
    return manyVerifiers[turn].verify(body, manySigs.get(body)[turn]);
  }],
  ['node:crypto snippet (spec)', (body, sig) => timingSafeEqual(
    Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex')), Buffer.from(sig))],
  ['WebCrypto, cached key', async (body, sig) => crypto.subtle.verify('HMAC', webCryptoKey, hexToBytes(sig), body)],
  ['@noble/hashes', (body, sig) => equalHex(bytesToHex(hmac(sha256, secretBytes, body)), sig)],
  ['hash-wasm (reused instance)', (body, sig) => {
    hashWasm.init();
    hashWasm.update(body);
    return equalHex(hashWasm.digest('hex'), sig);
  }],
  ['raw SHA-256 (this module, limit)', (body) => rawSha256(body) === 0],
];

async function batch(fn, body, sig) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  const isAsync = fn.constructor.name === 'AsyncFunction';
  do {
    for (let i = 0; i < 16; i += 1) {
      const ok = isAsync ? await fn(body, sig) : fn(body, sig);
      if (ok !== true) throw new Error('a contender rejected a valid signature');
    }
    n += 16;
    elapsed = performance.now() - start;
  } while (elapsed < BATCH_MS);
  return (n * 1000) / elapsed;
}

const results = [];
for (const size of SIZES) {
  const body = randomBody(size);
  const sig = createHmac('sha256', SECRET).update(body).digest('hex');
  manySigs.set(body, manySecrets.map((s) => createHmac('sha256', s).update(body).digest('hex')));
  const samples = CONTENDERS.map(() => []);
  for (const [, fn] of CONTENDERS) await batch(fn, body, sig); // warm-up
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotate the starting contender each round.
    for (let k = 0; k < CONTENDERS.length; k += 1) {
      const i = (k + round) % CONTENDERS.length;
      samples[i].push(await batch(CONTENDERS[i][1], body, sig));
    }
  }
  for (const [i, [name]] of CONTENDERS.entries()) {
    const sorted = samples[i].slice().sort((a, b) => a - b);
    results.push({
      size,
      name,
      median: sorted[sorted.length >> 1],
      min: sorted[0],
      max: sorted[sorted.length - 1],
    });
  }
  console.error(`${runtime} ${size} B: done`);
}

writeFileSync(out, JSON.stringify({ runtime, rounds: ROUNDS, batchMs: BATCH_MS, results }, null, 1));
