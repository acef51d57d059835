// One million mixed verifications and key parses in Node, with WebhookVerifier objects created
// and dropped without free() (their prepared keys are ordinary JavaScript memory; the engine keeps
// nothing per verifier): wasm memory and RSS are sampled along the way and must stay flat.
// Usage: node --expose-gc memory.mjs <out.json> [--quick] [--assert]   (SOAK_CALLS=n to change)
import { createHmac, randomFillSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const quick = process.argv.includes('--quick');
const TOTAL = Number(process.env.SOAK_CALLS) || (quick ? 100_000 : 1_000_000);
// The package instantiates its module when it is imported: watch for that instance, to sample
// its memory, without any hook in the package itself.
const instances = [];
const { Instance } = WebAssembly;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args) {
    const instance = Reflect.construct(target, args);
    instances.push(instance);
    return instance;
  },
});
const api = await import('dialnexa-verify');
WebAssembly.Instance = Instance;
const memory = instances[0].exports.memory;

const secrets = Array.from({ length: 12 }, (_, i) => `whsec_memory_${i}_${'x'.repeat(i * 3)}`);
const sizes = [0, 64, 700, 1024, 5000, 70_000];
const bodies = sizes.map((size) => randomFillSync(new Uint8Array(size)));
const sigs = bodies.map((body) => secrets.map((s) => createHmac('sha256', s).update(body).digest('hex')));
const big = randomFillSync(new Uint8Array(1 << 20));
const bigSig = createHmac('sha256', secrets[0]).update(big).digest('hex');

const samples = [];
async function sample(done) {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const usage = process.memoryUsage();
  samples.push({ done, wasmBytes: memory.buffer.byteLength, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed });
}

let accepted = 0;
await sample(0);
for (let i = 1; i <= TOTAL; i += 1) {
  // A server returns to the event loop between requests; so does this loop, to be realistic.
  if (i % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
  const b = i % bodies.length;
  const s = i % secrets.length;
  if (i % 50_000 === 0) accepted += api.verifyWebhook(big, bigSig, secrets[0]) ? 1 : 0;
  else if (i % 10 === 0) accepted += new api.WebhookVerifier(secrets[s]).verify(bodies[b], sigs[b][s]) ? 1 : 0;
  else if (i % 7 === 0) accepted += api.parseApiKey(`key${i % 100}:secret${i}`).keyId ? 1 : 0;
  else if (i % 13 === 0) accepted += api.verifyWebhook(bodies[b], 'z'.repeat(i % 200), secrets[s]) ? 0 : 1;
  else accepted += api.verifyWebhook(bodies[b], sigs[b][s], secrets[s]) ? 1 : 0;
  if (i % (TOTAL / 10) === 0) await sample(i);
}
if (accepted !== TOTAL) throw new Error(`only ${accepted} of ${TOTAL} calls gave the expected answer`);
writeFileSync(process.argv[2], JSON.stringify({ total: TOTAL, samples }, null, 1));

// `--assert` (make test): wasm memory must not grow at all (the engine has a fixed scratch buffer
// and no allocator), and RSS only within a loose margin (V8 and malloc settle in steps).
if (process.argv.includes('--assert')) {
  const [first, last] = [samples[1], samples[samples.length - 1]];
  const rss = (last.rssBytes - first.rssBytes) / first.rssBytes;
  console.log(`soak: ${TOTAL} calls, wasm memory ${first.wasmBytes} -> ${last.wasmBytes} B, RSS ${(first.rssBytes / 1048576).toFixed(1)} -> ${(last.rssBytes / 1048576).toFixed(1)} MiB`);
  const ok = last.wasmBytes === samples[0].wasmBytes && instances.length === 1 && rss < 0.5;
  console.log(`soak: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  if (!ok) process.exitCode = 1;
}
