// For the Node.js servers (dialnexa-verify/node and /fastify): what to do with the rest of a body
// that was answered before it arrived (no signature, over the limit, too slow, compressed). Node
// alone would read and drop all of it, however much the sender sends; closing the connection at
// once would make the sender's kernel drop the answer (a reset). So: read and drop it for at most
// a moment, then close.

const DRAIN_BYTES = 1024 * 1024;
const DRAIN_MS = 2000;

/** After the answer is out: drop at most 1 MiB more of the body, for at most 2 s, then close. */
export function drainBriefly(req) {
  if (typeof req.on !== 'function' || req.readableEnded) return;
  let left = DRAIN_BYTES;
  const close = () => {
    clearTimeout(timer);
    (req.socket ?? req).destroy?.();
  };
  const timer = setTimeout(close, DRAIN_MS);
  timer.unref?.();
  req.on('data', (chunk) => {
    left -= chunk.length;
    if (left < 0) close();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume?.();
}
