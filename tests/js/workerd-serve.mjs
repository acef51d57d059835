// Serves a Worker the way `wrangler dev` would, without wrangler: bundles the entry with esbuild
// (workerd/worker conditions, the package's .wasm kept as a module beside it) and runs workerd on
// 127.0.0.1. Used by workerd.test.mjs and the examples' tests.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

// Starts the Worker whose module is `entry`, with text `bindings` (env.NAME), and returns its
// base URL and a function that stops it.
export async function startWorker(entry, bindings = {}) {
  const out = mkdtempSync(join(tmpdir(), 'workerd-'));
  execFileSync('esbuild', [resolve(entry), '--bundle', '--format=esm', '--platform=neutral',
    '--conditions=workerd,worker', '--external:*.wasm', `--outfile=${join(out, 'worker.js')}`,
    '--log-level=warning'], { stdio: 'inherit' });
  const pkgDir = dirname(createRequire(resolve(entry)).resolve('dialnexa-verify/package.json'));
  copyFileSync(join(pkgDir, 'dist', 'dialnexa_verify.wasm'), join(out, 'dialnexa_verify.wasm'));
  const port = await freePort();
  const env = Object.entries(bindings)
    .map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`)
    .join(', ');
  writeFileSync(join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "dialnexa_verify.wasm", wasm = embed "dialnexa_verify.wasm"),
  ],
  bindings = [ ${env} ],
  compatibilityDate = "2025-09-01",
);
`);
  const child = spawn('workerd', ['serve', join(out, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i += 1) {
    try {
      await fetch(`${base}/`);
      return { base, stop: () => child.kill() };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill();
  throw new Error('workerd did not start');
}
