// The webhook secret: from an environment variable, a file or a hidden prompt, never from the
// command line. Messages name where the secret came from, never what it is.
import { UsageError } from './errors.js';
import { readFileBytes } from './input.js';
import { promptHidden } from './terminal.js';

export const DEFAULT_SECRET_ENV = 'DIALNEXA_WEBHOOK_SECRET';
const SECRET_FILE_LIMIT = 64 * 1024;
/** What an environment variable's name may look like (for --secret-env and --signature-env). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function isSpace(byte) {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}

// A warning for a secret with surrounding whitespace: DialNexa's secrets have none, so it is
// almost always a copy-paste or .env mistake. The secret is still used exactly as read.
function whitespaceWarning(bytes, source, warn) {
  if (bytes.length > 0 && (isSpace(bytes[0]) || isSpace(bytes[bytes.length - 1]))) {
    warn(`warning: the secret from ${source} starts or ends with whitespace; it is used as is, but DialNexa's secrets have none`);
  }
}

/**
 * The webhook secret as bytes, from (in this order) `--secret-file PATH`, `--secret-env NAME`,
 * `$DIALNEXA_WEBHOOK_SECRET`, or a hidden prompt when stdin is a terminal and `--no-input` is
 * not given. A secret file loses exactly one trailing newline (`\n` or `\r\n`); an environment
 * variable is used as is. The caller zeroes the returned bytes when done.
 * @returns {Promise<{ bytes: Uint8Array, source: string }>}
 */
export async function loadWebhookSecret(values, warn) {
  const file = values['secret-file'];
  const envName = values['secret-env'];
  if (file !== undefined && envName !== undefined) {
    throw new UsageError('give --secret-env or --secret-file, not both');
  }
  if (file !== undefined) {
    if (file === '') throw new UsageError('--secret-file needs a path');
    const source = `--secret-file ${JSON.stringify(file.slice(0, 200))}`;
    // Until the file is read, its path is not shown: a secret pasted where the path goes would be.
    let bytes = await readFileBytes(file, SECRET_FILE_LIMIT, 'the file given to --secret-file');
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0a) end -= end > 1 && bytes[end - 2] === 0x0d ? 2 : 1;
    if (end === 0) {
      bytes.fill(0);
      throw new UsageError('the file given to --secret-file is empty');
    }
    bytes = bytes.subarray(0, end);
    whitespaceWarning(bytes, source, warn);
    return { bytes, source };
  }
  const name = envName ?? DEFAULT_SECRET_ENV;
  if (!ENV_NAME.test(name)) throw new UsageError('--secret-env expects the name of an environment variable, such as DIALNEXA_WEBHOOK_SECRET');
  const value = process.env[name];
  if (value !== undefined && value !== '') {
    const bytes = Buffer.from(value, 'utf8');
    whitespaceWarning(bytes, `$${name}`, warn);
    return { bytes, source: `$${name}` };
  }
  if (envName !== undefined) {
    // Not named: a secret pasted where the name goes would be printed back.
    throw new UsageError(`the environment variable named by --secret-env is ${value === undefined ? 'not set' : 'empty'}`);
  }
  if (!values['no-input'] && process.stdin.isTTY && typeof process.stdin.setRawMode === 'function') {
    const text = await promptHidden('Webhook secret (input hidden): ');
    if (text === '') throw new UsageError('no secret was entered');
    const bytes = Buffer.from(text, 'utf8');
    whitespaceWarning(bytes, 'the prompt', warn);
    return { bytes, source: 'the prompt' };
  }
  throw new UsageError(
    `no webhook secret: set ${DEFAULT_SECRET_ENV}, or pass --secret-env NAME or --secret-file PATH` +
      (values['no-input'] ? '' : ' (in a terminal you would be prompted for it)'),
  );
}
