// `listen`: a local receiver on 127.0.0.1. Every request is bounded (body size, header and
// request time, concurrent connections), every outcome is one printed line, and nothing a client
// sends can stop it: malformed requests get 400, slow ones 408, large ones 413, aborted uploads
// are noted and dropped.
import { createServer } from 'node:http';
import { diagnoseWebhook, SIGNATURE_HEADER, UNAUTHORIZED_BODY, WebhookVerifier } from 'dialnexa-verify';
import { NOT_DIAGNOSED, diagnosisBudget, needsBody, smallEnough } from '../budget.js';
import { EXIT, NetworkError, UsageError } from './errors.js';
import { describeFailure, request } from './http.js';
import { formatBytes, parseInteger, parseSeconds, parseSize, parseUrl, SECRET_OPTIONS } from './options.js';
import { loadWebhookSecret } from './secret.js';
import { oneLine } from './terminal.js';
import { EXPLANATIONS } from './webhook.js';

export const LISTEN = {
  options: {
    ...SECRET_OPTIONS,
    port: { type: 'string', short: 'p' },
    'forward-to': { type: 'string', short: 'f' },
    limit: { type: 'string' },
    'request-timeout': { type: 'string' },
    'forward-timeout': { type: 'string' },
    'max-connections': { type: 'string' },
    'no-diagnose': { type: 'boolean' },
  },
  positionals: [],
};

export const DEFAULT_PORT = 8765;
const UNAUTHORIZED_JSON = JSON.stringify(UNAUTHORIZED_BODY);
const statusJson = (statusCode, message) => JSON.stringify({ statusCode, message, error: message });
const ANSWERS = {
  400: statusJson(400, 'Bad Request'),
  405: statusJson(405, 'Method Not Allowed'),
  408: statusJson(408, 'Request Timeout'),
  413: statusJson(413, 'Payload Too Large'),
  431: statusJson(431, 'Request Header Fields Too Large'),
  500: statusJson(500, 'Internal Server Error'),
  502: statusJson(502, 'Bad Gateway'),
  504: statusJson(504, 'Gateway Timeout'),
};
// Headers that belong to one connection, not to the delivery (RFC 9110 §7.6.1, and the framing
// and host the new connection sets itself): never forwarded or relayed. Neither is any header the
// message's own Connection header names.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);
const RELAY_LIMIT = 1024 * 1024;
// The log line's version of EXPLANATIONS (--json carries the full sentence).
const SHORT_EXPLANATIONS = {
  missing_signature: 'no X-DialNexa-Signature header',
  malformed_signature: 'the header is not 64 hex digits',
  signature_mismatch: 'another body or another secret than the ones signed',
};
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
// An oversized body is read and dropped, up to this long and this much more, before the 413 is
// sent: a client that asked for `Connection: close` would otherwise get a reset instead of the
// answer (closing a socket with unread data resets it). Past either bound, the 413 goes out and
// the connection closes. The time is at most half of --request-timeout, so that the 413 goes out
// before the server's request timeout answers 408 instead.
const DRAIN_MS = 2000;
const DRAIN_BYTES = 64 * 1024 * 1024;

function send(res, status, text, headers = {}) {
  if (res.headersSent || res.destroyed) return;
  try {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  } catch {
    res.destroy();
  }
}

// Reads a request body up to `limit` bytes.
function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let total = 0;
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onGone);
      req.off('error', onGone);
      resolve(result);
    };
    const onData = (chunk) => {
      total += chunk.length;
      if (total > limit) {
        chunks.length = 0;
        finish({ kind: 'too_large', bytes: total });
      } else {
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ kind: 'complete', body: Buffer.concat(chunks, total), bytes: total });
    const onGone = () => finish({ kind: 'aborted', bytes: total });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onGone);
    req.on('error', onGone);
  });
}

// Answers 413 once the rest of the body has been dropped (or drainMs/DRAIN_BYTES have passed).
function refuseTooLarge(req, res, drainMs) {
  let dropped = 0;
  let answered = false;
  const answer = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    send(res, 413, ANSWERS[413], { Connection: 'close' });
  };
  const timer = setTimeout(answer, drainMs);
  req.on('data', (chunk) => {
    dropped += chunk.length;
    if (dropped > DRAIN_BYTES) answer();
  });
  req.on('end', answer);
  req.on('close', () => clearTimeout(timer));
  req.resume();
}

// The lowercased names a Connection header value lists (`close, X-Foo` → close, x-foo): split on
// commas and trimmed, in one pass over the text.
function addConnectionOptions(value, names) {
  for (const part of String(value).split(',')) {
    const name = part.trim().toLowerCase();
    if (name !== '') names.add(name);
  }
}

// The delivery's headers for the user's app: all of them, names and values as received, except
// those that belong to the connection.
function forwardedHeaders(rawHeaders) {
  const dropped = new Set(HOP_BY_HOP);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'connection') addConnectionOptions(rawHeaders[i + 1], dropped);
  }
  const headers = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (dropped.has(name.toLowerCase())) continue;
    const value = rawHeaders[i + 1];
    if (headers[name] === undefined) headers[name] = value;
    else headers[name] = [].concat(headers[name], value);
  }
  return headers;
}

// The app's answer headers for the client (names lowercased by node:http), the same way.
function relayedHeaders(headers) {
  const dropped = new Set(HOP_BY_HOP);
  if (headers.connection !== undefined) addConnectionOptions(headers.connection, dropped);
  const relayed = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!dropped.has(name) && value !== undefined) relayed[name] = value;
  }
  return relayed;
}

// Runs `work` on a later turn of the event loop, once the answer has been handed to the socket (or
// the connection is gone), so that nothing it costs delays the answer.
function afterAnswer(res, work) {
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(work);
  };
  if (res.writableFinished || res.destroyed) {
    schedule();
  } else {
    res.once('finish', schedule);
    res.once('close', schedule);
  }
}

// The event name of a JSON body, for the log line (empty when there is none).
function eventName(body) {
  if (body.length > RELAY_LIMIT) return '';
  try {
    const value = JSON.parse(body.toString('utf8'));
    const name = value?.event ?? value?.type;
    return typeof name === 'string' ? oneLine(name, 60) : '';
  } catch {
    return '';
  }
}

function clock() {
  const now = new Date();
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
}

export async function listen({ values, io }) {
  const port = values.port === undefined ? DEFAULT_PORT : parseInteger(values.port, '--port', { min: 0, max: 65535 });
  const forwardTo = values['forward-to'] === undefined ? undefined : parseUrl(values['forward-to'], '--forward-to');
  const limit = values.limit === undefined ? 5 * 1024 * 1024 : parseSize(values.limit, '--limit', { min: 1, max: 1024 ** 3 });
  const requestTimeout = values['request-timeout'] === undefined ? 30_000 : parseSeconds(values['request-timeout'], '--request-timeout');
  const forwardTimeout = values['forward-timeout'] === undefined ? 30_000 : parseSeconds(values['forward-timeout'], '--forward-timeout');
  const drainMs = Math.min(DRAIN_MS, requestTimeout / 2);
  const maxConnections =
    values['max-connections'] === undefined ? 64 : parseInteger(values['max-connections'], '--max-connections', { min: 1, max: 10_000 });
  const secret = await loadWebhookSecret(values, io.warn);
  let verifier;
  try {
    verifier = new WebhookVerifier(secret.bytes);
  } catch (error) {
    secret.bytes.fill(0);
    throw error;
  }
  // The secret bytes stay (diagnoseWebhook needs them, not prepared keys) until the server stops.
  const diagnose = !values['no-diagnose'];
  if (!diagnose) secret.bytes.fill(0);
  let secretWiped = !diagnose;
  const budget = diagnosisBudget();

  const counts = { verified: 0, rejected: 0, other: 0 };
  const { green, red, yellow, dim } = io.colors;
  const log = (record) => {
    if (record.verdict === 'verified') counts.verified++;
    else if (record.verdict === 'rejected') counts.rejected++;
    else counts.other++;
    if (io.json) {
      io.emit({ type: 'request', ...record });
      return;
    }
    const where = record.method ? `${record.method} ${record.path}` : 'request';
    const size = record.bytes === undefined ? '' : `  ${record.bytes} B`;
    let verdict;
    if (record.verdict === 'verified') {
      verdict = `${green('verified')}${record.event ? `  ${record.event}` : ''}`;
      if (record.forward?.status !== undefined) verdict += `  -> ${record.status} from ${forwardTo.host} in ${record.forward.ms} ms`;
      else if (record.forward?.error) verdict += `  -> ${red(`${record.status}: forwarding failed`)}: ${record.forward.error}`;
      else verdict += `  -> ${record.status}`;
    } else if (record.verdict === 'rejected') {
      verdict = record.cause
        ? `${red('rejected')} ${record.reason}, cause ${record.cause} -> 401  ${dim(record.hint)}`
        : `${red('rejected')} ${record.reason} -> 401  ${dim(record.detail ?? SHORT_EXPLANATIONS[record.reason])}`;
    } else {
      verdict = `${yellow(record.verdict.replaceAll('_', ' '))}${record.status ? ` -> ${record.status}` : ''}${record.detail ? `  ${dim(record.detail)}` : ''}`;
    }
    io.out(`${dim(clock())}  ${where}${size}  ${verdict}`);
  };

  // Logs a rejected delivery, with its diagnosis: after the 401 has gone out, within the bounds of
  // budget.js when it needs the body, and so that nothing the diagnosis does can reach the listener.
  function logRejection(res, rejected, body, header) {
    if (!diagnose) return log(rejected);
    const withBody = needsBody(rejected.reason, header);
    if (withBody && !smallEnough(body)) return log({ ...rejected, detail: NOT_DIAGNOSED.large });
    if (withBody && !budget.take()) return log({ ...rejected, detail: NOT_DIAGNOSED.often });
    const examined = withBody ? body : new Uint8Array(0);
    afterAnswer(res, () => {
      let found = { detail: 'not diagnosed: stopping' };
      try {
        if (!secretWiped) {
          const { cause, hint } = diagnoseWebhook(examined, header, secret.bytes);
          found = { cause, hint };
        }
      } catch {
        found = { detail: 'the diagnosis failed' };
      }
      try {
        log({ ...rejected, ...found });
      } catch {
        // Outside any request now: a line that cannot be written must not stop the listener.
      }
    });
  }

  async function handle(req, res) {
    const record = { time: new Date().toISOString(), method: oneLine(req.method, 20), path: oneLine(req.url, 120) };
    req.on('error', () => {});
    res.on('error', () => {});
    if (req.method !== 'POST') {
      send(res, 405, ANSWERS[405], { Allow: 'POST' });
      req.resume();
      return log({ ...record, verdict: 'not_a_post', status: 405 });
    }
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      refuseTooLarge(req, res, drainMs);
      return log({ ...record, bytes: declared, verdict: 'too_large', status: 413, detail: `declared ${declared} bytes; --limit is ${formatBytes(limit)}` });
    }
    const read = await readBody(req, limit);
    if (read.kind === 'aborted') {
      return log({ ...record, bytes: read.bytes, verdict: 'aborted', detail: `the client went away after ${read.bytes} bytes` });
    }
    if (read.kind === 'too_large') {
      refuseTooLarge(req, res, drainMs);
      return log({ ...record, bytes: read.bytes, verdict: 'too_large', status: 413, detail: `over --limit ${formatBytes(limit)}` });
    }
    const body = read.body;
    record.bytes = body.length;
    const header = req.headers[SIGNATURE_HEADER];
    const result = verifier.check(body, header);
    if (!result.ok) {
      send(res, 401, UNAUTHORIZED_JSON);
      const rejected = { ...record, verdict: 'rejected', status: 401, reason: result.reason, explanation: EXPLANATIONS[result.reason] };
      return logRejection(res, rejected, body, header);
    }
    record.event = eventName(body);
    if (forwardTo === undefined) {
      send(res, 200, '{"ok":true}');
      return log({ ...record, verdict: 'verified', status: 200 });
    }
    const outcome = await request(forwardTo, { body, headers: forwardedHeaders(req.rawHeaders), timeoutMs: forwardTimeout, keep: RELAY_LIMIT });
    if (!outcome.ok || outcome.truncated) {
      const status = outcome.ok || outcome.kind !== 'timeout' ? 502 : 504;
      send(res, status, ANSWERS[status]);
      const error = outcome.ok ? `the answer is over ${formatBytes(RELAY_LIMIT)}` : describeFailure(outcome);
      return log({ ...record, verdict: 'verified', status, forward: { error } });
    }
    if (!res.headersSent && !res.destroyed) {
      try {
        res.writeHead(outcome.status, { ...relayedHeaders(outcome.headers), 'Content-Length': outcome.body.length });
        res.end(outcome.body);
      } catch {
        send(res, 502, ANSWERS[502]);
      }
    }
    return log({ ...record, verdict: 'verified', status: outcome.status, forward: { status: outcome.status, ms: Math.round(outcome.ms) } });
  }

  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(10_000, requestTimeout),
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
      maxHeaderSize: 16 * 1024,
      noDelay: true,
    },
    (req, res) => {
      handle(req, res).catch(() => {
        send(res, 500, ANSWERS[500]);
        log({ time: new Date().toISOString(), verdict: 'internal_error', status: 500 });
      });
    },
  );
  server.maxConnections = maxConnections;
  // A last resort for a socket where nothing moves; slow requests get their 408 from
  // requestTimeout first, and a delivery waiting on the app gets forwardTimeout.
  server.setTimeout(requestTimeout + forwardTimeout + 5000);
  // `Expect: 100-continue` (curl sends it for large bodies): refuse a declared oversized body
  // before it is sent.
  server.on('checkContinue', (req, res) => {
    if (Number(req.headers['content-length']) > limit) {
      send(res, 413, ANSWERS[413], { Connection: 'close' });
      log({ time: new Date().toISOString(), method: 'POST', path: oneLine(req.url, 120), verdict: 'too_large', status: 413 });
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('clientError', (error, socket) => {
    const code = String(error?.code ?? '');
    const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    if (code !== 'ECONNRESET' && socket.writable && !socket.destroyed) {
      const text = ANSWERS[status];
      socket.end(`HTTP/1.1 ${status} ${JSON.parse(text).message}\r\nContent-Type: application/json\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`);
    }
    socket.destroy();
    if (code === 'ECONNRESET') return;
    log({
      time: new Date().toISOString(),
      verdict: status === 408 ? 'timed_out' : status === 431 ? 'headers_too_large' : 'malformed',
      status,
      detail: oneLine(code, 40),
    });
  });
  let lastDrop = 0;
  server.on('drop', () => {
    if (Date.now() - lastDrop < 1000) return;
    lastDrop = Date.now();
    io.warn(`connections over --max-connections ${maxConnections} are being closed`);
  });

  await new Promise((resolve, reject) => {
    server.once('error', (error) => {
      const reason = error?.code === 'EADDRINUSE' ? 'the port is in use' : error?.code === 'EACCES' ? 'permission denied' : error?.code;
      reject(new NetworkError(`cannot listen on 127.0.0.1:${port}: ${reason}`));
    });
    server.listen(port, '127.0.0.1', resolve);
  });
  server.on('error', (error) => io.warn(`server error: ${error?.code ?? 'unknown'}`));
  const url = `http://127.0.0.1:${server.address().port}`;
  if (forwardTo && LOOPBACK.has(forwardTo.hostname) && Number(forwardTo.port || 80) === server.address().port) {
    server.close();
    throw new UsageError(`--forward-to ${forwardTo.host} is this receiver itself: every delivery would be forwarded to itself`);
  }
  const stopped = new Promise((resolve) => {
    let stopping = false;
    const stop = (signal) => {
      if (stopping) return;
      stopping = true;
      io.info(`${signal}: stopping (${counts.verified} verified, ${counts.rejected} rejected, ${counts.other} other)`);
      const done = () => {
        verifier.free();
        secret.bytes.fill(0);
        secretWiped = true;
        resolve(EXIT.OK);
      };
      server.close(done);
      server.closeAllConnections?.();
      setTimeout(done, 2000).unref?.();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  if (io.json) io.emit({ type: 'listening', url, forwardTo: forwardTo?.href ?? null, limit });
  io.info(
    `Ready: listening on ${url} (any path), verifying with the secret from ${secret.source}` +
      (forwardTo ? `, forwarding to ${forwardTo.href}` : '') +
      `. Ctrl-C to stop.`,
  );
  return stopped;
}
