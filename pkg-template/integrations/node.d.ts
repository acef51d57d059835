/**
 * `dialnexa-verify/node`: Connect-style middleware for `node:http`, Express 4 and 5, and NestJS.
 *
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookOptions, ApiKeyOptions, WebhookDelivery } from 'dialnexa-verify';

/** A Node request, as `webhookMiddleware` leaves it for the handler. */
export interface DialNexaRequest extends IncomingMessage {
  /** The verified delivery: its exact bytes, `text()`, `json()` and the index of the secret that matched. */
  dialnexa?: WebhookDelivery;
  /** The API key's ID, set by {@link apiKeyMiddleware}. */
  apiKey?: { keyId: string };
}

/** `(req, res, next)`, as Express, Connect and NestJS call middleware. */
export type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => Promise<void>;

/**
 * Verifies DialNexa webhook deliveries and calls `next()` only for verified ones, with
 * `req.dialnexa` set. It finds the raw body wherever it is: it reads the request stream itself
 * when nothing has read it (stopping past `limit`, and after `timeout` ms), and otherwise uses
 * `req.body` when it is a Buffer, Uint8Array or string (`express.raw()`, `express.text()`) or
 * `req.rawBody` (NestJS `rawBody: true`).
 *
 * Answers, without calling `next()`: 401 with DialNexa's exact body for a missing, malformed or
 * wrong signature; 413 past `limit`; 408 when the body does not arrive within `timeout`; 400 for an
 * aborted upload; 409 for a replay (with `replay`); and 500 when the raw bytes are gone (a JSON
 * parser ran first): then the logged error names the fix for the framework it detected.
 *
 * @throws TypeError at creation for a missing or empty secret or wrong options.
 * @example
 * ```ts
 * import express from 'express';
 * import { webhookMiddleware, type DialNexaRequest } from 'dialnexa-verify/node';
 *
 * const app = express();
 * app.post('/webhooks/dialnexa', webhookMiddleware({ secret: process.env.DIALNEXA_WEBHOOK_SECRET ?? '' }), (req, res) => {
 *   const event = (req as DialNexaRequest).dialnexa?.json();
 *   res.json({ received: event });
 * });
 * ```
 */
export declare function webhookMiddleware(options: WebhookOptions): NodeMiddleware;

/**
 * Checks `Authorization: Bearer keyid:secret` against `lookup(keyId)` in constant time and calls
 * `next()` with `req.apiKey = { keyId }`; any other request gets 401 with DialNexa's exact body.
 * An error from `lookup` goes to `next(error)`. Logs show only `keyid:****`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { apiKeyMiddleware } from 'dialnexa-verify/node';
 *
 * declare const hashes: Map<string, string>; // key ID -> hashApiKeySecret(secret)
 * const app = express();
 * app.use('/v1', apiKeyMiddleware({ lookup: (keyId) => hashes.get(keyId) }));
 * ```
 */
export declare function apiKeyMiddleware(options: ApiKeyOptions): NodeMiddleware;
