// Bun: Bun.serve with verifyWebhookRequest. Run with `bun server.ts`.
import { verifyWebhookRequest } from 'dialnexa-verify';

const secret = Bun.env.DIALNEXA_WEBHOOK_SECRET ?? '';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 3000),
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || pathname !== '/webhooks/dialnexa') {
      return new Response('Not Found', { status: 404 });
    }
    const result = await verifyWebhookRequest(request, secret);
    if (!result.ok) return result.response;
    const event = result.json() as { event: string };
    // ... handle the event ...
    return Response.json({ received: event.event });
  },
});

console.log(`listening on http://127.0.0.1:${server.port}`);
