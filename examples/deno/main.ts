// Deno: Deno.serve with verifyWebhookRequest. Run with
//   deno run --allow-net=127.0.0.1 --allow-env=DIALNEXA_WEBHOOK_SECRET,PORT main.ts
import { verifyWebhookRequest } from 'dialnexa-verify';

const secret = Deno.env.get('DIALNEXA_WEBHOOK_SECRET') ?? '';

Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8000),
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
}, async (request) => {
  const { pathname } = new URL(request.url);
  if (request.method !== 'POST' || pathname !== '/webhooks/dialnexa') {
    return new Response('Not Found', { status: 404 });
  }
  const result = await verifyWebhookRequest(request, secret);
  if (!result.ok) return result.response;
  const event = result.json() as { event: string };
  // ... handle the event ...
  return Response.json({ received: event.event });
});
