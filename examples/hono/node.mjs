// Hono on Node: `node node.mjs`.
import { serve } from '@hono/node-server';
import { configFrom, createApp } from './app.js';

let config;
try {
  config = configFrom((name) => process.env[name]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

serve({
  fetch: createApp(config).fetch,
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
  // Node's own bounds for slow clients: all headers within 10 s, the whole request within 30 s,
  // checked every second (Node's default check runs every 30 s).
  serverOptions: { headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 },
}, (info) => console.log(`listening on http://127.0.0.1:${info.port}`));
