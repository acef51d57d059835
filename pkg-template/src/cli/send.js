// `send URL`: one delivery exactly as DialNexa makes it, and what the receiver answered.
import { WebhookVerifier } from 'dialnexa-verify';
import { EXIT, NetworkError, UsageError } from './errors.js';
import { describeFailure, request } from './http.js';
import { readData } from './input.js';
import { parseHeader, parseSeconds, parseUrl, SECRET_OPTIONS } from './options.js';
import { loadWebhookSecret } from './secret.js';
import { printable } from './terminal.js';
import { VERSION } from './version.js';

export const SEND = {
  options: {
    ...SECRET_OPTIONS,
    data: { type: 'string', short: 'd' },
    header: { type: 'string', short: 'H', multiple: true },
    timeout: { type: 'string' },
  },
  positionals: ['URL'],
};

/** The body sent when --data is not given. */
export const SAMPLE_EVENT = '{"event":"call.completed","call_id":"call_8f2a","duration":42,"status":"completed"}';

/** How much of an answer is shown. */
export const SHOWN_BYTES = 4096;

/**
 * The headers of a delivery: Content-Type, the signature (unless `undefined`) and a User-Agent, then the user's own
 * `[name, value]` pairs, each replacing one of the same name (any case).
 */
export function deliveryHeaders(signature, extra) {
  const headers = { 'Content-Type': 'application/json' };
  if (signature !== undefined) headers['X-DialNexa-Signature'] = signature;
  headers['User-Agent'] = `dialnexa-verify-cli/${VERSION}`;
  for (const [name, value] of extra) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
    headers[name] = value;
  }
  return headers;
}

/** An answer's body as safe text: control characters escaped, cut at `max` characters. */
export function answerText(outcome, max = SHOWN_BYTES) {
  const decoded = new TextDecoder().decode(outcome.body);
  const { text, cut } = printable(decoded, { max, keepNewlines: true });
  return { text, cut: cut || outcome.truncated };
}

export async function send({ values, positionals, io }) {
  if (positionals[0] === undefined) throw new UsageError('send needs the receiver URL: dialnexa-verify send URL');
  const url = parseUrl(positionals[0], 'URL');
  const timeoutMs = values.timeout === undefined ? 30_000 : parseSeconds(values.timeout, '--timeout');
  const extra = (values.header ?? []).map(parseHeader);
  const secret = await loadWebhookSecret(values, io.warn);
  let verifier;
  try {
    verifier = new WebhookVerifier(secret.bytes);
  } finally {
    secret.bytes.fill(0);
  }
  const body = await readData(values.data, SAMPLE_EVENT);
  const signature = verifier.sign(body);
  verifier.free();
  const ownSignature = extra.some(([name]) => name.toLowerCase() === 'x-dialnexa-signature');
  if (!io.json) io.info(`POST ${url.href} (${body.length} bytes, ${ownSignature ? 'X-DialNexa-Signature from --header' : 'signed'})`);
  const outcome = await request(url, { body, headers: deliveryHeaders(signature, extra), timeoutMs });
  if (!outcome.ok) {
    const message = describeFailure(outcome);
    if (io.json) io.emit({ url: url.href, ok: false, error: outcome.kind, message, ms: Math.round(outcome.ms), sentBytes: outcome.sent });
    throw new NetworkError(`${url.href}: ${message}`);
  }
  const success = outcome.status >= 200 && outcome.status < 300;
  const ms = Math.round(outcome.ms);
  if (io.json) {
    const decoded = new TextDecoder().decode(outcome.body.subarray(0, SHOWN_BYTES * 4));
    io.emit({
      url: url.href,
      ok: success,
      status: outcome.status,
      statusText: printable(outcome.statusText, { max: 200 }).text,
      ms,
      sentBytes: body.length,
      contentType: outcome.headers['content-type'] === undefined ? null : printable(outcome.headers['content-type'], { max: 200 }).text,
      body: decoded.slice(0, SHOWN_BYTES),
      bodyBytes: outcome.bodyBytes,
      truncated: outcome.truncated || decoded.length > SHOWN_BYTES || outcome.body.length > SHOWN_BYTES * 4,
    });
  } else {
    const statusText = printable(outcome.statusText, { max: 100 }).text;
    const paint = success ? io.colors.green : io.colors.red;
    io.out(`${paint(`${outcome.status} ${statusText}`.trim())} in ${ms} ms`);
    const { text, cut } = answerText(outcome);
    if (text.length > 0) io.out(text);
    if (cut) {
      const size = outcome.truncated ? `more than ${outcome.bodyBytes} bytes (reading stopped)` : `${outcome.bodyBytes} bytes`;
      io.out(io.colors.dim(`[answer cut at ${SHOWN_BYTES} characters; it was ${size}]`));
    }
  }
  return success ? EXIT.OK : EXIT.FAILED;
}
