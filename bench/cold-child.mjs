// One fresh Node process for cold.mjs. Mode `package`: import the package, then verify one body,
// timing both. Mode `floor`: only the steps no import can avoid (compile the .wasm, load the glue,
// instantiate), each timed. Node's ESM loader is warmed first in both modes (any
// application has imported something before it imports us), so only our own cost is timed.
import { createHmac, randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import './noop.mjs';

const [mode, sizeArg] = process.argv.slice(2);
if (mode === 'floor') {
  // The steps every import must take, timed one by one: compile the .wasm, load the wasm-bindgen
  // glue, instantiate (with the glue's imports and start function).
  const pkgDir = dirname(createRequire(import.meta.url).resolve('dialnexa-verify/package.json'));
  const bytes = readFileSync(join(pkgDir, 'dist', 'dialnexa_verify.wasm'));
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  const glue = await import(pathToFileURL(join(pkgDir, 'dist', 'dialnexa_verify.js')).href);
  const t2 = performance.now();
  glue.initSync({ module });
  const t3 = performance.now();
  console.log(JSON.stringify({ compileMs: t1 - t0, glueMs: t2 - t1, instantiateMs: t3 - t2 }));
} else {
  const size = Number(sizeArg);
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const body = randomFillSync(new Uint8Array(size));
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  await import('./noop.mjs?second');
  const t0 = performance.now();
  const dialnexa = await import('dialnexa-verify');
  const t1 = performance.now();
  const ok = dialnexa.verifyWebhook(body, sig, secret);
  const t2 = performance.now();
  console.log(JSON.stringify({ size, ok, importMs: t1 - t0, firstVerifyMs: t2 - t1 }));
}
