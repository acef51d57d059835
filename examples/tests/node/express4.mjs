// `node --import ./tests/node/express4.mjs express4/server.mjs`: runs the Express 4 example, which
// imports 'express' exactly as a user's copy does, against the Express 4 that examples/package.json
// installs under the alias 'express4' (Express 5 holds the name 'express' there). Prints where
// 'express' resolved to, so that the test can check it really is Express 4.
import { MessageChannel } from 'node:worker_threads';
import { register } from 'node:module';

const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => console.error(`express4.mjs: 'express' resolved to ${url}`));
port1.unref();
register('./express4-hooks.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
