/**
 * `dialnexa-verify/hono`: middleware for Hono 4 on every runtime.
 *
 * @packageDocumentation
 */
import type { MiddlewareHandler } from 'hono';
import type { WebhookOptions, ApiKeyOptions, WebhookDelivery } from 'dialnexa-verify';

/**
 * Verifies DialNexa webhook deliveries: reads the raw body (stopping past `limit`), answers
 * 401/413/408/409, and gives the handler `c.get('dialnexa')`.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { webhookMiddleware } from 'dialnexa-verify/hono';
 *
 * const app = new Hono();
 * app.post('/webhooks/dialnexa', webhookMiddleware({ secret: 'whsec_...' }), (c) => c.json({ received: c.get('dialnexa').json() }));
 * ```
 */
export declare function webhookMiddleware(options: WebhookOptions): MiddlewareHandler<{ Variables: { dialnexa: WebhookDelivery } }>;

/** Checks `Authorization: Bearer keyid:secret` against `lookup(keyId)`; gives the handler `c.get('apiKey')`. */
export declare function apiKeyMiddleware(options: ApiKeyOptions): MiddlewareHandler<{ Variables: { apiKey: { keyId: string } } }>;
