// dialnexa-verify/fastify with `timeout: 1000`: WebhookOptions.timeout says a body that takes longer
// gets 408. Fastify's own requestTimeout is left at its default (none), so only the plugin bounds it.
// Usage: node tests/node/fastify-timeout.mjs (PORT, DIALNEXA_WEBHOOK_SECRET).
import Fastify from 'fastify';
import dialnexaWebhook from 'dialnexa-verify/fastify';

const app = Fastify();
app.register(async (scope) => {
  await scope.register(dialnexaWebhook, { secret: process.env.DIALNEXA_WEBHOOK_SECRET, timeout: 1000 });
  scope.post('/webhooks/dialnexa', async (request) => ({ received: request.dialnexa.json().event }));
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${app.server.address().port}`);
