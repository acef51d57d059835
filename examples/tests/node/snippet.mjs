// The spec's node:crypto snippet, shared by bench/load.mjs's baseline apps (snippet-express.mjs,
// snippet-fastify.mjs): the secret from the environment, checked at start-up, and createHmac +
// timingSafeEqual with a length check first.
import { createHmac, timingSafeEqual } from 'node:crypto';

const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
if (!secret) {
  console.error('DIALNEXA_WEBHOOK_SECRET is not set.');
  process.exit(1);
}

export function signatureMatches(body, header) {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'));
  const received = Buffer.from(header);
  return expected.length === received.length && timingSafeEqual(expected, received);
}
