// One fresh Node process for cold.mjs, as an ES module. Node's ESM loader is warmed first (any
// application has imported something before it imports us), so only the timed work is measured.
// Modes:
//   package <specifier> [size]   import the package, then verify one body (1 KiB unless a size
//                         is given): both timed together
//   snippet               the spec's node:crypto snippet cold: import node:crypto, createHmac,
//                         timingSafeEqual
//   steps <specifier>     the unavoidable steps, one by one: read the .wasm, compile it,
//                         instantiate it, then import the package (which compiles it again)
import './noop.mjs';

const [mode, specifier, size = '1024'] = process.argv.slice(2);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = new Uint8Array(Number(size)).fill(0x5a);
await import('./noop.mjs?second');

if (mode === 'steps') {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const dir = dirname(createRequire(import.meta.url).resolve(`${specifier}/package.json`));
  const t0 = performance.now();
  const bytes = readFileSync(join(dir, 'dist', 'dialnexa_verify.wasm'));
  const t1 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t2 = performance.now();
  new WebAssembly.Instance(module, {});
  const t3 = performance.now();
  console.log(JSON.stringify({ readMs: t1 - t0, compileMs: t2 - t1, instantiateMs: t3 - t2 }));
} else {
  const t0 = performance.now();
  let ok;
  if (mode === 'snippet') {
    const { createHmac, timingSafeEqual } = await import('node:crypto');
    const expected = Buffer.from(createHmac('sha256', SECRET).update(body).digest('hex'));
    ok = timingSafeEqual(expected, expected);
  } else {
    const api = await import(specifier);
    ok = api.verifyWebhook(body, 'a'.repeat(64), SECRET) === false;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ ok, ms }));
}
