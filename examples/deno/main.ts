// Deno.serve with withWebhook. Run with
//   deno run --allow-net=127.0.0.1 --allow-env=DIALNEXA_WEBHOOK_SECRET,DIALNEXA_WEBHOOK_SECRET_PREVIOUS,PORT,NODE_ENV main.ts
import { withWebhook } from 'dialnexa-verify';

const current = Deno.env.get('DIALNEXA_WEBHOOK_SECRET');
if (!current) {
  console.error('DIALNEXA_WEBHOOK_SECRET is not set: set it to the webhook secret registered with DialNexa.');
  Deno.exit(1);
}
const previous = Deno.env.get('DIALNEXA_WEBHOOK_SECRET_PREVIOUS'); // during a rotation

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
}, { secret: previous ? [current, previous] : current, limit: 1024 * 1024, timeout: 10_000 });

Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8000),
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
  onError(error) {
    console.error('request failed:', error); // details stay in the server's log
    return problem(500);
  },
}, (request) => {
  if (new URL(request.url).pathname !== '/webhooks/dialnexa') return problem(404);
  if (request.method !== 'POST') return problem(405);
  return receive(request);
});
