// Plain node:http: collect the raw body, then verify it.
import { createServer } from 'node:http';
import { verifyWebhook, SIGNATURE_HEADER, UNAUTHORIZED_BODY } from 'dialnexa-verify';

const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
const MAX_BODY = 5 * 1024 * 1024;

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhooks/dialnexa') return reply(res, 404, { message: 'Not Found' });
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return reply(res, 413, { message: 'Payload Too Large' });
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  if (!verifyWebhook(body, req.headers[SIGNATURE_HEADER], secret)) return reply(res, 401, UNAUTHORIZED_BODY);
  const event = JSON.parse(body.toString('utf8'));
  // ... handle the event ...
  reply(res, 200, { received: event.event });
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
