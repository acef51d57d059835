// Refusing replayed deliveries across instances: a ReplayStore for createReplayGuard() on Redis,
// with the npm `redis` client (tested with 6.3.1). Keys are `dialnexa-verify:replay:<sha256 of the tag>`.
//
//   import { createClient } from 'redis';
//   import { createReplayGuard } from 'dialnexa-verify';
//   const client = await createClient({ url: process.env.REDIS_URL }).connect();
//   const replay = createReplayGuard({ store: redisReplayStore(client), ttl: 24 * 60 * 60 * 1000 });
//   createApp({ ...config, replay }); // or webhookMiddleware({ secret, replay }) / withWebhook(handler, { secret, replay })

/** `add` = SET key 1 NX PX ttl (true when the key was new), `delete` = DEL key. */
export function redisReplayStore(client) {
  return {
    async add(key, ttlMs) {
      return (await client.set(key, '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK';
    },
    async delete(key) {
      await client.del(key);
    },
  };
}
