// How much diagnosis a rejected delivery may get, for everything that logs the rejections of
// requests it serves (the integrations and the command line's `listen`). A diagnosis of a
// signature that does not match computes up to 97 HMACs over re-encodings of the body (about
// 80 ms for a crafted 64 KiB body on a laptop core): anyone who can send requests could make a
// server spend that on each one. So such a diagnosis runs at most once a second, and only over
// bodies of at most 64 KiB (DialNexa's deliveries are a few KiB); a header that is missing or not
// a tag is explained from the header alone, which costs nothing.

import { trimmedBounds } from './trim.js';

export const DIAGNOSIS_MAX_BODY = 64 * 1024;
const DIAGNOSIS_EVERY_MS = 1000;

/** What a line says instead of a diagnosis the bounds refused. */
export const NOT_DIAGNOSED = {
  large: 'not diagnosed: the body is over 64 KiB',
  often: 'not diagnosed: one diagnosis a second at most',
};

/**
 * Whether explaining a rejection needs the body, and so HMACs over it: a signature that did not
 * match, or a header that may be the tag in base64 (43 or 44 characters once trimmed, after an
 * optional `sha256=`, the shape the diagnosis tries). Other header problems are explained by the
 * header's shape alone.
 */
export function needsBody(reason, signature) {
  if (reason === 'signature_mismatch') return true;
  if (reason !== 'malformed_signature' || typeof signature !== 'string') return false;
  const [trimmed, end] = trimmedBounds(signature);
  const prefixed = end - trimmed > 7 && signature.slice(trimmed, trimmed + 7).toLowerCase() === 'sha256=';
  const length = end - trimmed - (prefixed ? 7 : 0);
  return length === 43 || length === 44;
}

/** Whether a body (bytes, or a string counted in UTF-8 bytes) is small enough to be diagnosed. */
export function smallEnough(body) {
  if (typeof body !== 'string') return body.byteLength <= DIAGNOSIS_MAX_BODY;
  // A UTF-16 unit is at least one UTF-8 byte: a longer string is too long without counting.
  if (body.length > DIAGNOSIS_MAX_BODY) return false;
  let bytes = 0;
  for (let i = 0; i < body.length; i += 1) {
    const c = body.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < body.length && (body.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes <= DIAGNOSIS_MAX_BODY;
}

/** A budget of one diagnosis a second: `take()` is true when one may run now (and spends it). */
export function diagnosisBudget() {
  let last = -Infinity;
  return {
    take() {
      const now = Date.now();
      if (now - last < DIAGNOSIS_EVERY_MS) return false;
      last = now;
      return true;
    },
  };
}
