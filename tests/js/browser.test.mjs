// Headless Chromium (Debian's, through playwright-core) runs the smoke and hostile-input suites
// from a plain <script type="module"> page with an import map, and from the same small app bundled
// by esbuild, Vite and webpack.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
let server;
let browser;
let base;

before(async () => {
  mkdirSync(join(root, 'bundle'), { recursive: true });
  execFileSync('esbuild', ['browser-app.js', '--bundle', '--format=esm', '--platform=browser',
    '--outfile=bundle/app.js', '--log-level=warning'], { stdio: 'inherit' });
  // esbuild leaves `new URL('dialnexa_verify.wasm', import.meta.url)` alone: the .wasm goes
  // next to the bundle (Vite and webpack copy it themselves).
  copyFileSync('node_modules/dialnexa-verify/dist/dialnexa_verify.wasm', 'bundle/dialnexa_verify.wasm');
  writeFileSync('bundle.html', '<!doctype html><title>esbuild</title><script type="module" src="./bundle/app.js"></script>');
  // Vite and webpack find `new URL('dialnexa_verify.wasm', import.meta.url)` themselves and emit
  // the .wasm as an asset: no configuration.
  mkdirSync(join(root, 'vite-app'), { recursive: true });
  writeFileSync('vite-app/index.html', '<!doctype html><title>vite</title><script type="module" src="./main.js"></script>');
  writeFileSync('vite-app/main.js', "import '../browser-app.js';\n");
  execFileSync('vite', ['build', 'vite-app', '--base', './', '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
  execFileSync('webpack', ['--entry', './browser-app.js', '--mode', 'production', '--target', 'web',
    '--output-path', 'webpack-dist', '--output-filename', 'app.js', '--no-stats'], { stdio: 'inherit' });
  writeFileSync('webpack.html', '<!doctype html><title>webpack</title><script src="./webpack-dist/app.js"></script>');
  writeFileSync('module.html', `<!doctype html><title>module</title>
<script type="importmap">
{ "imports": { "dialnexa-verify": "./node_modules/dialnexa-verify/dist/browser.js" } }
</script>
<script type="module">
  import * as api from 'dialnexa-verify';
  import { runSmoke } from './smoke.js';
  import { runHostile } from './hostile.js';
  window.smokeReport = runSmoke(api, 'chromium (script type=module)');
  window.hostileReport = window.smokeReport.then(() => runHostile(api, 'chromium (script type=module)'));
</script>`);
  server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(root, path));
      response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // launch() gives every run a fresh temporary profile (it refuses --user-data-dir).
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

for (const page of ['module.html', 'bundle.html', 'vite-app/dist/index.html', 'webpack.html']) {
  test(`smoke suite in Chromium: ${page}`, async () => {
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(String(error)));
    const requests = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(`${base}/${page}`);
    await tab.waitForFunction(() => window.hostileReport !== undefined, null, { timeout: 60_000 });
    const report = await tab.evaluate(() => window.smokeReport);
    console.log(report.lines.join('\n'));
    assert.deepEqual(errors, []);
    assert.equal(report.failed, 0);
    assert.ok(report.passed >= 11);
    assert.ok(requests.every((url) => url.startsWith(base)), 'only the page\'s own files are requested');
    const hostile = await tab.evaluate(() => window.hostileReport);
    console.log(hostile.lines.join('\n'));
    assert.equal(hostile.failed, 0);
    assert.ok(hostile.passed > 100);
    await tab.close();
  });
}
