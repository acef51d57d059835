// Hono on Cloudflare Workers: `npx wrangler dev` (wrangler.toml names this file). A Worker has no
// start-up: the app is built on the first request, from the Worker's bindings.
import { configFrom, createApp } from './app.js';

let app;

export default {
  fetch(request, env, ctx) {
    if (app === undefined) {
      try {
        app = createApp(configFrom((name) => env[name]));
      } catch (error) {
        console.error(`${error.message} (a Worker binding: npx wrangler secret put <NAME>)`);
        return Response.json({ statusCode: 500, message: 'Internal Server Error', error: 'Internal Server Error' }, { status: 500 });
      }
    }
    return app.fetch(request, env, ctx);
  },
};
