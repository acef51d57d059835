// `test-endpoint URL`: proves a receiver accepts a signed delivery and refuses everything it must,
// survives an oversized body, and (with --timing) looks for a timing difference in its comparison.
import http from 'node:http';
import https from 'node:https';
import { signWebhook, WebhookVerifier } from 'dialnexa-verify';
import { UsageError } from './errors.js';
import { describeFailure, request } from './http.js';
import { readData } from './input.js';
import { formatBytes, parseHeader, parseInteger, parseSeconds, parseSize, parseUrl, SECRET_OPTIONS } from './options.js';
import { loadWebhookSecret } from './secret.js';
import { deliveryHeaders, SAMPLE_EVENT } from './send.js';
import { oneLine } from './terminal.js';

export const TEST_ENDPOINT = {
  options: {
    ...SECRET_OPTIONS,
    data: { type: 'string', short: 'd' },
    header: { type: 'string', short: 'H', multiple: true },
    'max-body': { type: 'string' },
    timeout: { type: 'string' },
    timing: { type: 'boolean' },
    'timing-samples': { type: 'string' },
  },
  positionals: ['URL'],
};

/** |t| above this is evidence of a timing difference (the threshold dudect uses). */
export const T_THRESHOLD = 4.5;

const is2xx = (status) => status >= 200 && status < 300;

// The body with one character changed: the last digit, else the last letter, else the last byte.
function tamper(body) {
  const copy = Buffer.from(body);
  for (let i = copy.length - 1; i >= 0; i--) {
    const c = copy[i];
    if (c >= 0x30 && c <= 0x39) {
      copy[i] = c === 0x39 ? 0x38 : c + 1;
      return copy;
    }
  }
  for (let i = copy.length - 1; i >= 0; i--) {
    const c = copy[i];
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      copy[i] = c === 0x5a || c === 0x7a ? c - 1 : c + 1;
      return copy;
    }
  }
  copy[copy.length - 1] ^= 1;
  return copy;
}

// The same JSON value serialized again, with spacing that differs from the original bytes.
function reserialize(body, value) {
  const original = body.toString('utf8');
  for (const text of [JSON.stringify(value, null, 2), JSON.stringify(value), `${JSON.stringify(value, null, 2)}\n`]) {
    if (text !== original) return Buffer.from(text);
  }
  return Buffer.from(`${original}\n`);
}

// A JSON body of exactly `size` bytes: a sample event with a long padding string.
function oversizedBody(size) {
  const head = Buffer.from('{"event":"call.completed","call_id":"call_8f2a","padding":"');
  const tail = Buffer.from('"}');
  const body = Buffer.alloc(size, 0x61);
  if (size >= head.length + tail.length) {
    head.copy(body, 0);
    tail.copy(body, size - tail.length);
  }
  return body;
}

// A hex signature with the digit at `index` changed.
function flipDigit(signature, index) {
  const digit = signature[index] === '0' ? '1' : '0';
  return signature.slice(0, index) + digit + signature.slice(index + 1);
}

function answered(outcome) {
  return `${outcome.status} in ${Math.round(outcome.ms)} ms`;
}

// Verdicts. Each returns { pass, result, detail }.
function mustAccept(outcome) {
  if (!outcome.ok) return { pass: false, result: 'no answer', detail: describeFailure(outcome) };
  if (is2xx(outcome.status)) return { pass: true, result: answered(outcome) };
  return { pass: false, result: answered(outcome), detail: 'a correctly signed delivery must get 2xx: check the secret and that the raw body is verified' };
}

function stillAnswers(outcome) {
  const verdict = mustAccept(outcome);
  if (!outcome.ok) verdict.detail += ': it stopped answering after the oversized body (crashed or hung?)';
  return verdict;
}

function mustReject(outcome) {
  if (!outcome.ok) {
    return { pass: false, result: 'no answer', detail: `${describeFailure(outcome)}; a receiver must answer (401)` };
  }
  if (is2xx(outcome.status)) {
    return { pass: false, result: answered(outcome), detail: 'accepted: this delivery must be refused (401)' };
  }
  if (outcome.status >= 500) {
    return { pass: true, result: answered(outcome), detail: 'refused, but with 5xx: DialNexa retries 5xx; answer 401' };
  }
  return { pass: true, result: answered(outcome) };
}

function mustRefuseLarge(outcome, size) {
  if (outcome.ok) {
    if (outcome.status >= 400 && outcome.status < 500) {
      return { pass: true, result: answered(outcome), detail: outcome.complete ? undefined : `answered after ${formatBytes(outcome.sent)}` };
    }
    if (is2xx(outcome.status)) {
      return { pass: false, result: answered(outcome), detail: `accepted a ${formatBytes(size)} body: limit the body size and answer 413` };
    }
    return { pass: false, result: answered(outcome), detail: 'refuse an oversized body with 413, not this status' };
  }
  if (outcome.kind === 'closed' && !outcome.complete) {
    return { pass: true, result: 'closed early', detail: `the connection was closed after ${formatBytes(outcome.sent)} of ${formatBytes(size)} were sent` };
  }
  if (outcome.kind === 'closed') {
    return { pass: false, result: 'no answer', detail: 'the whole body was taken, then the connection closed without an answer (a crash?)' };
  }
  if (outcome.kind === 'timeout') {
    return { pass: false, result: 'hung', detail: `no progress for ${outcome.limitMs / 1000} s: the receiver neither refused the body nor answered` };
  }
  return { pass: false, result: 'no answer', detail: describeFailure(outcome) };
}

/** Welch's t-statistic of two samples, with their means and sizes. */
export function welch(a, b) {
  const stats = (xs) => {
    let mean = 0;
    let m2 = 0;
    xs.forEach((x, i) => {
      const delta = x - mean;
      mean += delta / (i + 1);
      m2 += delta * (x - mean);
    });
    return { n: xs.length, mean, variance: xs.length > 1 ? m2 / (xs.length - 1) : 0 };
  };
  const sa = stats(a);
  const sb = stats(b);
  const se = Math.sqrt(sa.variance / sa.n + sb.variance / sb.n);
  const t = se > 0 ? (sa.mean - sb.mean) / se : sa.mean === sb.mean ? 0 : Infinity;
  return { t, a: sa, b: sb };
}

// Random order of `samples` pairs, each pair holding both classes in a random order.
function interleaved(samples) {
  const order = [];
  const coins = new Uint8Array(samples);
  crypto.getRandomValues(coins);
  for (let i = 0; i < samples; i++) order.push(...(coins[i] & 1 ? [0, 1] : [1, 0]));
  return order;
}

async function timingCheck(url, body, signature, extra, samples, timeoutMs) {
  const signatures = [flipDigit(signature, 0), flipDigit(signature, 63)];
  const agent = new (url.protocol === 'https:' ? https : http).Agent({ keepAlive: true, maxSockets: 1 });
  const times = [[], []];
  try {
    const warmup = Array.from({ length: 20 }, (_, i) => i & 1);
    for (const [round, order] of [[0, warmup], [1, interleaved(samples)]]) {
      for (const which of order) {
        const outcome = await request(url, { body, headers: deliveryHeaders(signatures[which], extra), timeoutMs, agent, keep: 4096 });
        if (!outcome.ok) return { pass: false, result: 'no answer', detail: describeFailure(outcome) };
        if (is2xx(outcome.status)) return { pass: false, result: answered(outcome), detail: 'a wrong signature was accepted' };
        if (round === 1) times[which].push(outcome.headersMs);
      }
    }
  } finally {
    agent.destroy();
  }
  // Network outliers (a GC pause, a retransmit) swamp microseconds: crop above the pooled 95th percentile.
  const pooled = [...times[0], ...times[1]].sort((x, y) => x - y);
  const crop = pooled[Math.floor(pooled.length * 0.95)];
  const kept = times.map((xs) => xs.filter((x) => x <= crop));
  const { t, a, b } = welch(kept[0], kept[1]);
  const pass = Math.abs(t) <= T_THRESHOLD;
  const detail =
    `t = ${t.toFixed(2)}; mean answer ${a.mean.toFixed(3)} ms (first byte wrong) vs ${b.mean.toFixed(3)} ms (last byte wrong), ` +
    `${a.n} + ${b.n} samples under ${crop.toFixed(3)} ms. ` +
    (pass
      ? `|t| <= ${T_THRESHOLD}: no evidence of a timing difference (not proof: the network hides differences smaller than its noise)`
      : `|t| > ${T_THRESHOLD}: evidence that the comparison takes longer when more of the signature is right (or of network noise: rerun close to the receiver)`);
  return {
    pass,
    result: `t = ${t.toFixed(2)}`,
    detail,
    timing: { t, threshold: T_THRESHOLD, samples: [a.n, b.n], meanMs: [a.mean, b.mean], cropMs: crop },
  };
}

const UNREACHABLE = new Set(['refused', 'dns', 'unreachable', 'tls']);

export async function testEndpoint({ values, positionals, io }) {
  if (positionals[0] === undefined) throw new UsageError('test-endpoint needs the receiver URL: dialnexa-verify test-endpoint URL');
  const url = parseUrl(positionals[0], 'URL');
  const maxBody = values['max-body'] === undefined ? 20 * 1024 * 1024 : parseSize(values['max-body'], '--max-body', { min: 1024, max: 512 * 1024 * 1024 });
  const timeoutMs = values.timeout === undefined ? 10_000 : parseSeconds(values.timeout, '--timeout');
  const samples = values['timing-samples'] === undefined ? 1000 : parseInteger(values['timing-samples'], '--timing-samples', { min: 10, max: 100_000 });
  const extra = (values.header ?? []).map(parseHeader);
  if (extra.some(([name]) => name.toLowerCase() === 'x-dialnexa-signature')) {
    throw new UsageError('--header X-DialNexa-Signature is refused here: each row of the battery sets its own');
  }
  const secret = await loadWebhookSecret(values, io.warn);
  let verifier;
  try {
    verifier = new WebhookVerifier(secret.bytes);
  } finally {
    secret.bytes.fill(0);
  }
  const body = await readData(values.data, SAMPLE_EVENT);
  let value;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new UsageError('--data must be JSON: the battery re-serializes it');
  }
  const signature = verifier.sign(body);
  const large = oversizedBody(maxBody);
  const largeSignature = verifier.sign(large);
  verifier.free();
  const otherSecret = new Uint8Array(32);
  crypto.getRandomValues(otherSecret);

  const send = (payload, sig, options = {}) =>
    request(url, { body: payload, headers: deliveryHeaders(sig, extra), timeoutMs, ...options });
  const rows = [
    ['signed', 'signed delivery', '2xx', () => send(body, signature), mustAccept],
    ['tampered_body', 'tampered body', 'not 2xx', () => send(tamper(body), signature), mustReject],
    ['no_signature', 'no signature', 'not 2xx', () => send(body, undefined), mustReject],
    ['wrong_secret', 'wrong secret', 'not 2xx', () => send(body, signWebhook(body, otherSecret)), mustReject],
    ['truncated_signature', 'truncated signature', 'not 2xx', () => send(body, signature.slice(0, 32)), mustReject],
    ['reserialized_body', 're-serialized body', 'not 2xx', () => send(reserialize(body, value), signature), mustReject],
    [
      'oversized_body',
      `oversized body (${formatBytes(maxBody)})`,
      '4xx or early close',
      () => send(large, largeSignature, { idleMs: timeoutMs, timeoutMs: timeoutMs * 30 }),
      (outcome) => mustRefuseLarge(outcome, maxBody),
    ],
    ['still_answers', 'still answers afterwards', '2xx', () => send(body, signature), stillAnswers],
  ];
  if (values.timing) {
    rows.push(['timing', 'timing (first vs last byte)', `|t| <= ${T_THRESHOLD}`, () => timingCheck(url, body, signature, extra, samples, timeoutMs), (r) => r]);
  }

  if (!io.json) io.info(`Testing ${url.href} with the secret from ${secret.source}`);
  const results = [];
  let unreachable;
  for (const [id, name, expected, run, judge] of rows) {
    let verdict;
    if (unreachable) {
      verdict = { pass: false, result: 'not run', detail: 'the receiver cannot be reached' };
    } else {
      const outcome = await run();
      if (id === 'signed' && !outcome.ok && UNREACHABLE.has(outcome.kind)) {
        unreachable = describeFailure(outcome);
        io.warn(`${url.href}: ${unreachable}`);
      }
      verdict = judge(outcome);
      verdict.status = outcome.ok ? outcome.status : null;
      verdict.ms = outcome.ms === undefined ? null : Math.round(outcome.ms);
    }
    const row = { id, name, pass: verdict.pass, expected, status: verdict.status ?? null, ms: verdict.ms ?? null, result: verdict.result, detail: verdict.detail ?? null };
    if (verdict.timing) row.timing = verdict.timing;
    results.push(row);
    if (!io.json) {
      const mark = row.pass ? io.colors.green('PASS') : io.colors.red('FAIL');
      const detail = row.detail ? `  ${oneLine(row.detail, 400)}` : '';
      io.out(`${mark}  ${name.padEnd(30)}${String(row.result).padEnd(16)}${detail}`.trimEnd());
    }
  }
  const failed = results.filter((row) => !row.pass).length;
  if (io.json) {
    io.emit({ url: url.href, rows: results, passed: results.length - failed, failed });
  } else {
    io.out('');
    io.out(failed === 0 ? io.colors.green(`all ${results.length} rows passed`) : io.colors.red(`${failed} of ${results.length} rows failed`));
  }
  return failed;
}
