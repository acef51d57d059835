// One fresh Node process for cold.mjs, as a CommonJS program: the same timed work as
// cold-child.mjs (`package <specifier>` or `snippet`), through require(). The CommonJS loader is
// warmed first.
require('./noop.cjs');

const [mode, specifier] = process.argv.slice(2);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = new Uint8Array(1024).fill(0x5a);
const t0 = performance.now();
let ok;
if (mode === 'snippet') {
  const { createHmac, timingSafeEqual } = require('node:crypto');
  const expected = Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex'));
  ok = timingSafeEqual(expected, expected);
} else {
  const api = require(specifier);
  ok = api.verifyWebhook(body, 'a'.repeat(64), SECRET) === false;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ok, ms }));
