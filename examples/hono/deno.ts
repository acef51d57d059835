// Hono on Deno:
//   deno run --allow-net=127.0.0.1 --allow-env=DIALNEXA_WEBHOOK_SECRET,DIALNEXA_WEBHOOK_SECRET_PREVIOUS,API_KEY_HASHES,PORT,NODE_ENV deno.ts
import { configFrom, createApp } from './app.js';

let config;
try {
  config = configFrom((name: string) => Deno.env.get(name));
} catch (error) {
  console.error((error as Error).message);
  Deno.exit(1);
}

const app = createApp(config);
Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8000),
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
}, app.fetch);
