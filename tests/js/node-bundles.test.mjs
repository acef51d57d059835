// Node applications bundled with esbuild and webpack, as the npm README tells users to: code that
// imports the package, bundled as ES modules, and code that requires it, bundled as CommonJS. Each
// bundle runs in a fresh Node process from a directory of its own, with the .wasm where the README
// says it goes, and verifies a signed body through the root package and an integration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = 'node-bundles';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir);
const wasm = 'node_modules/dialnexa-verify/dist/dialnexa_verify.wasm';
// A verifier made through the root package goes to the Lambda integration: in the mixed app they
// come from the two formats, which must share one instance.
const check = (load) => `${load}
const signature = signWebhook('{"event":"call.completed"}', 'whsec_bundled');
const event = { headers: { 'x-dialnexa-signature': signature }, body: '{"event":"call.completed"}' };
let lambdaOk;
try {
  lambdaOk = verifyLambdaEvent(event, new WebhookVerifier('whsec_bundled')).ok;
} catch (error) {
  lambdaOk = error.message;
}
console.log(JSON.stringify([
  verifyWebhook('{"event":"call.completed"}', signature, 'whsec_bundled'),
  verifyWebhook('{"event":"call.completed"} ', signature, 'whsec_bundled'),
  lambdaOk,
]));
`;
writeFileSync('node-app.mjs', check(`import { WebhookVerifier, signWebhook, verifyWebhook } from 'dialnexa-verify';
import { verifyLambdaEvent } from 'dialnexa-verify/lambda';`));
writeFileSync('node-app.cjs', check(`const { WebhookVerifier, signWebhook, verifyWebhook } = require('dialnexa-verify');
const { verifyLambdaEvent } = require('dialnexa-verify/lambda');`));
// Both at once: application code imports the package, a CommonJS file of it requires an integration
// (and runs first).
writeFileSync('node-app-lambda.cjs', "module.exports = require('dialnexa-verify/lambda');\n");
writeFileSync('node-app-mixed.mjs', check(`import lambda from './node-app-lambda.cjs';
import { WebhookVerifier, signWebhook, verifyWebhook } from 'dialnexa-verify';
const { verifyLambdaEvent } = lambda;`));
writeFileSync(join(dir, 'lock-global.cjs'), 'Object.preventExtensions(globalThis);\n');

const run = (file, preload = []) => {
  try {
    return JSON.parse(execFileSync(process.execPath, [...preload, file], { encoding: 'utf8', cwd: '/', stdio: 'pipe' }));
  } catch (error) {
    // A minified bundle's source line is long: keep the error itself.
    throw new Error(`${file}: ${String(error.stderr ?? error).split('\n').filter((line) => line.length < 300).join('\n')}`);
  }
};

test('esbuild --platform=node: import bundled as ESM, require bundled as CommonJS (.wasm copied beside)', () => {
  for (const [entry, format, out] of [['node-app.mjs', 'esm', 'esbuild-esm/app.mjs'], ['node-app.cjs', 'cjs', 'esbuild-cjs/app.cjs']]) {
    execFileSync('esbuild', [entry, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${join(dir, out)}`, '--log-level=warning'], { stdio: 'inherit' });
    copyFileSync(wasm, join(dir, out, '..', 'dialnexa_verify.wasm'));
    assert.deepEqual(run(join(process.cwd(), dir, out)), [true, false, true], out);
  }
});

test('webpack --target node: import (the .wasm emitted as an asset), require and both (.wasm copied beside)', () => {
  for (const [entry, out] of [['./node-app.mjs', 'webpack-esm'], ['./node-app.cjs', 'webpack-cjs'], ['./node-app-mixed.mjs', 'webpack-mixed']]) {
    execFileSync('webpack', ['--entry', entry, '--mode', 'production', '--target', 'node', '--output-path', join(dir, out),
      // webpack's output for Node is CommonJS (the scratch project is "type": "module").
      '--output-filename', 'app.cjs', '--no-stats'], { stdio: 'inherit' });
    if (out === 'webpack-esm') {
      assert.ok(readdirSync(join(dir, out)).some((name) => name.endsWith('.wasm')), 'webpack emitted the .wasm');
    } else {
      // Anything that requires the package reads dialnexa_verify.wasm beside the bundle.
      assert.ok(!existsSync(join(dir, out, 'dialnexa_verify.wasm')));
      copyFileSync(wasm, join(dir, out, 'dialnexa_verify.wasm'));
    }
    // The bundle does not depend on where it was built (webpack writes import.meta.url out).
    assert.ok(!readFileSync(join(dir, out, 'app.cjs'), 'utf8').includes(process.cwd()), `${out} names the build directory`);
    assert.deepEqual(run(join(process.cwd(), dir, out, 'app.cjs')), [true, false, true], out);
    // A global that cannot hold the registry: the bundle's two copies still share one instance.
    assert.deepEqual(run(join(process.cwd(), dir, out, 'app.cjs'), ['--require', join(process.cwd(), dir, 'lock-global.cjs')]), [true, false, true], `${out}, global not extensible`);
  }
});

test('every CommonJS file of the package parses as a script (no top-level return, which Babel and terser refuse)', () => {
  const files = ['dist/node.cjs', ...['node', 'fastify', 'hono', 'lambda'].map((name) => `dist/integrations/${name}.cjs`)];
  for (const file of files) {
    execFileSync('acorn', ['--ecma2022', '--silent', join('node_modules/dialnexa-verify', file)], { stdio: 'inherit' });
  }
});
