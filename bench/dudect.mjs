// dudect-style timing test of the packaged module in Node (statistical evidence, not a gate).
// Two classes of input that the code must not tell apart by time: a signature (or stored hash)
// that differs from the right one in its first byte, and one that differs in its last byte. Calls
// are made in batches, classes are picked at random for each batch, and Welch's t-test compares
// the timings, raw and with the slowest batches cropped at several percentiles (as dudect does).
// |t| above 4.5 is the usual threshold for "the classes are distinguishable". A control, an
// early-exit comparison written in JavaScript, shows what a leak looks like at this sample size.
// Usage: node dudect.mjs <out.json> [--quick]
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as api from 'dialnexa-verify';

const quick = process.argv.includes('--quick');
const BATCHES = quick ? 20_000 : 200_000; // per test, both classes together
const PER_BATCH = 8;
const secret = 'whsec_dudect_M3k9Qz';
const body = JSON.stringify({ event: 'call.completed', call_id: 'call_8f2a91', duration_seconds: 42 });
const good = createHmac('sha256', secret).update(body).digest('hex');
const change = (hex, at) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1);
const classes = (hex) => [change(hex, 0), change(hex, hex.length - 1)];

const verifier = new api.WebhookVerifier(secret);
const storedHash = api.hashApiKeySecret('123456a1b1234b');
const key = 'abcdefghijklmn:123456a1b1234b';
const naiveEqual = (a, b) => {
  for (let i = 0; i < a.length; i += 1) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return a.length === b.length;
};

const TESTS = [
  ['WebhookVerifier.verify: signature differs in the first vs the last byte', classes(good), (sig) => verifier.verify(body, sig)],
  ['verifyWebhook (string secret): first vs last byte', classes(good), (sig) => api.verifyWebhook(body, sig, secret)],
  ['checkApiKey: stored hash differs in the first vs the last byte', classes(storedHash), (secretHash) => api.checkApiKey(key, { keyId: 'abcdefghijklmn', secretHash })],
  ['control, not constant time: early-exit comparison in JavaScript', classes(good), (sig) => naiveEqual(good, sig)],
];

// Welch's t, or null when a class has fewer than two samples (a crop can remove a whole class
// when the classes are far apart, as in the control).
function welch(a, b) {
  if (a.length < 2 || b.length < 2) return null;
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = (xs, m) => xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
  const [ma, mb] = [mean(a), mean(b)];
  const spread = Math.sqrt(variance(a, ma) / a.length + variance(b, mb) / b.length);
  if (spread === 0) return ma === mb ? 0 : Math.sign(ma - mb) * Infinity; // identical timings
  return (ma - mb) / spread;
}

function cropped(samples, limit) {
  return samples.filter((x) => x <= limit);
}

const results = [];
for (const [name, inputs, fn] of TESTS) {
  for (let i = 0; i < 20_000; i += 1) fn(inputs[i & 1]); // warm-up: optimised code only
  const times = [[], []];
  for (let i = 0; i < BATCHES; i += 1) {
    const which = Math.random() < 0.5 ? 0 : 1;
    const input = inputs[which];
    const start = process.hrtime.bigint();
    for (let k = 0; k < PER_BATCH; k += 1) fn(input);
    times[which].push(Number(process.hrtime.bigint() - start));
  }
  const all = times[0].concat(times[1]).sort((x, y) => x - y);
  const crops = {};
  for (const p of [0.5, 0.75, 0.9, 0.99]) {
    const limit = all[Math.floor(all.length * p)];
    crops[`p${p * 100}`] = welch(cropped(times[0], limit), cropped(times[1], limit));
  }
  const median = (xs) => xs.slice().sort((x, y) => x - y)[xs.length >> 1] / PER_BATCH;
  const row = {
    name,
    batches: BATCHES,
    perBatch: PER_BATCH,
    tRaw: welch(times[0], times[1]),
    tCropped: crops,
    maxAbsT: Math.max(...[welch(times[0], times[1]), ...Object.values(crops)].filter((t) => t !== null).map(Math.abs)),
    medianNsFirst: median(times[0]),
    medianNsLast: median(times[1]),
  };
  results.push(row);
  console.error(`dudect: ${name}: max |t| = ${row.maxAbsT.toFixed(2)}`);
}
verifier.free();
writeFileSync(process.argv[2], JSON.stringify({ runtime: `Node ${process.versions.node}`, results }, null, 1));
