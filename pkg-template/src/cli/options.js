// Command-line parsing on node:util parseArgs, with messages that never repeat an option's value
// (a value typed in the wrong place may be a secret) and a flat refusal of options that would put
// a secret on the command line.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  'no-input': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Where the webhook secret comes from (never the command line). */
export const SECRET_OPTIONS = {
  'secret-env': { type: 'string' },
  'secret-file': { type: 'string' },
};

const WEBHOOK_SECRET_ADVICE =
  'Use --secret-env NAME (default DIALNEXA_WEBHOOK_SECRET), --secret-file PATH, or run it in a terminal to be prompted.';
const KEY_ADVICE = 'The key commands read keys and secrets from stdin or a hidden prompt: printf %s "$KEY" | dialnexa-verify key check ...';

// Options people reach for that would put a secret in argv: refused with the reason, value unread.
const REFUSED = {
  secret: WEBHOOK_SECRET_ADVICE,
  'webhook-secret': WEBHOOK_SECRET_ADVICE,
  key: KEY_ADVICE,
  'api-key': KEY_ADVICE,
};

function refusal(rawName, advice) {
  return new UsageError(
    `${rawName} is refused: a secret on the command line is visible to other users of this machine (ps, /proc) ` +
      `and stays in your shell history; its value is neither used nor shown. ${advice}`,
  );
}

// Edit distance, for "did you mean": option names are short, so the quadratic table is tiny.
function distance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest of `names` to `name` (at most two edits away), for "did you mean". */
export function closest(name, names) {
  if (name.length > 40) return undefined;
  let best;
  let bestDistance = 3;
  for (const candidate of names) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Parses one command's arguments.
 * @param {string} command - the command's name, for messages.
 * @param {string[]} args - the arguments after the command name.
 * @param {{ options?: object, positionals?: string[] }} spec - its own options (parseArgs shape, plus
 *   `multiple`) and the names of the positional arguments it takes.
 * @returns {{ values: object, positionals: string[] }}
 */
export function parseCommand(command, args, spec) {
  const options = { ...COMMON_OPTIONS, ...spec.options };
  const allowed = spec.positionals ?? [];
  const parserOptions = {};
  for (const [name, option] of Object.entries(options)) {
    parserOptions[name] = { type: option.type, ...(option.short ? { short: option.short } : {}), ...(option.multiple ? { multiple: true } : {}) };
  }
  let tokens;
  try {
    ({ tokens } = parseArgs({ args, options: parserOptions, strict: false, allowPositionals: true, tokens: true }));
  } catch (error) {
    throw new UsageError(`cannot read the arguments of ${command} (${error?.code ?? 'parse error'})`);
  }
  const values = {};
  const positionals = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    if (Object.hasOwn(REFUSED, token.name)) throw refusal(token.rawName, REFUSED[token.name]);
    const option = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined) {
      const known = Object.keys(options);
      const guess = token.rawName.startsWith('--') ? closest(token.name, known) : undefined;
      throw new UsageError(
        `unknown option ${token.rawName.slice(0, 60)} for ${command}${guess ? ` (did you mean --${guess}?)` : ''}; see dialnexa-verify ${command} --help`,
      );
    }
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--') && token.value.length > 2)) {
      throw new UsageError(`${token.rawName} needs a value (write ${token.rawName}=VALUE for a value that starts with --)`);
    }
    if (option.multiple) {
      (values[token.name] ??= []).push(token.value);
    } else if (values[token.name] !== undefined) {
      throw new UsageError(`--${token.name} is given more than once`);
    } else {
      values[token.name] = token.value;
    }
  }
  if (!values.help && positionals.length > allowed.length) {
    throw new UsageError(
      allowed.length === 0
        ? `${command} takes no arguments, got ${positionals.length}; see dialnexa-verify ${command} --help`
        : `${command} takes at most ${allowed.length} argument${allowed.length === 1 ? '' : 's'} (${allowed.join(' ')}), got ${positionals.length}`,
    );
  }
  return { values, positionals };
}

const SIZE_UNITS = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
};

/** `20MiB`, `5M`, `512k`, `1048576` → bytes (K/M/G and KiB/MiB/GiB are binary, kB/MB/GB decimal). */
export function parseSize(text, option, { min = 0, max }) {
  const match = /^(\d{1,15})(?:\.(\d{1,6}))?\s*([a-zA-Z]{0,3})$/.exec(text.trim());
  const unit = match ? SIZE_UNITS[match[3].toLowerCase()] : undefined;
  if (unit === undefined) {
    throw new UsageError(`${option} expects a size such as 1048576, 512KiB, 5MiB or 20MB`);
  }
  const bytes = Math.floor(Number(`${match[1]}.${match[2] ?? '0'}`) * unit);
  if (bytes < min || bytes > max) {
    throw new UsageError(`${option} must be between ${formatBytes(min)} and ${formatBytes(max)}`);
  }
  return bytes;
}

/** Seconds (a decimal number) → milliseconds. */
export function parseSeconds(text, option, { max = 3600 } = {}) {
  const match = /^(\d{1,6})(\.\d{1,3})?$/.exec(text.trim());
  const seconds = match ? Number(text.trim()) : NaN;
  if (!(seconds > 0) || seconds > max) {
    throw new UsageError(`${option} expects a number of seconds greater than 0 and at most ${max}, such as 10 or 0.5`);
  }
  return Math.round(seconds * 1000);
}

/** A whole number within bounds. */
export function parseInteger(text, option, { min, max }) {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${option} expects a whole number from ${min} to ${max}`);
  return value;
}

/** An http: or https: URL. */
export function parseUrl(text, what) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} is not a URL; write it in full, such as http://127.0.0.1:3000/webhooks/dialnexa`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${what} must be an http: or https: URL, not ${url.protocol.slice(0, 20)}`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${what} must not carry a user name or password (they would show in ps); pass an Authorization header instead`);
  }
  return url;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
// Headers this tool computes itself from the exact bytes it sends.
const COMPUTED = new Set(['content-length', 'transfer-encoding', 'connection', 'host']);

/** `"Name: value"` → [name, value]. */
export function parseHeader(text) {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (!TOKEN.test(name)) throw new UsageError('--header expects "Name: value" with a valid header name');
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 255) {
      throw new UsageError(`--header ${name}: the value holds a line break, a NUL or a character outside Latin-1`);
    }
  }
  if (COMPUTED.has(name.toLowerCase())) {
    throw new UsageError(`--header ${name} is refused: this tool sets it from the exact bytes it sends`);
  }
  return [name, value];
}

/** 5242880 → "5 MiB"; 1500 → "1500 bytes". */
export function formatBytes(bytes) {
  const units = [
    [1024 ** 3, 'GiB'],
    [1024 ** 2, 'MiB'],
    [1024, 'KiB'],
  ];
  for (const [size, name] of units) {
    if (bytes >= size && bytes % (size / 16) === 0) return `${bytes / size} ${name}`;
  }
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
