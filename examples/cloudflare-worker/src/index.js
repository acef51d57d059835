// Cloudflare Worker: verifyWebhookRequest reads the body once and answers bad requests for you.
import { verifyWebhookRequest } from 'dialnexa-verify';

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || pathname !== '/webhooks/dialnexa') {
      return new Response('Not Found', { status: 404 });
    }
    const result = await verifyWebhookRequest(request, env.DIALNEXA_WEBHOOK_SECRET);
    if (!result.ok) return result.response; // 401 with DialNexa's JSON body
    const event = result.json();
    // ... handle the event ...
    return Response.json({ received: event.event });
  },
};
