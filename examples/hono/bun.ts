// Hono on Bun: `bun bun.ts`.
import { API_LIMIT, WEBHOOK_LIMIT, configFrom, createApp } from './app.js';

let config;
try {
  config = configFrom((name: string) => Bun.env[name]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const app = createApp(config);
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(Bun.env.PORT ?? 3000),
  development: false, // never Bun's error page, whatever NODE_ENV says
  idleTimeout: 10, // seconds without a byte before Bun closes a connection
  // Bun's own cap (default 128 MB), a backstop above the app's limits, which answer first.
  maxRequestBodySize: 2 * Math.max(WEBHOOK_LIMIT, API_LIMIT),
  fetch: app.fetch,
});
console.log(`listening on http://127.0.0.1:${server.port}`);
