// Hono on Deno: `deno run --allow-net=127.0.0.1 --allow-env deno.ts`.
import app from './app.js';

Deno.serve({
  hostname: '127.0.0.1',
  port: Number(Deno.env.get('PORT') ?? 8000),
  onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}`),
}, app.fetch);
