/**
 * dialnexa-verify: constant-time DialNexa webhook signature checks and API-key parsing, compiled
 * from Rust to WebAssembly. Every function is synchronous once the module is imported, in Node,
 * Deno, Bun, Cloudflare Workers (workerd) and browsers.
 *
 * @packageDocumentation
 */

declare global {
  // `Symbol.dispose` (for `using`) is in TypeScript's `esnext.disposable` lib; declaring it here
  // too, as @types/node does, keeps these types valid under any `lib` setting.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** The raw request body exactly as received: a string is hashed as its UTF-8 bytes. */
export type Payload = string | Uint8Array | ArrayBuffer | DataView;

/** A webhook secret (a string is used as its UTF-8 bytes), or several for rotation, current first. */
export type WebhookSecret = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

/** Why a webhook signature was rejected. */
export type WebhookFailureReason = 'missing_signature' | 'malformed_signature' | 'signature_mismatch';

/** The result of {@link checkWebhook} and {@link WebhookVerifier.check}. */
export type WebhookCheck =
  | {
      ok: true;
      /** Index of the secret that matched (0 when a single secret was given). */
      secretIndex: number;
    }
  | { ok: false; reason: WebhookFailureReason };

/** The result of {@link verifyWebhookRequest}. */
export type WebhookRequestCheck =
  | {
      ok: true;
      /** The raw body, read once. */
      body: Uint8Array;
      /** The body decoded as UTF-8. */
      text(): string;
      /** The body parsed as JSON (throws `SyntaxError` if it is not JSON). */
      json(): unknown;
      /** Index of the secret that matched. */
      secretIndex: number;
    }
  | {
      ok: false;
      reason: WebhookFailureReason;
      /** A 401 `Response` with DialNexa's JSON body, ready to return. */
      response: Response;
    };

/** A parsed API key. `secret` is non-enumerable, so logging or serialising the object omits it. */
export interface ParsedApiKey {
  /** The public key ID, before the `:`. */
  readonly keyId: string;
  /** The secret, after the `:`. Treat it like a password. */
  readonly secret: string;
}

/**
 * The `ApiKeyError.code` values, one per way a key or header can be wrong.
 * - `empty`: the key is empty or only whitespace.
 * - `missing_separator`: no `:` between key ID and secret.
 * - `too_many_separators`: more than one `:`.
 * - `empty_key_id` / `empty_secret`: nothing before / after the `:`.
 * - `too_long`: a part is longer than 256 bytes.
 * - `invalid_character`: a part has a character outside `A-Z a-z 0-9 - . _ ~ + / =`.
 * - `starts_with_bearer`: `Bearer ` was passed to {@link parseApiKey}.
 * - `missing_header`: the Authorization header is absent or empty.
 * - `wrong_scheme`: another scheme than `Bearer` (such as `Basic`).
 * - `missing_token`: `Bearer` with nothing after it.
 */
export type ApiKeyErrorCode =
  | 'empty'
  | 'missing_separator'
  | 'too_many_separators'
  | 'empty_key_id'
  | 'empty_secret'
  | 'too_long'
  | 'invalid_character'
  | 'starts_with_bearer'
  | 'missing_header'
  | 'wrong_scheme'
  | 'missing_token';

/** `"x-dialnexa-signature"`: the header that carries the signature (header names are case-insensitive). */
export declare const SIGNATURE_HEADER: 'x-dialnexa-signature';

/** DialNexa's exact 401 body: `{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}` (frozen). */
export declare const UNAUTHORIZED_BODY: Readonly<{
  statusCode: 401;
  message: 'Unauthorized';
  error: 'Unauthorized';
}>;

/**
 * Checks an `X-DialNexa-Signature` header against the raw body in constant time.
 *
 * The header may be upper- or lowercase hex, with a `sha256=` prefix and surrounding whitespace.
 *
 * @param payload - the raw body as received (not re-serialised JSON).
 * @param signature - the header value as received; `null`/`undefined` when it is absent.
 * @param secret - the webhook secret, or several (current first) during a rotation.
 * @returns `true` only for a valid signature; `false` for every problem with the signature or body.
 * @throws TypeError (message starts with `dialnexa-verify:`) for a payload of another type, such as
 *   a parsed JSON object, or an empty or missing secret.
 * @example
 * ```ts
 * import { verifyWebhook, SIGNATURE_HEADER } from 'dialnexa-verify';
 * if (!verifyWebhook(rawBody, req.headers[SIGNATURE_HEADER], process.env.DIALNEXA_WEBHOOK_SECRET!)) {
 *   res.status(401).end();
 * }
 * ```
 */
export declare function verifyWebhook(
  payload: Payload,
  signature: string | null | undefined,
  secret: WebhookSecret,
): boolean;

/**
 * Like {@link verifyWebhook}, but says which secret matched or why the check failed.
 *
 * @returns `{ ok: true, secretIndex }` or `{ ok: false, reason }`.
 * @throws TypeError as {@link verifyWebhook}.
 * @example
 * ```ts
 * const result = checkWebhook(body, header, [newSecret, oldSecret]);
 * if (result.ok && result.secretIndex > 0) console.warn('delivery signed with the previous secret');
 * ```
 */
export declare function checkWebhook(
  payload: Payload,
  signature: string | null | undefined,
  secret: WebhookSecret,
): WebhookCheck;

/**
 * Computes the signature a sender puts in `X-DialNexa-Signature` (with the first secret of a list).
 *
 * @returns 64 lowercase hex digits.
 * @throws TypeError for a payload of another type or an empty secret.
 * @example
 * ```ts
 * signWebhook('{"event":"call.completed"}', 'whsec_example'); // '…64 hex digits…'
 * ```
 */
export declare function signWebhook(payload: Payload, secret: WebhookSecret): string;

/**
 * Holds prepared HMAC key state for one or more secrets: build it once, verify many bodies.
 * The wasm memory it holds is released by {@link WebhookVerifier.free}, by `using`, or by the
 * garbage collector when it is forgotten.
 *
 * @example
 * ```ts
 * const verifier = new WebhookVerifier([process.env.SECRET_NEW!, process.env.SECRET_OLD!]);
 * verifier.verify(body, header); // boolean
 * ```
 */
export declare class WebhookVerifier {
  /**
   * @param secret - the webhook secret, or several (current first).
   * @throws TypeError for an empty or missing secret, or an empty list.
   */
  constructor(secret: WebhookSecret);
  /** How many secrets are prepared. */
  readonly secretCount: number;
  /** As {@link verifyWebhook}. @throws TypeError for a payload of another type, or after `free()`. */
  verify(payload: Payload, signature: string | null | undefined): boolean;
  /** As {@link checkWebhook}. @throws TypeError for a payload of another type, or after `free()`. */
  check(payload: Payload, signature: string | null | undefined): WebhookCheck;
  /** As {@link signWebhook}, with the first secret. @throws TypeError as `verify`. */
  sign(payload: Payload): string;
  /** Releases the key state now; later calls throw. Calling it twice is harmless. */
  free(): void;
  /** Same as {@link WebhookVerifier.free}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Reads a fetch API `Request` body once as bytes, looks up `X-DialNexa-Signature`
 * case-insensitively and checks it (Workers, Deno, Bun, Node 18+ frameworks).
 *
 * @param secret - the webhook secret(s), or a {@link WebhookVerifier} to reuse its key state.
 * @returns `{ ok: true, body, text(), json(), secretIndex }`, or `{ ok: false, reason, response }`
 *   where `response` is a 401 with DialNexa's JSON body.
 * @throws TypeError (rejects) when `request` is not a Request or the secret is empty; the body
 *   is not read in that case.
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: { WEBHOOK_SECRET: string }) {
 *     const result = await verifyWebhookRequest(request, env.WEBHOOK_SECRET);
 *     if (!result.ok) return result.response;
 *     const event = result.json();
 *     return new Response('ok');
 *   },
 * };
 * ```
 */
export declare function verifyWebhookRequest(
  request: Request,
  secret: WebhookSecret | WebhookVerifier,
): Promise<WebhookRequestCheck>;

/** A new 401 `Response` with DialNexa's JSON body and `content-type: application/json`. */
export declare function unauthorizedResponse(): Response;

/** Thrown by {@link parseApiKey} and {@link parseAuthorization}. The message never contains any part of the key. */
export declare class ApiKeyError extends Error {
  readonly name: 'ApiKeyError';
  /** What is wrong; see {@link ApiKeyErrorCode}. */
  readonly code: ApiKeyErrorCode;
}

/**
 * Parses `keyid:secret` (surrounding whitespace, such as an env file's newline, is trimmed).
 *
 * @throws ApiKeyError for a malformed key; TypeError if `key` is not a string.
 * @example
 * ```ts
 * const { keyId, secret } = parseApiKey(process.env.DIALNEXA_API_KEY!);
 * ```
 */
export declare function parseApiKey(key: string): ParsedApiKey;

/**
 * Parses an `Authorization: Bearer keyid:secret` header value (scheme in any case, one or more spaces).
 *
 * @param header - the header value; `null`/`undefined` when absent (throws `missing_header`).
 * @throws ApiKeyError for a missing header, another scheme, a missing token or a malformed key;
 *   TypeError for a value that is not a string, null or undefined.
 */
export declare function parseAuthorization(header: string | null | undefined): ParsedApiKey;

/** `keyid:****` for logs, or `****` when no key ID can be shown. Never throws, never shows the secret. */
export declare function redactApiKey(key: string): string;

/**
 * The SHA-256 of an API-key secret as 64 lowercase hex digits, to store instead of the secret.
 *
 * @throws TypeError for an empty or non-string secret.
 */
export declare function hashApiKeySecret(secret: string): string;

/**
 * Checks a presented `keyid:secret` against the stored hash of its secret, in constant time.
 * Look the stored hash up by key ID first.
 *
 * @returns `false` for a wrong secret and for any malformed input; never throws.
 * @example
 * ```ts
 * const key = parseAuthorization(request.headers.get('authorization'));
 * const stored = secretHashesByKeyId.get(key.keyId); // saved from hashApiKeySecret()
 * const ok = stored !== undefined && checkApiKey(`${key.keyId}:${key.secret}`, stored);
 * ```
 */
export declare function checkApiKey(presented: string, storedSecretHash: string): boolean;
