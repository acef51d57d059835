// Reading the exact bytes of a file or of stdin.
import { open } from 'node:fs/promises';
import { UsageError } from './errors.js';
import { formatBytes } from './options.js';

/** All bytes of a stream, refusing more than `limit` (`what` names it in the message). */
export async function readStream(stream, limit, what) {
  const chunks = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > limit) {
      chunks.forEach((c) => c.fill(0));
      throw new UsageError(`${what} is larger than ${formatBytes(limit)}`);
    }
    chunks.push(bytes);
  }
  const all = Buffer.concat(chunks, total);
  chunks.forEach((c) => c.fill(0));
  return all;
}

function fileError(error, what) {
  const reasons = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
  };
  const reason = reasons[error?.code] ?? `error ${error?.code ?? 'reading it'}`;
  return new UsageError(`cannot read ${what}: ${reason}`);
}

/**
 * All bytes of the file at `path`, refusing more than `limit`. `what` names the file in messages:
 * by default its path; for a file given to --secret-file or --signature-file, the option (a
 * secret or a tag pasted there by mistake must not be printed back).
 */
export async function readFileBytes(path, limit, what = JSON.stringify(path.slice(0, 200))) {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return await readStream(handle.createReadStream({ autoClose: false }), limit, what);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw fileError(error, what);
  } finally {
    await handle?.close().catch(() => {});
  }
}

const BODY_LIMIT = 1024 ** 3;

/**
 * The payload of `sign` and `verify`: the file named, or stdin for `-`. With no argument, stdin
 * when it is piped; a terminal on stdin is a usage error (say `-` to type the body).
 */
export async function readPayload(argument) {
  if (argument === undefined && process.stdin.isTTY) {
    throw new UsageError('give FILE, pipe the body on stdin, or pass - to type it (end with Ctrl-D)');
  }
  if (argument === undefined || argument === '-') return readStream(process.stdin, BODY_LIMIT, 'stdin');
  return readFileBytes(argument, BODY_LIMIT);
}

/** `--data`: `@FILE` (its bytes), `-` or `@-` (stdin), or the argument's own UTF-8 bytes. */
export async function readData(data, fallback) {
  if (data === undefined) return Buffer.from(fallback);
  if (data === '-' || data === '@-') return readStream(process.stdin, BODY_LIMIT, 'stdin');
  if (data.startsWith('@')) return readFileBytes(data.slice(1), BODY_LIMIT);
  return Buffer.from(data);
}

/**
 * One secret or key from stdin: at most 64 KiB, one trailing newline (`\n` or `\r\n`) removed,
 * as `echo` and most editors add one.
 */
export async function readSecretFromStdin(what) {
  const bytes = await readStream(process.stdin, 64 * 1024, what);
  const text = bytes.toString('utf8');
  bytes.fill(0);
  return stripOneNewline(text);
}

/** `text` without one trailing `\n` or `\r\n`. */
export function stripOneNewline(text) {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
