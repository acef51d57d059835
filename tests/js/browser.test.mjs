// Headless Chromium (Debian's, through playwright-core) and headless Firefox ESR (Debian's, through
// puppeteer-core over WebDriver BiDi) run the smoke and hostile-input suites from pages with no
// bundler at all: an import map that names only `dialnexa-verify`, and a <script type="module">
// that imports the entry file by URL. Chromium also runs the same small app bundled by esbuild,
// Vite and webpack, and webpack's web-worker build inside a real Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';

const root = process.cwd();
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
let server;
let browser;
let firefox;
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
  writeFileSync('webpack.html', '<!doctype html><meta charset="utf-8"><title>webpack</title><script src="./webpack-dist/app.js"></script>');
  // webpack's `webworker` target resolves the `worker` condition; its bundle runs in a Worker.
  execFileSync('webpack', ['--entry', './worker-app.js', '--mode', 'production', '--target', 'webworker',
    '--output-path', 'webworker-dist', '--output-filename', 'app.js', '--no-stats'], { stdio: 'inherit' });
  writeFileSync('webworker.html', `<!doctype html><title>webworker</title><script>
const worker = new Worker('./webworker-dist/app.js');
worker.onmessage = (event) => { window.smokeReport = event.data.smoke; window.diagnoseReport = event.data.diagnose; window.hostileReport = event.data.hostile; };
worker.onerror = (event) => { window.hostileReport = { failed: 1, passed: 0, lines: ['worker error: ' + event.message] }; };
</script>`);
  writeFileSync('module.html', `<!doctype html><title>module</title>
<script type="importmap">
{ "imports": { "dialnexa-verify": "./node_modules/dialnexa-verify/dist/browser.js" } }
</script>
<script type="module">
  import * as api from 'dialnexa-verify';
  import { runSmoke } from './smoke.js';
  import { runHostile } from './hostile.js';
  import { runDiagnose } from './diagnose.js';
  const label = \`\${navigator.userAgent.includes('Firefox') ? 'firefox' : 'chromium'} (import map)\`;
  window.smokeReport = runSmoke(api, label);
  window.diagnoseReport = window.smokeReport.then(() => runDiagnose(api, label));
  window.hostileReport = window.diagnoseReport.then(() => runHostile(api, label));
</script>`);
  writeFileSync('url.html', `<!doctype html><title>by URL</title>
<script type="module">
  import * as api from './node_modules/dialnexa-verify/dist/browser.js';
  import { runSmoke } from './smoke.js';
  import { runHostile } from './hostile.js';
  import { runDiagnose } from './diagnose.js';
  const label = \`\${navigator.userAgent.includes('Firefox') ? 'firefox' : 'chromium'} (entry imported by URL)\`;
  window.smokeReport = runSmoke(api, label);
  window.diagnoseReport = window.smokeReport.then(() => runDiagnose(api, label));
  window.hostileReport = window.diagnoseReport.then(() => runHostile(api, label));
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
  // Firefox speaks WebDriver BiDi: puppeteer-core drives Debian's firefox-esr as it is.
  firefox = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
});

after(async () => {
  await browser?.close();
  await firefox?.close();
  server?.close();
});

const pages = ['module.html', 'url.html', 'bundle.html', 'vite-app/dist/index.html', 'webpack.html', 'webworker.html'];
const runs = [...pages.map((page) => ['Chromium', page]), ['Firefox', 'module.html'], ['Firefox', 'url.html']];
for (const [name, page] of runs) {
  test(`smoke and hostile suites in ${name}: ${page}`, async () => {
    const tab = await (name === 'Firefox' ? firefox : browser).newPage();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(String(error)));
    const requests = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(`${base}/${page}`);
    const done = () => window.hostileReport !== undefined;
    // The two drivers order waitForFunction's arguments differently.
    await (name === 'Firefox' ? tab.waitForFunction(done, { timeout: 120_000 }) : tab.waitForFunction(done, null, { timeout: 120_000 }));
    const report = (await tab.evaluate(() => window.smokeReport)) ?? { passed: 0, failed: 1, lines: ['no smoke report'] };
    console.log(report.lines.join('\n'));
    assert.deepEqual(errors, []);
    assert.equal(report.failed, 0);
    assert.ok(report.passed >= 11);
    assert.ok(requests.every((url) => url.startsWith(base)), 'only the page\'s own files are requested');
    const diagnosed = await tab.evaluate(() => window.diagnoseReport);
    if (diagnosed) {
      console.log(diagnosed.lines.join('\n'));
      assert.equal(diagnosed.failed, 0);
    }
    const hostile = await tab.evaluate(() => window.hostileReport);
    console.log(hostile.lines.join('\n'));
    assert.equal(hostile.failed, 0);
    assert.ok(hostile.passed > 100);
    await tab.close();
  });
}
