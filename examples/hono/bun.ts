// Hono on Bun: `bun bun.ts`.
import app from './app.js';

const server = Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.env.PORT ?? 3000), fetch: app.fetch });
console.log(`listening on http://127.0.0.1:${server.port}`);
