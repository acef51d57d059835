// One HTTP request with exact bytes, bounded in time and in how much of the answer is kept.
// Network trouble is an outcome to report, never an exception.
import http from 'node:http';
import https from 'node:https';

const WRITE_CHUNK = 256 * 1024;

const KINDS = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
  ECONNABORTED: 'closed',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
};

/** What a failed request means, for people. */
export function describeFailure(outcome) {
  switch (outcome.kind) {
    case 'refused':
      return 'connection refused (is the receiver running on that port?)';
    case 'closed':
      return outcome.complete
        ? 'the connection was closed without an answer'
        : `the connection was closed after ${outcome.sent} of ${outcome.size} bytes were sent, without an answer`;
    case 'dns':
      return 'the host name could not be resolved';
    case 'timeout':
      return `no answer within ${outcome.limitMs / 1000} s`;
    case 'unreachable':
      return 'the host is unreachable';
    case 'tls':
      return `TLS failed (${outcome.code})`;
    default:
      return `the request failed (${outcome.code ?? 'unknown error'})`;
  }
}

/**
 * Sends one request and settles with what happened.
 * @param {URL} url
 * @param {object} options
 * @param {Uint8Array} options.body - the exact bytes to send (Content-Length is set from it).
 * @param {Record<string, string|string[]>} options.headers - sent with these names (no Content-Length:
 *   it is set from the body).
 * @param {number} options.timeoutMs - the whole exchange must end within this.
 * @param {number} [options.idleMs] - also give up when nothing moves for this long.
 * @param {number} [options.keep] - keep at most this many bytes of the answer (default 64 KiB);
 *   past it, reading stops and the connection is closed.
 * @param {http.Agent|false} [options.agent] - `false` (default): a fresh connection.
 * @returns {Promise<object>} `{ ok: true, status, statusText, headers, body, bodyBytes, truncated,
 *   headersMs, ms, sent, size, complete }` or `{ ok: false, kind, code, ms, sent, size, complete, limitMs }`.
 */
export function request(url, { method = 'POST', body, headers, timeoutMs, idleMs, keep = 64 * 1024, agent = false }) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e6;
    const size = body.length;
    let sent = 0;
    let settled = false;
    let answered = false;
    let timer;
    let req;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, sent, size, complete: sent === size });
    };
    const fail = (kind, code, limitMs) => {
      settle({ ok: false, kind, code, ms: elapsed(), limitMs });
      req?.destroy();
    };
    const allHeaders = { ...headers, 'Content-Length': String(size) };
    try {
      req = (url.protocol === 'https:' ? https : http).request(url, { method, headers: allHeaders, agent });
    } catch (error) {
      fail('failed', error?.code);
      return;
    }
    timer = setTimeout(() => fail('timeout', 'ETIMEDOUT', timeoutMs), timeoutMs);
    if (idleMs !== undefined) req.setTimeout(idleMs, () => fail('timeout', 'ETIMEDOUT', idleMs));
    req.on('error', (error) => {
      if (answered) return;
      const code = error?.code;
      fail(KINDS[code] ?? (String(code).startsWith('ERR_TLS') || /CERT|SSL/.test(String(code)) ? 'tls' : 'failed'), code);
    });
    req.on('response', (res) => {
      answered = true;
      const headersMs = elapsed();
      const chunks = [];
      let kept = 0;
      let total = 0;
      let truncated = false;
      const done = () => {
        settle({
          ok: true,
          status: res.statusCode,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          body: Buffer.concat(chunks, kept),
          bodyBytes: total,
          truncated,
          headersMs,
          ms: elapsed(),
        });
        // An answer before the whole body was sent (a 413, say): stop sending, drop the connection.
        if (sent < size || truncated) req.destroy();
      };
      res.on('data', (chunk) => {
        total += chunk.length;
        if (kept < keep) {
          const part = chunk.subarray(0, keep - kept);
          chunks.push(part);
          kept += part.length;
        }
        if (total > keep) {
          truncated = true;
          done();
          res.destroy();
        }
      });
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    let queued = 0; // bytes handed to req.write; `sent` counts those the socket took
    const writeNext = () => {
      if (settled || answered || req.destroyed || queued >= size) return;
      const end = Math.min(size, queued + WRITE_CHUNK);
      const chunk = body.subarray(queued, end);
      queued = end;
      const count = (error) => {
        if (!error) sent += chunk.length;
      };
      if (end === size) {
        req.end(chunk, count);
      } else if (req.write(chunk, count)) {
        setImmediate(writeNext); // yield, so an early answer (a 413) is seen before the next chunk
      } else {
        req.once('drain', writeNext);
      }
    };
    if (size === 0) {
      req.end();
    } else if (size <= WRITE_CHUNK) {
      req.end(body, () => {
        sent = size;
      });
    } else {
      writeNext();
    }
  });
}
