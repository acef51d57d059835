// What node-servers.test.mjs and bench/load.mjs share: starting a server as its own process on
// 127.0.0.1 (PORT=0, its "listening on" line awaited, its output kept), signing like DialNexa with
// node:crypto, and raw sockets for what fetch cannot send (aborted, stalled and malformed requests).
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';

export const sign = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');
export const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');

/**
 * Starts `node ...args` in `cwd` with only PATH and `env` in its environment (PORT=0 unless `env`
 * says otherwise) and resolves once it prints `listening on http://127.0.0.1:<port>`.
 */
export async function startServer(args, { cwd, env = {}, node = process.execPath, startTimeout = 60_000 } = {}) {
  const child = spawn(node, args, { cwd, env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set();
  const collect = (data) => {
    output += data;
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const server = {
    child,
    exited,
    get output() {
      return output;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    /** Resolves with the first match of `pattern` in the output, waiting up to `ms` for it. */
    waitFor(pattern, ms = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match === null) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${pattern} in the output within ${ms} ms:\n${output}`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (server.alive()) child.kill('SIGTERM');
      await exited;
    },
  };
  const started = await Promise.race([
    server.waitFor(/listening on (http:\/\/127\.0\.0\.1:(\d+))/, startTimeout),
    exited.then(({ code, signal }) => {
      throw new Error(`${args.join(' ')} exited (${code ?? signal}) before listening:\n${output}`);
    }),
  ]);
  server.base = started[1];
  server.port = Number(started[2]);
  return server;
}

/** Runs `node ...args` to its end (it must not start listening) and resolves with its exit code and output. */
export function runToExit(args, { cwd, env = {}, node = process.execPath, timeout = 30_000 } = {}) {
  const child = spawn(node, args, { cwd, env: { PATH: process.env.PATH, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (data) => { output += data; });
  child.stderr.on('data', (data) => { output += data; });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    // 'close', not 'exit': only then has everything the process printed been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * A raw TCP connection to 127.0.0.1:port. `write(data)` waits for the socket to drain and resolves
 * false once the server has closed or reset it; `response()` parses what came back so far.
 */
export function openRaw(port) {
  const socket = connect(port, '127.0.0.1');
  const chunks = [];
  let failed = false;
  socket.on('data', (chunk) => chunks.push(chunk));
  socket.on('error', () => {
    failed = true;
  });
  const closed = new Promise((resolve) => socket.on('close', resolve));
  const connected = new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('close', () => resolve(false));
  });
  return {
    socket,
    closed,
    get received() {
      return Buffer.concat(chunks);
    },
    async write(data) {
      if (!(await connected) || failed || socket.destroyed) return false;
      if (socket.write(data)) return !failed;
      return new Promise((resolve) => {
        const done = (value) => {
          socket.off('drain', onDrain);
          socket.off('close', onClose);
          resolve(value);
        };
        const onDrain = () => done(!failed);
        const onClose = () => done(false);
        socket.on('drain', onDrain);
        socket.on('close', onClose);
      });
    },
    response() {
      return parseResponse(Buffer.concat(chunks));
    },
    destroy() {
      socket.destroy();
    },
  };
}

/**
 * Sends `head` and then `body` (in pieces of 64 KiB, waiting for each to drain) on a new
 * connection, stops writing once the server answers or closes, and resolves with the response.
 */
export async function exchange(port, head, body = Buffer.alloc(0), { timeout = 30_000 } = {}) {
  const raw = openRaw(port);
  const timer = setTimeout(() => raw.destroy(), timeout);
  try {
    let open = await raw.write(head);
    // A server may answer from the head alone (a content-length over its limit) and close: wait a
    // moment for that answer, so that writing the body into a closed connection does not lose it.
    await waitUntil(() => raw.received.length > 0 || raw.socket.destroyed, 200);
    for (let at = 0; open && at < body.length && raw.received.length === 0; at += 65536) {
      open = await raw.write(body.subarray(at, at + 65536));
      await new Promise((resolve) => setImmediate(resolve)); // let an early answer be read first
    }
    await Promise.race([raw.closed, waitUntil(() => raw.response()?.complete, timeout)]);
    return raw.response();
  } finally {
    clearTimeout(timer);
    raw.destroy();
  }
}

/** Resolves once `predicate()` is true, checking every 10 ms, or after `ms`. */
export async function waitUntil(predicate, ms) {
  const end = Date.now() + ms;
  while (!predicate() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The first final (non-1xx) HTTP/1.1 response in `bytes`, or undefined if its head has not arrived. */
export function parseResponse(bytes) {
  const text = bytes.toString('latin1');
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    if (end < 0) return undefined;
    const [statusLine, ...lines] = text.slice(at, end).split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (status >= 100 && status < 200) {
      at = end + 4;
      continue;
    }
    const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
    const body = bytes.subarray(end + 4, length === undefined ? undefined : end + 4 + length);
    return { status, headers, body: body.toString('utf8'), complete: length === undefined || body.length === length };
  }
}

/** A request head: `POST /path HTTP/1.1` with `headers` (an object), ending in the blank line. */
export function head(method, path, headers = {}) {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Fragments of `secrets`, 4 characters and longer, that appear in `text` (127.0.0.1:<port> masked first, as tools/check-log.mjs does). */
export function secretFragments(text, secrets) {
  const masked = text.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
  const found = new Set();
  for (const secret of secrets) {
    for (let i = 0; i + 4 <= secret.length; i += 1) {
      const fragment = secret.slice(i, i + 4);
      if (masked.includes(fragment)) found.add(fragment);
    }
  }
  return [...found];
}

/** Reads VmRSS of a process from /proc/<pid>/status, in bytes. */
export async function rssOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const line = status.split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) * 1024;
}
