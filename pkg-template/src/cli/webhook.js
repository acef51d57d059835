// `sign` and `verify`: the package's own signWebhook, checkWebhook and diagnoseWebhook over the
// exact bytes read.
import { checkWebhook, diagnoseWebhook, signWebhook } from 'dialnexa-verify';
import { EXIT } from './errors.js';
import { readPayload } from './input.js';
import { SECRET_OPTIONS } from './options.js';
import { loadWebhookSecret } from './secret.js';

export const SIGN = { options: { ...SECRET_OPTIONS }, positionals: ['FILE'] };
export const VERIFY = { options: { ...SECRET_OPTIONS, signature: { type: 'string' } }, positionals: ['FILE'] };

/** What each `checkWebhook` reason means, in one sentence. */
export const EXPLANATIONS = {
  missing_signature: 'no signature was given; DialNexa sends it in the X-DialNexa-Signature header',
  malformed_signature:
    'the signature is not 64 hex digits (an optional sha256= prefix and surrounding whitespace are allowed; nothing else)',
  signature_mismatch:
    'the signature is well-formed but these bytes, signed with this secret, give another one: the body changed ' +
    '(re-serialized JSON, a newline, another encoding) or the secret is not the one registered for this webhook',
};

/** `sign [FILE|-]`: prints the X-DialNexa-Signature value for the exact bytes. */
export async function sign({ values, positionals, io }) {
  const secret = await loadWebhookSecret(values, io.warn);
  try {
    const payload = await readPayload(positionals[0]);
    const signature = signWebhook(payload, secret.bytes);
    if (io.json) io.emit({ signature, header: 'X-DialNexa-Signature', bytes: payload.length });
    else io.out(signature);
    return EXIT.OK;
  } finally {
    secret.bytes.fill(0);
  }
}

/** `verify [FILE|-] --signature VALUE`: exit 0 when valid, 1 with the reason and diagnosis when not. */
export async function verify({ values, positionals, io }) {
  const secret = await loadWebhookSecret(values, io.warn);
  try {
    const payload = await readPayload(positionals[0]);
    const result = checkWebhook(payload, values.signature, secret.bytes);
    if (result.ok) {
      if (io.json) io.emit({ ok: true });
      else io.out(io.colors.green('valid'));
      return EXIT.OK;
    }
    const explanation = EXPLANATIONS[result.reason];
    // What most likely went wrong, with the secret in hand (bounded work: see diagnoseWebhook).
    const { cause, hint } = diagnoseWebhook(payload, values.signature, secret.bytes);
    if (io.json) {
      io.emit({ ok: false, reason: result.reason, explanation, cause, hint });
    } else {
      io.out(`${io.colors.red('invalid')}: ${result.reason}`);
      io.out(`  ${explanation}`);
      io.out(`  cause: ${cause}`);
      io.out(`  hint: ${hint}`);
    }
    return EXIT.FAILED;
  } finally {
    secret.bytes.fill(0);
  }
}
