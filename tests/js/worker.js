// A Cloudflare Worker using the package as a Worker would (bundled with the workerd/worker
// conditions, the .wasm imported as a module). Run by workerd.test.mjs in workerd on 127.0.0.1.
import * as api from 'dialnexa-verify';
import { runSmoke } from './smoke.js';

const verifier = new api.WebhookVerifier(['whsec_worker_new', 'whsec_worker_old']);
// Server-side key store: key ID -> { keyId, SHA-256 of the secret }, never the secret.
const records = new Map([['abcdefghijklmn', { keyId: 'abcdefghijklmn', secretHash: api.hashApiKeySecret('123456a1b1234b') }]]);

export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/smoke') {
      return Response.json(await runSmoke(api, 'workerd'));
    }
    if (pathname === '/webhook' && request.method === 'POST') {
      const result = await api.verifyWebhookRequest(request, verifier);
      if (!result.ok) return result.response;
      return Response.json({ received: result.json(), secretIndex: result.secretIndex });
    }
    if (pathname === '/api') {
      try {
        const key = api.parseAuthorization(request.headers.get('authorization'));
        const stored = records.get(key.keyId);
        if (stored !== undefined && api.checkApiKey(key, stored)) {
          return Response.json({ keyId: key.keyId });
        }
      } catch (error) {
        if (!(error instanceof api.ApiKeyError)) throw error;
      }
      return api.unauthorizedResponse();
    }
    return new Response('not found', { status: 404 });
  },
};
