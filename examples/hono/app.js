// Hono: one app for Cloudflare Workers, Deno, Bun and Node. `env(c)` reads the secret from the
// Worker's bindings or the process environment, whichever the runtime has.
import { Hono } from 'hono';
import { env } from 'hono/adapter';
import { verifyWebhookRequest } from 'dialnexa-verify';

const app = new Hono();

app.post('/webhooks/dialnexa', async (c) => {
  const { DIALNEXA_WEBHOOK_SECRET } = env(c);
  const result = await verifyWebhookRequest(c.req.raw, DIALNEXA_WEBHOOK_SECRET);
  if (!result.ok) return result.response;
  const event = result.json();
  // ... handle the event ...
  return c.json({ received: event.event });
});

export default app; // Cloudflare Workers: this module is the Worker
