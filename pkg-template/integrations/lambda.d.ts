/**
 * `dialnexa-verify/lambda`: AWS Lambda behind API Gateway (REST v1, HTTP API v2), Function URLs
 * and Application Load Balancers.
 *
 * @packageDocumentation
 */
import type { ReadOptions, WebhookDelivery, WebhookSecret, WebhookVerifier } from 'dialnexa-verify';

/** The parts of a Lambda HTTP event this reads (v1, v2, Function URL and ALB events all have them). */
export interface LambdaHttpEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  requestContext?: { elb?: unknown } & Record<string, unknown>;
}

/** A response to return from the handler as it is. */
export interface LambdaHttpResponse {
  statusCode: 400 | 401 | 413;
  headers: { 'content-type': 'application/json' };
  body: string;
  /** Only for Application Load Balancer events. */
  statusDescription?: string;
  /** Only for Application Load Balancer events. */
  isBase64Encoded?: false;
}

export type LambdaWebhookCheck =
  | (WebhookDelivery & { ok: true })
  | {
      ok: false;
      reason: 'missing_signature' | 'malformed_signature' | 'signature_mismatch' | 'body_too_large' | 'body_unreadable';
      response: LambdaHttpResponse;
    };

/**
 * Verifies a webhook delivery from a Lambda event: finds `X-DialNexa-Signature` in any case (a
 * repeated header is `malformed_signature`), decodes a base64 body (`isBase64Encoded`), refuses
 * bodies over `limit` (default 5 MiB) before decoding them.
 *
 * @throws TypeError for an event that is not an object, an empty or missing secret, or a bad limit.
 * @example
 * ```ts
 * import { verifyLambdaEvent, type LambdaHttpEvent } from 'dialnexa-verify/lambda';
 * import { WebhookVerifier } from 'dialnexa-verify';
 *
 * const secret = new WebhookVerifier(process.env.DIALNEXA_WEBHOOK_SECRET ?? '');
 * export async function handler(event: LambdaHttpEvent) {
 *   const delivery = verifyLambdaEvent(event, secret);
 *   if (!delivery.ok) return delivery.response;
 *   return { statusCode: 200, body: JSON.stringify({ received: delivery.json() }) };
 * }
 * ```
 */
export declare function verifyLambdaEvent(
  event: LambdaHttpEvent,
  secret: WebhookSecret | WebhookVerifier,
  options?: ReadOptions,
): LambdaWebhookCheck;
