// The test's secrets, how it signs, and the check that no fragment of them (nor of a tag they
// made) appears in anything the servers printed or answered.
import { createHash, createHmac } from 'node:crypto';

export const SECRET = 'Tk4mQ9vR2xW7pL3zNb8c';
export const PREVIOUS = 'Hy6sJ1dF5gA0eU8wKi3o';
export const ATTACKER = 'Gz5Xc1Vb7Nm3Kj9Lh2Pq';
export const UNAUTHORIZED = '{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}';

// API keys: keyid:secret. The revoked one is in the store with `revoked: true`.
export const KEY = { keyId: 'qwertyuiopasdf', secret: 'Zr7Qm2Xv9Lp4Tn6Bw1Yc' };
export const REVOKED = { keyId: 'zxcvbnmlkjhgfd', secret: 'Fe3Wd8Sa1Qg6Rh0Jt5Ku' };
export const WRONG_SECRET = 'Mb2Nv7Cx4Zl9Kj1Hg6Fd';

export const sha256 = (text) => createHash('sha256').update(text).digest('hex');
export const sign = (body, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** `keyId=hash` list for API_KEY_HASHES (the good key only: revoked keys are removed from it). */
export const API_KEY_HASHES = `${KEY.keyId}=${sha256(KEY.secret)}`;

const SECRETS = [SECRET, PREVIOUS, ATTACKER, KEY.secret, REVOKED.secret, WRONG_SECRET];
const tags = new Set();

/** Signs like sign(), remembering the tag so that the final check can look for it. */
export function tag(body, secret = SECRET) {
  const value = sign(body, secret);
  tags.add(value);
  return value;
}

/**
 * Every fragment of a secret (4 characters or more) or of a tag the test made (12 hex digits or
 * more) found in `texts`. Addresses 127.0.0.1:<port> are masked first: a port is not a secret.
 */
export function leaks(texts) {
  const found = new Set();
  for (const raw of texts) {
    const text = raw.replaceAll(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>');
    for (const [values, width] of [[SECRETS, 4], [[...tags], 12]]) {
      for (const value of values) {
        for (let i = 0; i + width <= value.length; i += 1) {
          if (text.includes(value.slice(i, i + width))) found.add(value.slice(i, i + width));
        }
      }
    }
  }
  return [...found];
}
