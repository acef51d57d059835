// Express: verify the raw body before anything parses it.
import express from 'express';
import { verifyWebhook, SIGNATURE_HEADER, UNAUTHORIZED_BODY } from 'dialnexa-verify';

const secret = process.env.DIALNEXA_WEBHOOK_SECRET;
const app = express();

// express.raw() keeps the exact bytes DialNexa signed; express.json() would re-serialize them.
app.post('/webhooks/dialnexa', express.raw({ type: '*/*', limit: '5mb' }), (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0); // no body: an empty one
  if (!verifyWebhook(body, req.get(SIGNATURE_HEADER), secret)) {
    return res.status(401).json(UNAUTHORIZED_BODY);
  }
  const event = JSON.parse(body.toString('utf8'));
  // ... handle the event ...
  res.json({ received: event.event });
});

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
