// Cloudflare Worker with withWebhook. A Worker has no start-up and gets its secrets with each
// request (env), so the receiver is built on first use.
import { withWebhook } from 'dialnexa-verify';

const REASONS = { 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };
const problem = (status) => Response.json({ statusCode: status, message: REASONS[status], error: REASONS[status] }, { status });

let receive;

// Answers 401 (DialNexa's body) unless the signature is right, before reading an unsigned body;
// 413 past `limit`, 408 when the body takes longer than `timeout` ms.
// #region readme
function receiver(env) {
  const current = env.DIALNEXA_WEBHOOK_SECRET;
  const previous = env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS; // during a rotation
  return withWebhook((request, delivery) => {
    const event = delivery.json();
    // ... handle the event, idempotently (DialNexa retries, and a captured delivery verifies forever) ...
    console.log(`dialnexa: accepted ${event.event} (${delivery.body.length} bytes, secret #${delivery.secretIndex})`);
    return Response.json({ received: event.event });
  }, { secret: previous ? [current, previous] : current, limit: 1024 * 1024, timeout: 10_000 });
}
// #endregion

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== '/webhooks/dialnexa') return problem(404);
    if (request.method !== 'POST') return problem(405);
    if (!env.DIALNEXA_WEBHOOK_SECRET) {
      console.error('DIALNEXA_WEBHOOK_SECRET is not set: add the Worker secret with `npx wrangler secret put DIALNEXA_WEBHOOK_SECRET`.');
      return problem(500);
    }
    receive ??= receiver(env);
    try {
      return await receive(request);
    } catch (error) {
      console.error('webhook handler failed:', error); // details stay in the Worker's log
      return problem(500);
    }
  },
};
