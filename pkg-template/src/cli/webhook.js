// `sign` and `verify`: the package's own signWebhook, checkWebhook and diagnoseWebhook over the
// exact bytes read.
import { checkWebhook, diagnoseWebhook, signWebhook } from 'dialnexa-verify';
import { EXIT, UsageError } from './errors.js';
import { readFileBytes, readPayload, readStream, stripOneNewline } from './input.js';
import { SECRET_OPTIONS } from './options.js';
import { ENV_NAME, loadWebhookSecret } from './secret.js';

export const SIGN = { options: { ...SECRET_OPTIONS }, positionals: ['FILE'] };
export const VERIFY = {
  options: {
    ...SECRET_OPTIONS,
    signature: { type: 'string' },
    'signature-env': { type: 'string' },
    'signature-file': { type: 'string' },
  },
  positionals: ['FILE'],
};

// A signature is 64 hex digits and a few more characters; a larger file is not one.
const SIGNATURE_FILE_LIMIT = 64 * 1024;
const SIGNATURE_OPTIONS = ['signature', 'signature-env', 'signature-file'];

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

/**
 * Where `verify` takes the signature from, checked before anything is read: `--signature VALUE`
 * (visible in ps), `--signature-env NAME` or `--signature-file PATH`, at most one of them; none
 * means no signature (missing_signature). `--signature-file -` is stdin, unless the body is read
 * from there.
 */
function signatureSource(values, bodyArgument) {
  const given = SIGNATURE_OPTIONS.filter((name) => values[name] !== undefined);
  if (given.length > 1) {
    const both = given.map((name) => `--${name}`).join(' and ');
    throw new UsageError(`give one of --signature, --signature-env and --signature-file, not ${both}`);
  }
  const envName = values['signature-env'];
  if (envName !== undefined && !ENV_NAME.test(envName)) {
    throw new UsageError('--signature-env expects the name of an environment variable, such as DIALNEXA_SIGNATURE');
  }
  const file = values['signature-file'];
  if (file === '') throw new UsageError('--signature-file needs a path, or - for stdin');
  if (file === '-' && (bodyArgument === undefined || bodyArgument === '-')) {
    throw new UsageError(
      '--signature-file - reads the signature from stdin, but the body is read from stdin too; give the body as FILE, or the signature with --signature-env NAME',
    );
  }
  return { value: values.signature, envName, file };
}

/**
 * The signature's text from its source: a variable as it is (unset is a usage error, empty is
 * checked as no signature), a file or stdin with one trailing newline (`\n` or `\r\n`) removed.
 */
async function readSignature({ value, envName, file }) {
  if (envName !== undefined) {
    const text = process.env[envName];
    // Not named: a tag pasted where the name goes would be printed back.
    if (text === undefined) throw new UsageError('the environment variable named by --signature-env is not set');
    return text;
  }
  if (file === undefined) return value;
  const bytes =
    file === '-'
      ? await readStream(process.stdin, SIGNATURE_FILE_LIMIT, 'the signature on stdin')
      : await readFileBytes(file, SIGNATURE_FILE_LIMIT, 'the file given to --signature-file');
  return stripOneNewline(bytes.toString('utf8'));
}

/**
 * `verify [FILE|-] [--signature-env NAME | --signature-file PATH | --signature VALUE]`: exit 0
 * when valid, 1 with the reason and diagnosis when not.
 */
export async function verify({ values, positionals, io }) {
  const source = signatureSource(values, positionals[0]);
  // From a file or a variable, before a secret prompt, so that a mistake there is reported first.
  const early = source.file === '-' ? undefined : await readSignature(source);
  const secret = await loadWebhookSecret(values, io.warn);
  try {
    const payload = await readPayload(positionals[0]);
    const signature = source.file === '-' ? await readSignature(source) : early;
    const result = checkWebhook(payload, signature, secret.bytes);
    if (result.ok) {
      if (io.json) io.emit({ ok: true });
      else io.out(io.colors.green('valid'));
      return EXIT.OK;
    }
    const explanation = EXPLANATIONS[result.reason];
    // What most likely went wrong, with the secret in hand (bounded work: see diagnoseWebhook).
    const { cause, hint } = diagnoseWebhook(payload, signature, secret.bytes);
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
