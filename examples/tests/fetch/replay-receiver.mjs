// One instance of a webhook receiver that shares its replay guard with the others through Redis
// (examples/hono/replay-redis.js), for replay-redis.test.mjs. withWebhook on @hono/node-server.
// A delivery whose event carries "fail_once_on": "<INSTANCE>" makes this instance's handler throw
// the first time it sees it (a transient failure: the guard must let the retry through).
// Environment: REDIS_URL, INSTANCE, DIALNEXA_WEBHOOK_SECRET, PORT.
import { serve } from '@hono/node-server';
import { createClient } from 'redis';
import { createReplayGuard, withWebhook } from 'dialnexa-verify';
import { redisReplayStore } from '../../hono/replay-redis.js';

const instance = process.env.INSTANCE;
const client = await createClient({ url: process.env.REDIS_URL }).connect();
const replay = createReplayGuard({ store: redisReplayStore(client), ttl: 60_000 });
const failed = new Set();

const receive = withWebhook((request, delivery) => {
  const event = delivery.json();
  if (event.fail_once_on === instance && !failed.has(event.event)) {
    failed.add(event.event);
    throw new Error(`handler failed for ${event.event}`);
  }
  console.log(`${instance}: handled ${event.event}`);
  return Response.json({ received: event.event, instance });
}, { secret: process.env.DIALNEXA_WEBHOOK_SECRET, replay, limit: 64 * 1024 });

serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT),
  async fetch(request) {
    try {
      return await receive(request);
    } catch (error) {
      console.log(`${instance}: ${error.message}`);
      return Response.json({ statusCode: 500, message: 'Internal Server Error', error: 'Internal Server Error' }, { status: 500 });
    }
  },
}, (info) => console.log(`listening on http://127.0.0.1:${info.port}`));
