// Starting the examples as a user would, on 127.0.0.1, with their output captured: a server
// process that prints "listening on <url>", a Worker in workerd, a built Next.js app.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../tests/js/workerd-serve.mjs';

export const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TOOLS_BIN = resolve(EXAMPLES, '../tools/node_modules/.bin');

/** Everything any started process printed, for the secret-fragment check at the end. */
export const transcript = [];

/** The environment of a started process: PATH with the pinned tools, no telemetry or update checks. */
export function baseEnv(extra = {}) {
  const env = { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH}` };
  for (const name of ['DIALNEXA_WEBHOOK_SECRET', 'DIALNEXA_WEBHOOK_SECRET_PREVIOUS', 'API_KEY_HASHES', 'API_KEYS_FILE', 'NODE_ENV', 'PORT']) {
    delete env[name];
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...extra };
}

/** Spawns `command` and records what it prints; `output()` is everything so far. */
export function launch([program, ...args], { env, cwd = EXAMPLES } = {}) {
  const child = spawn(program, args, { cwd, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const record = { command: [program, ...args].join(' '), text: '' };
  transcript.push(record);
  const exited = new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (data) => { record.text += data; });
  return { child, exited, output: () => record.text };
}

/** Waits until `predicate(output)` holds (polled), or fails after `ms`. */
export async function waitFor(output, predicate, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate(output())) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}; output:\n${output()}`);
}

/**
 * Starts a server that prints "listening on http://127.0.0.1:<port>" (PORT=0 picks a free port).
 * Returns { base, pid, output, stop, exited }.
 */
export async function startServer(command, { env = {}, cwd } = {}) {
  const run = launch(command, { env: { PORT: '0', ...env }, cwd });
  let base;
  await Promise.race([
    waitFor(run.output, (text) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      base = match?.[1];
      return base !== undefined;
    }, 90_000, `${command.join(' ')} to listen`),
    run.exited.then(({ code }) => {
      if (base === undefined) throw new Error(`${command.join(' ')} exited with ${code}:\n${run.output()}`);
    }),
  ]);
  return { base, pid: run.child.pid, output: run.output, exited: run.exited, stop: () => stop(run) };
}

async function stop(run) {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 5_000);
  await run.exited;
  clearTimeout(timer);
}

/** A Worker in workerd, bundled as wrangler would (serve-worker.mjs). */
export function startWorkerServer(entry, bindings) {
  return startServer([process.execPath, join(EXAMPLES, 'tests/fetch/serve-worker.mjs'), entry, JSON.stringify(bindings)]);
}

/** `next start -H 127.0.0.1 -p <free port>` in a built app folder; resolves once it answers. */
export async function startNext(dir, env) {
  const port = await freePort();
  const next = join(EXAMPLES, 'node_modules/next/dist/bin/next');
  const run = launch([process.execPath, next, 'start', '-H', '127.0.0.1', '-p', String(port)], { env, cwd: dir });
  const base = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitFor(run.output, (text) => text.includes('Ready in'), 60_000, 'next start'),
    run.exited.then(({ code }) => { throw new Error(`next start exited with ${code}:\n${run.output()}`); }),
  ]);
  return { base, pid: run.child.pid, output: run.output, exited: run.exited, stop: () => stop(run) };
}

/** A process and all its descendants (Linux /proc). */
function tree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  const all = [];
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop();
    all.push(current);
    pending.push(...(children.get(current) ?? []));
  }
  return all;
}

/** Resident memory of a process and all its descendants, in bytes. */
export function treeRss(pid) {
  let total = 0;
  for (const current of tree(pid)) {
    try {
      const status = readFileSync(`/proc/${current}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      // ended
    }
  }
  return total;
}

/** The addresses the TCP sockets of a process and its descendants listen on (`ss`). */
export function listening(pid) {
  const pids = new Set(tree(pid));
  const addresses = [];
  for (const line of execFileSync('ss', ['-Htlnp'], { encoding: 'utf8' }).split('\n')) {
    const owners = [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
    if (owners.some((owner) => pids.has(owner))) addresses.push(line.trim().split(/\s+/)[3]);
  }
  return addresses;
}

/** Samples treeRss(pid) every 50 ms until `stop()`; `stop()` resolves to the highest value seen. */
export function sampleRss(pid) {
  let peak = treeRss(pid);
  const timer = setInterval(() => { peak = Math.max(peak, treeRss(pid)); }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, treeRss(pid));
  };
}
