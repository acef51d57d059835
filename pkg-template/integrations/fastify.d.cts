/**
 * `dialnexa-verify/fastify` for `require()`: the plugin itself, as Fastify plugins are exported to
 * CommonJS (`module.exports = plugin`, with `.default`, `.dialnexaWebhook` and `.dialnexaApiKey`).
 * See fastify.d.ts for the documentation.
 *
 * @packageDocumentation
 */
import type { FastifyPluginAsync } from 'fastify';
import type { WebhookOptions, ApiKeyOptions, WebhookDelivery } from 'dialnexa-verify';

declare module 'fastify' {
  interface FastifyRequest {
    dialnexa: WebhookDelivery | null;
    apiKey: { keyId: string } | null;
  }
}

declare const dialnexaWebhook: FastifyPluginAsync<WebhookOptions> & {
  default: FastifyPluginAsync<WebhookOptions>;
  dialnexaWebhook: FastifyPluginAsync<WebhookOptions>;
  dialnexaApiKey: FastifyPluginAsync<ApiKeyOptions>;
};
export = dialnexaWebhook;
