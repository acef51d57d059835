// Fastify 5: DialNexa webhooks verified on their exact bytes in their own scope, API keys on /v1,
// Fastify's JSON parser everywhere else.
import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import dialnexaWebhook, { dialnexaApiKey } from 'dialnexa-verify/fastify';

const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
if (!secret) {
  console.error('DIALNEXA_WEBHOOK_SECRET is not set: export the webhook secret you registered with DialNexa.');
  process.exit(1);
}
// During a rotation, deliveries signed with the previous secret are accepted too (current first).
const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
// The API keys you issued: key ID -> hashApiKeySecret(secret), never the secret. Your database in
// production; here API_KEY_HASHES="keyid:hash,keyid:hash". A revoked key is one lookup() no longer finds.
const apiKeyHashes = new Map((process.env.API_KEY_HASHES ?? '').split(',').filter(Boolean).map((entry) => entry.split(':')));

const fail = (reply, status) => reply.code(status).send({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });

const app = Fastify({
  requestTimeout: 30_000, // the whole request, body included (Fastify's default is no limit)
  frameworkErrors: (error, request, reply) => fail(reply, 400), // a URL that cannot be decoded, such as /%
});
app.server.headersTimeout = 10_000; // the request line and headers

// The webhook route in a scope of its own: the plugin replaces the body parsers of this scope only
// with a raw one (at most 5 MiB, the package default: 413 past it) and answers 401 with DialNexa's
// body unless the signature matches. The handler runs only for a verified delivery.
// #region readme
app.register(async (scope) => {
  await scope.register(dialnexaWebhook, { secret: previous ? [secret, previous] : secret });
  scope.post('/webhooks/dialnexa', async (request) => {
    const { body, secretIndex } = request.dialnexa;
    const event = request.dialnexa.json();
    console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${body.length} bytes, secret #${secretIndex}`);
    return { received: event.event, bytes: body.length };
  });
});
// #endregion

// API keys for everything under /v1; these routes keep Fastify's JSON parser (1 MiB by default).
app.register(async (scope) => {
  await scope.register(dialnexaApiKey, { lookup: (keyId) => apiKeyHashes.get(keyId) });
  scope.get('/agents', async (request) => ({ keyId: request.apiKey.keyId, agents: [] }));
  scope.post('/agents', async (request, reply) => reply.code(201).send({ created: request.body?.name ?? null }));
}, { prefix: '/v1' });

// A fixed JSON body for unknown routes and for every error, Fastify's own included (a body over
// the limit, malformed JSON, an unsupported content type); the details go to the server's log only.
app.setNotFoundHandler((request, reply) => fail(reply, 404));
app.setErrorHandler((error, request, reply) => {
  const status = Number.isInteger(error?.statusCode) && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) console.error(error);
  else console.warn(`${request.method} ${request.routeOptions.url ?? 'unknown route'}: ${status} (${error.code ?? error.name})`);
  return fail(reply, status);
});

await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${app.server.address().port}`);
