// What the routes share: DialNexa-shaped error bodies, a guard that turns any thrown error into a
// fixed 500 (details in the server's log only), and the webhook receiver.
import { withWebhook } from 'dialnexa-verify';

/** The largest delivery accepted, in bytes; the package answers 413 past it and stops reading. */
export const LIMIT = 1024 * 1024;

const REASONS = { 500: 'Internal Server Error' };
const problem = (status) => Response.json({ statusCode: status, message: REASONS[status], error: REASONS[status] }, { status });

/** `handler`, with a thrown error answered by a fixed JSON 500 and logged here. */
export function guarded(handler) {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
      return problem(500);
    }
  };
}

// The secret, with the previous one during a rotation, read when a delivery arrives: `next build`
// imports every route, and the build does not need the production secret. (Missing at run time,
// withWebhook answers 500 and logs it; instrumentation.js already stops `next start` without it.)
function secret() {
  const current = process.env.DIALNEXA_WEBHOOK_SECRET;
  const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
  return current && previous ? [current, previous] : current;
}

// #region readme
function handle(request, delivery) {
  const event = delivery.json();
  // ... handle the event, idempotently (DialNexa retries, and a captured delivery verifies forever) ...
  console.log(`dialnexa: accepted ${event.event} (${delivery.body.length} bytes, secret #${delivery.secretIndex})`);
  return Response.json({ received: event.event });
}

/**
 * The POST route handler: withWebhook answers 401 with DialNexa's body (before reading an unsigned
 * body), 413 past LIMIT, 408 when the body takes over 10 s; a thrown error becomes a fixed 500.
 */
export const receiveWebhook = guarded(withWebhook(handle, { secret, limit: LIMIT, timeout: 10_000 }));
// #endregion
