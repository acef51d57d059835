/**
 * `dialnexa-verify/fastify`: Fastify 5 plugins, registered inside the scope that holds the routes
 * (fastify-plugin semantics: what they add applies to that scope only).
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsync } from 'fastify';
import type { WebhookOptions, ApiKeyOptions, WebhookDelivery } from 'dialnexa-verify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified delivery, set by the {@link dialnexaWebhook} plugin (null elsewhere). */
    dialnexa: WebhookDelivery | null;
    /** The API key's ID, set by the {@link dialnexaApiKey} plugin (null elsewhere). */
    apiKey: { keyId: string } | null;
  }
}

/**
 * Verifies DialNexa webhook deliveries for every route of its scope: bodies arrive as raw Buffers
 * (Fastify answers 413 past `limit`), and a preHandler answers 401 with DialNexa's exact body (409
 * for a replay) before the handler runs. `request.dialnexa` on success.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import dialnexaWebhook from 'dialnexa-verify/fastify';
 *
 * const app = Fastify();
 * app.register(async (scope) => {
 *   await scope.register(dialnexaWebhook, { secret: process.env.DIALNEXA_WEBHOOK_SECRET ?? '' });
 *   scope.post('/webhooks/dialnexa', async (request) => ({ received: request.dialnexa?.json() }));
 * });
 * ```
 */
declare const dialnexaWebhook: FastifyPluginAsync<WebhookOptions>;
export default dialnexaWebhook;
export { dialnexaWebhook };

/** Checks `Authorization: Bearer keyid:secret` for every route of its scope; `request.apiKey` on success, 401 otherwise. */
export declare const dialnexaApiKey: FastifyPluginAsync<ApiKeyOptions>;
