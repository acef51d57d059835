// A deliberately broken receiver for test-endpoint: correct about signatures, but it collects the
// body with no limit and its process dies once the body passes 1 MiB (as an out-of-memory crash
// would). The secret comes from RECEIVER_SECRET; the port is printed on stdout.
import { createServer } from 'node:http';
import { SIGNATURE_HEADER, verifyWebhook } from 'dialnexa-verify';

const secret = process.env.RECEIVER_SECRET;
const server = createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > 1024 * 1024) process.exit(70);
    chunks.push(chunk);
  });
  req.on('end', () => {
    const ok = verifyWebhook(Buffer.concat(chunks), req.headers[SIGNATURE_HEADER], secret);
    res.writeHead(ok ? 200 : 401).end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));
