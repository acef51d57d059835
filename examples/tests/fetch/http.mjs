// A small HTTP/1.1 client on raw sockets, for what fetch() will not send: malformed requests,
// uploads that stop or never end, bodies streamed without content-length, stalled clients.
import { connect } from 'node:net';

/** Every response body and header block received, for the secret-fragment check at the end. */
export const received = [];

const CRLF = '\r\n';

function address(base) {
  const url = new URL(base);
  return { host: url.hostname, port: Number(url.port) };
}

// Parses one HTTP/1.1 response from `buffer`: { status, headers, body } once complete, else null.
// `closed`: the server has closed the connection (a body without length ends there).
function parse(buffer, closed) {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buffer.subarray(0, end).toString('latin1').split(CRLF);
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = buffer.subarray(end + 4);
  if (status === 100) return parse(rest, closed);
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    return rest.length >= length ? { status, headers, body: rest.subarray(0, length).toString('utf8') } : null;
  }
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts = [];
    for (;;) {
      const line = rest.indexOf(CRLF);
      if (line < 0) return null;
      const size = parseInt(rest.subarray(0, line).toString('latin1'), 16);
      if (size === 0) return { status, headers, body: Buffer.concat(parts).toString('utf8') };
      if (rest.length < line + 2 + size + 2) return null;
      parts.push(rest.subarray(line + 2, line + 2 + size));
      rest = rest.subarray(line + 2 + size + 2);
    }
  }
  if (status === 204 || status === 304 || status < 200) return { status, headers, body: '' };
  return closed ? { status, headers, body: rest.toString('utf8') } : null;
}

/**
 * Opens a connection, writes `head` (a string or Buffer), then each chunk of `body` (an iterable
 * of Buffers, written with backpressure; it keeps writing after a response arrives, as a hostile
 * client would, until the server closes the connection). Resolves with
 * { status, headers, body, answeredAfter (ms), sent (body bytes written) } once the response is
 * complete (and the upload done or cut off), or { status: 0, closed: true } when the server closed without answering, or
 * { status: 0, timedOut: true } after `timeout` ms. `waitForResponse` (ms): wait that long for an
 * answer to the head alone before sending the body (a server that answers without reading the
 * body is then seen to do so; Node drops a socket unread once a write fails, so a response that
 * arrives while a large upload is being written can otherwise be lost to the server's reset).
 */
export function exchange(base, head, { body = [], timeout = 20_000, abortAfterBody = false, waitForResponse = 0 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(address(base));
    let data = Buffer.alloc(0);
    let response = null;
    let uploading = true;
    let closed = false;
    let sent = 0;
    let answeredAfter = null;
    const opened = Date.now();
    const timer = setTimeout(() => finish({ status: 0, timedOut: true }), timeout);
    function finish(result) {
      clearTimeout(timer);
      socket.destroy();
      if (result.status) received.push(JSON.stringify(result.headers) + result.body);
      resolve({ ...result, sent, answeredAfter });
    }
    const settle = () => {
      if (response !== null && (!uploading || closed)) finish(response);
      else if (closed) finish(response ?? { status: 0, closed: true });
    };
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      response ??= parse(data, false);
      if (response !== null) answeredAfter ??= Date.now() - opened;
      settle();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      response ??= parse(data, true);
      if (response !== null) answeredAfter ??= Date.now() - opened;
      settle();
    });
    socket.on('connect', async () => {
      try {
        socket.write(head);
        const until = Date.now() + waitForResponse;
        while (response === null && !closed && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        for (const chunk of body) {
          await new Promise((r) => setImmediate(r)); // let a response that arrived be read first
          if (closed) break;
          sent += chunk.length;
          if (!socket.write(chunk)) {
            await new Promise((r) => {
              const done = () => {
                socket.off('drain', done);
                socket.off('close', done);
                r();
              };
              socket.on('drain', done);
              socket.on('close', done);
            });
          }
        }
        if (abortAfterBody) {
          socket.destroy();
          return;
        }
      } catch {
        // the server closed the connection mid-upload
      }
      uploading = false;
      settle();
    });
  });
}

/** A request head: `method path`, headers as [name, value] pairs, Host and Connection: close added. */
export function head(method, path, headers = []) {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return lines.join(CRLF) + CRLF + CRLF;
}

/** `count` chunks of `size` bytes in chunked transfer encoding, then the last chunk. */
export function* chunked(count, size, byte = 0x61) {
  const payload = Buffer.alloc(size, byte);
  const prefix = Buffer.from(size.toString(16) + CRLF);
  const suffix = Buffer.from(CRLF);
  for (let i = 0; i < count; i += 1) yield Buffer.concat([prefix, payload, suffix]);
  yield Buffer.from(`0${CRLF}${CRLF}`);
}

/**
 * A client that stalls: writes `text` (for example a request head cut short) and then nothing.
 * `state()` says after how many ms the server answered (`answeredAfter`, with `response`) and
 * closed the connection (`closedAt`), or null while it has not.
 */
export function stall(base, text) {
  const socket = connect(address(base));
  const opened = Date.now();
  let data = Buffer.alloc(0);
  const state = { answeredAfter: null, closedAfter: null, response: null };
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    data = Buffer.concat([data, chunk]);
    state.response ??= parse(data, false);
    if (state.response && state.answeredAfter === null) {
      state.answeredAfter = Date.now() - opened;
      received.push(JSON.stringify(state.response.headers) + state.response.body);
    }
  });
  socket.on('connect', () => socket.write(text));
  socket.on('close', () => {
    state.closedAfter = Date.now() - opened;
    if (state.response === null) {
      state.response = parse(data, true);
      if (state.response) {
        state.answeredAfter = state.closedAfter;
        received.push(JSON.stringify(state.response.headers) + state.response.body);
      }
    }
  });
  return { opened, state: () => ({ ...state }), destroy: () => socket.destroy() };
}
