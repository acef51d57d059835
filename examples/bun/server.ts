// Bun.serve with withWebhook. Run with `bun server.ts`.
import { withWebhook } from 'dialnexa-verify';

const current = Bun.env.DIALNEXA_WEBHOOK_SECRET;
if (!current) {
  console.error('DIALNEXA_WEBHOOK_SECRET is not set: set it to the webhook secret registered with DialNexa.');
  process.exit(1);
}
const previous = Bun.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS; // during a rotation
const LIMIT = 1024 * 1024;

const REASONS: Record<number, string> = { 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };
const problem = (status: number) =>
  Response.json({ statusCode: status, message: REASONS[status], error: REASONS[status] }, { status });

// Answers 401 (DialNexa's body) unless the signature is right, before reading an unsigned body;
// 413 past `limit`, 408 when the body takes longer than `timeout` ms.
const receive = withWebhook((_request, delivery) => {
  const event = delivery.json() as { event: string };
  // ... handle the event, idempotently (DialNexa retries, and a captured delivery verifies forever) ...
  console.log(`dialnexa: accepted ${event.event} (${delivery.body.length} bytes, secret #${delivery.secretIndex})`);
  return Response.json({ received: event.event });
}, { secret: previous ? [current, previous] : current, limit: LIMIT, timeout: 10_000 });

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 3000),
  development: false, // never Bun's error page (it shows paths and source), whatever NODE_ENV says
  idleTimeout: 10, // seconds without a byte before Bun closes a connection
  maxRequestBodySize: 2 * LIMIT, // Bun's own cap (default 128 MB), a backstop: the package answers 413 first
  fetch(request) {
    if (new URL(request.url).pathname !== '/webhooks/dialnexa') return problem(404);
    if (request.method !== 'POST') return problem(405);
    return receive(request);
  },
  error(error) {
    console.error('request failed:', error); // details stay in the server's log
    return problem(500);
  },
});
console.log(`listening on http://127.0.0.1:${server.port}`);
