// bench/load.mjs's baseline for the Express example: the same app (routes, limits, answers, log
// line, error handler), with the webhook verified by the spec's node:crypto snippet instead of the
// package: express.raw() keeps the bytes, createHmac + timingSafeEqual with a length check first.
// Not an example to copy: examples/express/server.mjs is.
import { STATUS_CODES } from 'node:http';
import express from 'express';
import { signatureMatches } from './snippet.mjs';

const fail = (res, status) => res.status(status).json({ statusCode: status, message: STATUS_CODES[status], error: STATUS_CODES[status] });
const app = express();
app.disable('x-powered-by');
app.post('/webhooks/dialnexa', express.raw({ type: () => true, limit: 5 * 1024 * 1024 }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (!signatureMatches(body, req.headers['x-dialnexa-signature'])) return fail(res, 401);
  const event = JSON.parse(body.toString('utf8'));
  console.log(`dialnexa webhook ${JSON.stringify(event.event)}: ${body.length} bytes, secret #0`);
  res.json({ received: event.event, bytes: body.length });
});
app.use(express.json());
app.use((req, res) => fail(res, 404));
app.use((error, req, res, next) => {
  const status = Number.isInteger(error?.status) && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error(error);
  else console.warn(`${req.method} ${req.path}: ${status} (${error.type ?? error.name})`);
  if (res.headersSent) return next(error);
  fail(res, status);
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
