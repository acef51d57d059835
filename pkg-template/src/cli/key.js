// `key generate|hash|check|redact`: the package's API-key functions. Keys and secrets come from
// stdin or a hidden prompt; only `generate` ever prints a secret, once, by design.
import { createInterface } from 'node:readline';
import { ApiKeyError, checkApiKey, generateApiKey, hashApiKeySecret, parseApiKey, parseAuthorization, redactApiKey } from 'dialnexa-verify';
import { EXIT, UsageError } from './errors.js';
import { parseInteger } from './options.js';
import { readSecretFromStdin } from './input.js';
import { promptHidden } from './terminal.js';

export const KEY_GENERATE = { options: { count: { type: 'string' } }, positionals: [] };
export const KEY_HASH = { options: {}, positionals: [] };
export const KEY_CHECK = { options: { 'key-id': { type: 'string' }, hash: { type: 'string' } }, positionals: [] };
export const KEY_REDACT = { options: {}, positionals: [] };

const MAX_COUNT = 100_000;

// One secret or key: a hidden prompt when stdin is a terminal, otherwise stdin.
async function readOne(values, prompt, what) {
  if (process.stdin.isTTY) {
    if (values['no-input'] || typeof process.stdin.setRawMode !== 'function') {
      throw new UsageError(`pipe the ${what} on stdin (stdin is a terminal and --no-input forbids the prompt)`);
    }
    return promptHidden(prompt);
  }
  return readSecretFromStdin(what);
}

// The package's messages start with "dialnexa-verify: "; they never contain any part of a key.
const bare = (message) => message.replace(/^dialnexa-verify: (hashApiKeySecret: )?/, '');

export async function keyGenerate({ values, io }) {
  const count = values.count === undefined ? undefined : parseInteger(values.count, '--count', { min: 1, max: MAX_COUNT });
  const keys = [];
  for (let i = 0; i < (count ?? 1); i++) {
    const issued = generateApiKey();
    keys.push({ key: issued.key, keyId: issued.keyId, secretHash: issued.secretHash });
  }
  if (io.json) {
    io.emit(count === undefined ? keys[0] : keys);
  } else if (count === undefined) {
    const [{ key, keyId, secretHash }] = keys;
    io.out(`key          ${key}`);
    io.out(`key ID       ${keyId}`);
    io.out(`secret hash  ${secretHash}`);
  } else {
    io.info('key<TAB>key ID<TAB>secret hash, one key per line');
    io.out(keys.map(({ key, keyId, secretHash }) => `${key}\t${keyId}\t${secretHash}`).join('\n'));
  }
  io.info(
    'Give each key to its user now: it is shown once and cannot be recovered. Store only the key ID and the ' +
      'secret hash, and check presented keys with checkApiKey(presented, { keyId, secretHash }).',
  );
  return EXIT.OK;
}

export async function keyHash({ values, io }) {
  const input = await readOne(values, 'API-key secret (input hidden): ', 'secret');
  let secret = input;
  let keyId;
  if (input.includes(':')) {
    try {
      const parsed = parseApiKey(input);
      ({ keyId, secret } = { keyId: parsed.keyId, secret: parsed.secret });
    } catch (error) {
      if (error instanceof ApiKeyError) throw new UsageError(`not a valid API key (${error.code}): ${bare(error.message)}`);
      throw error;
    }
    io.info(`read a whole key (key ID ${keyId}): hashing its secret`);
  }
  let secretHash;
  try {
    secretHash = hashApiKeySecret(secret);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(bare(error.message));
    throw error;
  }
  if (io.json) io.emit(keyId === undefined ? { secretHash } : { keyId, secretHash });
  else io.out(secretHash);
  return EXIT.OK;
}

const REASONS = {
  key_id_mismatch: 'the key ID is not the stored one',
  secret_mismatch: 'the key ID matches, but the secret does not have the stored hash',
};

export async function keyCheck({ values, io }) {
  const keyId = values['key-id'];
  const secretHash = values.hash;
  if (keyId === undefined || secretHash === undefined) {
    throw new UsageError('key check needs the stored record: --key-id ID --hash HASH');
  }
  if (keyId === '' || keyId.length > 256) throw new UsageError('--key-id must be 1 to 256 characters');
  if (!/^[0-9a-fA-F]{64}$/.test(secretHash)) throw new UsageError('--hash must be the 64 hex digits of the stored SHA-256 (from key generate or key hash)');
  const input = await readOne(values, 'API key (input hidden): ', 'key');
  let parsed;
  let reason;
  try {
    parsed = /^\s*bearer\s/i.test(input) ? parseAuthorization(input.trim()) : parseApiKey(input);
  } catch (error) {
    if (!(error instanceof ApiKeyError)) throw error;
    reason = `malformed_key`;
    const explanation = `the key is malformed (${error.code}): ${bare(error.message)}`;
    if (io.json) io.emit({ ok: false, reason, code: error.code, explanation });
    else io.out(`${io.colors.red('no match')}: ${explanation}`);
    return EXIT.FAILED;
  }
  const ok = checkApiKey(parsed, { keyId, secretHash: secretHash.toLowerCase() });
  if (!ok) reason = parsed.keyId === keyId ? 'secret_mismatch' : 'key_id_mismatch';
  if (io.json) io.emit(ok ? { ok } : { ok, reason, explanation: REASONS[reason] });
  else io.out(ok ? io.colors.green('match') : `${io.colors.red('no match')}: ${REASONS[reason]}`);
  return ok ? EXIT.OK : EXIT.FAILED;
}

export async function keyRedact({ values, io }) {
  const redacted = [];
  const emit = (line) => {
    const shown = redactApiKey(line.trim());
    if (io.json) redacted.push(shown);
    else io.out(shown);
  };
  if (process.stdin.isTTY) {
    emit(await readOne(values, 'API key (input hidden): ', 'key'));
  } else {
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) emit(line);
  }
  if (io.json) io.emit({ redacted });
  return EXIT.OK;
}
