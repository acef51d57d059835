// Spawns the installed CLI (never its source) and checks every byte it prints for secrets.
// Runs inside the scratch project tests/cli/run.sh makes, beside node_modules/dialnexa-verify.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('./node_modules/.bin/dialnexa-verify', import.meta.url));
export const CLI_FILE = fileURLToPath(new URL('./node_modules/dialnexa-verify/dist/cli.js', import.meta.url));
export const SCRATCH = fileURLToPath(new URL('.', import.meta.url));

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomText(length) {
  return Array.from(randomBytes(length), (byte) => BASE62[byte % 62]).join('');
}

// Secrets are random per run, so a fragment of one can only show up if the CLI printed it.
// `watched`: never in any output; `secrets`: not in any argument list either.
const watched = new Set();
const secrets = new Set();
/** A new random webhook secret: never in an argument list or in any output from now on. */
export function newSecret(prefix = 'whsec_') {
  const secret = `${prefix}${randomText(32)}`;
  watched.add(secret);
  secrets.add(secret);
  return secret;
}
/**
 * A random value a test passes where a careless user would put a secret (after --secret, as a
 * command name): allowed in argv, but never in any output.
 */
export function newDecoy() {
  const decoy = `decoy_${randomText(32)}`;
  watched.add(decoy);
  return decoy;
}
/** Also watch `text` (a key piped on stdin, say): never in argv or any output. */
export function watch(text) {
  watched.add(text);
  secrets.add(text);
}

export const SECRET = newSecret();
export const OTHER_SECRET = newSecret();

// Every 8-character window of a watched value's random part: any such fragment is a leak.
function leaks(text, values = watched) {
  const found = [];
  for (const secret of values) {
    const random = secret.replace(/^(whsec_|decoy_)/, '');
    for (let i = 0; i + 8 <= random.length; i++) {
      if (text.includes(random.slice(i, i + 8))) {
        found.push(`a fragment of a watched secret (${random.length} characters, offset ${i})`);
        break;
      }
    }
  }
  return found;
}

/** Fails when `text` holds any fragment of a watched secret. */
export function assertNoSecret(text, where) {
  const found = leaks(text);
  assert.deepEqual(found, [], `${where} leaks ${found.join(', ')}`);
}

function assertCleanArgs(command, args) {
  const found = leaks([command, ...args].join(' '), secrets);
  assert.deepEqual(found, [], `an argument list holds ${found.join(', ')}`);
}

/** An environment with the webhook secret in DIALNEXA_WEBHOOK_SECRET (or without it: `null`). */
export function env(secret = SECRET, extra = {}) {
  const base = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', NODE_NO_WARNINGS: '1', DENO_NO_UPDATE_CHECK: '1' };
  delete base.DIALNEXA_WEBHOOK_SECRET;
  if (secret !== null) base.DIALNEXA_WEBHOOK_SECRET = secret;
  return { ...base, ...extra };
}

/**
 * Runs a command to completion: `{ code, signal, stdout, stderr, ms }`. Its argument list and
 * everything it prints are checked for secrets.
 */
export function run(args, { input, env: environment = env(), command = BIN, prefix = [], timeoutMs = 60_000, cwd = SCRATCH } = {}) {
  const argv = [...prefix, ...args];
  assertCleanArgs(command, argv);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, argv, { env: environment, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.stdin.on('error', () => {});
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started };
      try {
        assertNoSecret(result.stdout, `stdout of ${args[0]}`);
        assertNoSecret(result.stderr, `stderr of ${args[0]}`);
      } catch (error) {
        reject(error);
        return;
      }
      resolve(result);
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * Starts a long-running command (listen). `waitFor(pattern)` resolves with the first match in
 * stdout or stderr; `stop(signal)` resolves with `{ code, signal, stdout, stderr }`.
 */
export function start(args, { env: environment = env(), command = BIN, prefix = [] } = {}) {
  assertCleanArgs(command, [...prefix, ...args]);
  const child = spawn(command, [...prefix, ...args], { env: environment, cwd: SCRATCH, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stdout + '\n' + stderr);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        clearTimeout(waiter.timer);
        waiter.resolve(match);
      }
    }
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    check();
  });
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve };
        waiter.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; stdout: ${stdout.slice(-2000)}; stderr: ${stderr.slice(-2000)}`));
        }, timeoutMs);
        waiters.push(waiter);
        check();
      });
    },
    async stop(signal = 'SIGINT') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await closed;
      assertNoSecret(stdout, `stdout of ${args[0]}`);
      assertNoSecret(stderr, `stderr of ${args[0]}`);
      return { ...result, stdout, stderr };
    },
  };
}

/** Starts `listen` on a free port and waits until it is ready: `{ proc, url, port }`. */
export async function startListen(args = [], options = {}) {
  const proc = start(['listen', '--port', '0', ...args], options);
  const [, url, port] = await proc.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+))/, 30_000);
  return { proc, url, port: Number(port) };
}

/** An in-process HTTP server on 127.0.0.1 with `handler`: `{ url, server, close() }`. */
export async function serve(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** All bytes of a request body. */
export async function bodyOf(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A port nothing listens on (bound, then released). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Parses a test-endpoint --json report into `{ report, pass: Set, fail: Set }` of row ids. */
export function rowsOf(stdout) {
  const report = JSON.parse(stdout);
  return {
    report,
    pass: new Set(report.rows.filter((r) => r.pass).map((r) => r.id)),
    fail: new Set(report.rows.filter((r) => !r.pass).map((r) => r.id)),
  };
}
