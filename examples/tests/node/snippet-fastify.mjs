// bench/load.mjs's baseline for the Fastify example: the same app (scope, limits, answers, log line,
// error handler), with the webhook verified by the spec's node:crypto snippet instead of the
// package: a raw-buffer parser for the scope, createHmac + timingSafeEqual with a length check first.
// Not an example to copy: examples/fastify/server.mjs is.
import { STATUS_CODES } from 'node:http';
import Fastify from 'fastify';
import { signatureMatches } from './snippet.mjs';

const fail = (reply, status) => reply.code(status).send({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });
const app = Fastify({ requestTimeout: 30_000, frameworkErrors: (error, request, reply) => fail(reply, 400) });
app.server.headersTimeout = 10_000;
app.register(async (scope) => {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 5 * 1024 * 1024 }, (request, body, done) => done(null, body));
  scope.addHook('preHandler', async (request, reply) => {
    if (!signatureMatches(request.body ?? Buffer.alloc(0), request.headers['x-dialnexa-signature'])) return fail(reply, 401);
    return undefined;
  });
  scope.post('/webhooks/dialnexa', async (request) => {
    const event = JSON.parse(request.body.toString('utf8'));
    console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${request.body.length} bytes, secret #0`);
    return { received: event.event, bytes: request.body.length };
  });
});
app.setNotFoundHandler((request, reply) => fail(reply, 404));
app.setErrorHandler((error, request, reply) => {
  const status = Number.isInteger(error?.statusCode) && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) console.error(error);
  else console.warn(`${request.method} ${request.routeOptions.url ?? 'unknown route'}: ${status} (${error.code ?? error.name})`);
  return fail(reply, status);
});

await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${app.server.address().port}`);
