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

/**
 * The raw request body exactly as received: a string is hashed as its UTF-8 bytes; any typed
 * array, `Buffer` or `DataView` as the bytes it views (its offset respected). `null` and
 * `undefined` mean no body was sent (for example Express leaves `req.body` unset): an empty body.
 */
export type Payload = string | ArrayBufferView | ArrayBuffer | SharedArrayBuffer | null | undefined;

/**
 * The `X-DialNexa-Signature` header value as received. `null`/`undefined` when it is absent;
 * an array as Node gives a repeated header: one value is used, several are `malformed_signature`.
 */
export type SignatureHeader = string | readonly string[] | null | undefined;

/** A webhook secret (a string is used as its UTF-8 bytes), or several for rotation, current first (at most 64). */
export type WebhookSecret = string | ArrayBufferView | ReadonlyArray<string | ArrayBufferView>;

/** Why a webhook signature was rejected. */
export type WebhookFailureReason = 'missing_signature' | 'malformed_signature' | 'signature_mismatch';

/**
 * Why a webhook request was rejected: a {@link WebhookFailureReason} (status 401), or
 * `body_too_large` (the body passed `limit`; status 413, reading stopped) or `body_unreadable`
 * (the client aborted or the body stream failed; status 400).
 */
export type WebhookRequestFailureReason = WebhookFailureReason | 'body_too_large' | 'body_unreadable';

/** Options of the helpers that read a body. */
export interface ReadOptions {
  /** The largest body accepted, in bytes (default {@link DEFAULT_BODY_LIMIT}, 5 MiB; `Infinity` for none). */
  limit?: number;
  /** Stops reading when aborted (for example `AbortSignal.timeout(10_000)`): the stream is cancelled and the result is `body_unreadable`. */
  signal?: AbortSignal;
}

/** The result of {@link checkWebhook} and {@link WebhookVerifier.check}. */
export type WebhookCheck =
  | {
      ok: true;
      /** Index of the secret that matched (0 when a single secret was given). */
      secretIndex: number;
    }
  | { ok: false; reason: WebhookFailureReason };

/** A verified delivery as the integrations hand it to a handler. */
export interface WebhookDelivery {
  /** The raw body, exactly as received. */
  body: Uint8Array;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON (throws `SyntaxError` if it is not JSON). */
  json(): unknown;
  /** Index of the secret that matched (0 = the current one). */
  secretIndex: number;
}

/** A verified delivery, as {@link verifyWebhookRequest} and {@link verifyWebhookStream} return it. */
export interface VerifiedDelivery extends WebhookDelivery {
  ok: true;
}

/** The result of {@link verifyWebhookRequest} and {@link verifyWebhookStream}. */
export type WebhookRequestCheck =
  | VerifiedDelivery
  | {
      ok: false;
      reason: WebhookRequestFailureReason;
      /** The body as read, for a `signature_mismatch` (for example to pass to {@link diagnoseWebhook}); absent otherwise. */
      body?: Uint8Array;
      /** 401, 413 or 400, as {@link WebhookRequestFailureReason} says. */
      status: 400 | 401 | 413;
      /**
       * A `Response` with that status and a JSON body in DialNexa's shape (for 401, DialNexa's
       * exact body), ready to return.
       */
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
 * - `empty_key`: the key is empty or only whitespace.
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
  | 'empty_key'
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

/** The body limit of {@link verifyWebhookRequest} and {@link verifyWebhookStream} unless `limit` says otherwise: 5 MiB. */
export declare const DEFAULT_BODY_LIMIT: number;

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
 * @param payload - the raw body as received (not re-serialised JSON); `null`/`undefined` for none.
 * @param signature - the header value as received (`req.headers[SIGNATURE_HEADER]` in Node).
 * @param secret - the webhook secret, several (current first) during a rotation, or a {@link WebhookVerifier}.
 * @returns `true` only for a valid signature; `false` for every problem with the signature or body.
 * @throws TypeError (message starts with `dialnexa-verify:`) for a payload of another type, such as
 *   a parsed JSON object, or an empty or missing secret.
 * @example
 * ```ts
 * import type { IncomingMessage, ServerResponse } from 'node:http';
 * import { verifyWebhook, SIGNATURE_HEADER } from 'dialnexa-verify';
 *
 * function handle(req: IncomingMessage & { body?: Buffer }, res: ServerResponse): void {
 *   if (!verifyWebhook(req.body, req.headers[SIGNATURE_HEADER], process.env.DIALNEXA_WEBHOOK_SECRET ?? '')) {
 *     res.writeHead(401).end();
 *   }
 * }
 * ```
 */
export declare function verifyWebhook(
  payload: Payload,
  signature: SignatureHeader,
  secret: WebhookSecret | WebhookVerifier,
): boolean;

/**
 * Like {@link verifyWebhook}, but says which secret matched or why the check failed.
 *
 * @returns `{ ok: true, secretIndex }` or `{ ok: false, reason }`.
 * @throws TypeError as {@link verifyWebhook}.
 * @example
 * ```ts
 * import { checkWebhook } from 'dialnexa-verify';
 *
 * declare const body: Uint8Array, header: string | null, newSecret: string, oldSecret: string;
 * const result = checkWebhook(body, header, [newSecret, oldSecret]);
 * if (result.ok && result.secretIndex > 0) console.warn('delivery signed with the previous secret');
 * ```
 */
export declare function checkWebhook(
  payload: Payload,
  signature: SignatureHeader,
  secret: WebhookSecret | WebhookVerifier,
): WebhookCheck;

/**
 * Computes the signature a sender puts in `X-DialNexa-Signature` (with the first secret of a list).
 *
 * @returns 64 lowercase hex digits.
 * @throws TypeError for a payload of another type or an empty secret.
 * @example
 * ```ts
 * import { signWebhook } from 'dialnexa-verify';
 *
 * const header: string = signWebhook('{"event":"call.completed"}', 'whsec_example'); // 64 hex digits
 * ```
 */
export declare function signWebhook(payload: Payload, secret: WebhookSecret | WebhookVerifier): string;

/**
 * Holds the prepared HMAC keys of one or more secrets (two SHA-256 midstates each, 64 bytes, in
 * JavaScript memory; it keeps no reference to the secrets themselves): build it once, verify many
 * bodies. {@link WebhookVerifier.free} (or `using`) overwrites the keys at once; a verifier that
 * is simply forgotten is reclaimed by the garbage collector like any object, and its keys are
 * overwritten then, where the runtime has `FinalizationRegistry`. It holds no WebAssembly memory,
 * so any number of verifiers can be alive at once at the same speed.
 *
 * @example
 * ```ts
 * import { WebhookVerifier } from 'dialnexa-verify';
 *
 * declare const body: Uint8Array, header: string | undefined;
 * const verifier = new WebhookVerifier([process.env.SECRET_NEW ?? '', process.env.SECRET_OLD ?? '']);
 * const valid: boolean = verifier.verify(body, header);
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
  verify(payload: Payload, signature: SignatureHeader): boolean;
  /** As {@link checkWebhook}. @throws TypeError for a payload of another type, or after `free()`. */
  check(payload: Payload, signature: SignatureHeader): WebhookCheck;
  /** As {@link signWebhook}, with the first secret. @throws TypeError as `verify`. */
  sign(payload: Payload): string;
  /** Overwrites the prepared keys now; later calls throw. Calling it twice is harmless. */
  free(): void;
  /**
   * Whether `value` is a WebhookVerifier of this package, by a brand check that runs no getter
   * or proxy trap of `value` (unlike `instanceof`).
   */
  static is(value: unknown): value is WebhookVerifier;
  /** Same as {@link WebhookVerifier.free}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * Verifies a fetch API `Request` (Workers, Deno, Bun, Next.js route handlers, Hono): looks up
 * `X-DialNexa-Signature` case-insensitively and answers a missing or malformed header without
 * reading the body; otherwise reads the body once, hashing its chunks as they arrive, and stops
 * reading as soon as it passes `limit` (also when `content-length` already says so).
 *
 * @param secret - the webhook secret(s), or a {@link WebhookVerifier} to reuse its prepared keys.
 * @returns `{ ok: true, body, text(), json(), secretIndex }`, or `{ ok: false, reason, status, response }`.
 * @throws TypeError (rejects) when `request` is not a Request, the secret is empty or the options
 *   are wrong; the body is not read in that case.
 * @example
 * ```ts
 * import { verifyWebhookRequest } from 'dialnexa-verify';
 *
 * export default {
 *   async fetch(request: Request, env: { DIALNEXA_WEBHOOK_SECRET: string }): Promise<Response> {
 *     const result = await verifyWebhookRequest(request, env.DIALNEXA_WEBHOOK_SECRET, { limit: 1 << 20 });
 *     if (!result.ok) return result.response;
 *     const event = result.json();
 *     return Response.json({ received: event });
 *   },
 * };
 * ```
 */
export declare function verifyWebhookRequest(
  request: Request,
  secret: WebhookSecret | WebhookVerifier,
  options?: ReadOptions,
): Promise<WebhookRequestCheck>;

/**
 * Like {@link verifyWebhookRequest}, for a body you hold as a stream: a fetch API
 * `ReadableStream`, a Node `IncomingMessage`, or any (async) iterable of bytes or strings.
 * The signature header's shape is checked first (a header that can never match is answered
 * without reading), chunks are hashed as they arrive, and reading stops past `limit`.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { verifyWebhookStream, SIGNATURE_HEADER } from 'dialnexa-verify';
 *
 * async function receive(req: IncomingMessage): Promise<number> {
 *   const result = await verifyWebhookStream(req, req.headers[SIGNATURE_HEADER], process.env.DIALNEXA_WEBHOOK_SECRET ?? '');
 *   return result.ok ? 204 : result.status;
 * }
 * ```
 */
export declare function verifyWebhookStream(
  body: ReadableStream<Uint8Array> | AsyncIterable<ArrayBufferView | string> | Iterable<ArrayBufferView | string> | null | undefined,
  signature: SignatureHeader,
  secret: WebhookSecret | WebhookVerifier,
  options?: ReadOptions,
): Promise<WebhookRequestCheck>;

/** A new 401 `Response` with DialNexa's JSON body and `content-type: application/json`. */
export declare function unauthorizedResponse(): Response;

/** Thrown by {@link parseApiKey} and {@link parseAuthorization}. The message never contains any part of the key. */
export declare class ApiKeyError extends Error {
  /** @param code - what is wrong. @param message - a message that contains no part of the key. */
  constructor(code: ApiKeyErrorCode, message: string);
  readonly name: 'ApiKeyError';
  /** What is wrong; see {@link ApiKeyErrorCode}. */
  readonly code: ApiKeyErrorCode;
}

/** What a server stores for each API key it issued: the key ID and {@link hashApiKeySecret} of the secret, never the secret. */
export interface StoredApiKey {
  readonly keyId: string;
  readonly secretHash: string;
}

/**
 * Parses `keyid:secret` (surrounding whitespace, such as an env file's newline, is trimmed).
 *
 * @throws ApiKeyError for a malformed key; TypeError if `key` is not a string.
 * @example
 * ```ts
 * import { parseApiKey } from 'dialnexa-verify';
 *
 * const { keyId, secret } = parseApiKey(process.env.DIALNEXA_API_KEY ?? '');
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
 * The secret must be one a presented key could carry: 14 to 256 characters of
 * `A-Z a-z 0-9 - . _ ~ + / =` (DialNexa's own secrets are 14 characters; generate yours from a
 * CSPRNG).
 *
 * @throws TypeError for a non-string secret or one the key parser would refuse (the message says why).
 */
export declare function hashApiKeySecret(secret: string): string;

/**
 * Checks a presented API key against a stored record, in constant time: `true` only when the key
 * parses, its key ID is the stored one, and its secret has the stored hash. Binding the key ID
 * means a record looked up by mistake (or a table of hashes without IDs) never accepts another
 * key's secret.
 *
 * @param presented - `keyid:secret`, or a key from {@link parseAuthorization}.
 * @param stored - `{ keyId, secretHash }` as saved when the key was issued.
 * @returns `false` for a wrong key and for any malformed presented value; never throws for those.
 * @throws TypeError when `stored` is not `{ keyId: string, secretHash: string }` (a programming mistake).
 * @example
 * ```ts
 * import { parseAuthorization, checkApiKey, type StoredApiKey } from 'dialnexa-verify';
 *
 * declare const records: Map<string, StoredApiKey>; // key ID -> { keyId, secretHash }
 * function authenticate(request: Request): string | null {
 *   const key = parseAuthorization(request.headers.get('authorization'));
 *   const stored = records.get(key.keyId);
 *   return stored !== undefined && checkApiKey(key, stored) ? key.keyId : null;
 * }
 * ```
 */
export declare function checkApiKey(presented: string | ParsedApiKey | null | undefined, stored: StoredApiKey): boolean;

/** A new API key from {@link generateApiKey}. `key` and `secret` are non-enumerable (left out of `console.log` and `JSON.stringify`). */
export interface GeneratedApiKey {
  /** `keyid:secret`: give it to the client once; never store it. */
  readonly key: string;
  /** 14 lowercase letters, like DialNexa's key IDs. */
  readonly keyId: string;
  /** 22 characters of `A-Z a-z 0-9` from the platform's CSPRNG (131 bits of entropy). */
  readonly secret: string;
  /** {@link hashApiKeySecret} of the secret: store it with the key ID ({@link StoredApiKey}). */
  readonly secretHash: string;
}

/**
 * Issues a new API key for your own gateway with `crypto.getRandomValues` (characters drawn
 * uniformly by rejection sampling). Store `{ keyId, secretHash }`; hand `key` out once.
 *
 * @throws TypeError where the runtime has no `crypto.getRandomValues`.
 * @example
 * ```ts
 * import { generateApiKey, checkApiKey, type StoredApiKey } from 'dialnexa-verify';
 *
 * const issued = generateApiKey();
 * const record: StoredApiKey = { keyId: issued.keyId, secretHash: issued.secretHash };
 * checkApiKey(issued.key, record); // true
 * ```
 */
export declare function generateApiKey(): GeneratedApiKey;

/** Options of the webhook integrations ({@link withWebhook}, `dialnexa-verify/node`, `/fastify`, `/hono`). */
export interface WebhookOptions {
  /** The largest body accepted, in bytes (default {@link DEFAULT_BODY_LIMIT}, 5 MiB): then 413. */
  limit?: number;
  /**
   * What {@link verifyWebhook} takes (a string, bytes, a list for rotation, current first) or a
   * {@link WebhookVerifier}; or a function returning one, read on each request (prepared again only
   * when it changes): for frameworks that evaluate the handler before the environment is there
   * (Next.js at build time), and rotations without a restart. A function that returns nothing
   * makes each request fail closed with 500 and a logged error.
   */
  secret: WebhookSecret | WebhookVerifier | (() => WebhookSecret | WebhookVerifier | undefined | null);
  /** How long a body may take to arrive, in ms (default 30,000): then 408. */
  timeout?: number;
  /**
   * Log the diagnosis of a rejected delivery, from {@link diagnoseWebhook} (default: on in Node,
   * Deno and Bun unless `NODE_ENV` is `production`; off in browsers and Cloudflare Workers). A
   * missing or malformed header is diagnosed at once, from its shape; a signature that does not
   * match costs up to 97 HMACs, so it is diagnosed at most once a second, only for bodies up to
   * 64 KiB, and in `dialnexa-verify/node` and `/fastify` after the answer is out (the fetch-style
   * integrations diagnose before answering: a serverless platform may freeze the process once the
   * answer is returned). A header in base64 is recognized only where the body was read. Logs are
   * rate-limited and never show a secret, signature or body byte.
   */
  diagnose?: boolean;
  /** A guard from {@link createReplayGuard}: a delivery accepted before gets 409 and the handler does not run. */
  replay?: ReplayGuard;
  /** Where rejections and misconfigurations are logged: `console` (default), a function, an object with `warn` and `error`, or `false`. */
  log?: false | ((line: string) => void) | { warn(line: string): void; error(line: string): void };
}

/** Options of the API-key integrations. */
export interface ApiKeyOptions {
  /**
   * The stored record of a key ID: its secret hash ({@link hashApiKeySecret}) or a
   * {@link StoredApiKey}, or `null`/`undefined` for an unknown or revoked key. May return a Promise
   * (a database); if it throws, the error goes to the framework's error handling.
   */
  lookup(keyId: string): string | StoredApiKey | null | undefined | Promise<string | StoredApiKey | null | undefined>;
  /** As {@link WebhookOptions.log}. */
  log?: WebhookOptions['log'];
}

/** Where a {@link ReplayGuard} keeps what it has seen, to share it between instances (Redis, a database). */
export interface ReplayStore {
  /** Adds `key` for `ttlMs`; resolves to true when it was not there (Redis: `SET key 1 NX PX ttlMs`). */
  add(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Removes `key`. */
  delete(key: string): void | Promise<unknown>;
}

/** Remembers accepted deliveries (by SHA-256 of their tag) to refuse replays. */
export interface ReplayGuard {
  /** How long a delivery is remembered, in ms. */
  readonly ttl: number;
  /** Resolves to true for a delivery not seen within `ttl` (it is remembered now), false for a replay. */
  claim(signature: SignatureHeader): Promise<boolean>;
  /** Forgets a delivery, so that a retry gets through (its handler failed). */
  release(signature: SignatureHeader): Promise<void>;
}

/**
 * An opt-in replay guard. DialNexa signs only the body, with no timestamp, so a captured delivery
 * verifies forever; the guard remembers each accepted delivery for `ttl` (default 24 h) and the
 * integrations answer a second one with 409 without running the handler. The default store is in
 * memory, bounded to `max` entries (default 100,000; the oldest are forgotten first); pass a
 * shared `store` when several instances receive deliveries. Handle events idempotently as well:
 * the guard cannot see a replay after `ttl`, or one sent to another store.
 *
 * @example
 * ```ts
 * import { createReplayGuard, withWebhook } from 'dialnexa-verify';
 *
 * const replay = createReplayGuard({ ttl: 24 * 60 * 60 * 1000 });
 * export const POST = withWebhook(async (request, delivery) => Response.json({ received: delivery.json() }), {
 *   secret: process.env.DIALNEXA_WEBHOOK_SECRET ?? '',
 *   replay,
 * });
 * ```
 */
export declare function createReplayGuard(options?: { ttl?: number; max?: number; store?: ReplayStore }): ReplayGuard;

/**
 * Wraps a fetch-API handler (Next.js App Router route handlers, Remix/React Router, SvelteKit,
 * Astro, `Bun.serve`, `Deno.serve`, Workers): `handler(request, delivery, ...rest)` runs only for a
 * verified delivery; everything else is answered here: 401 with DialNexa's exact body, 413 past
 * `limit`, 408 past `timeout`, 409 for a replay. The request's body is read here: use
 * `delivery.json()` / `delivery.body` in the handler.
 *
 * @throws TypeError at creation for a missing secret or wrong options.
 * @example
 * ```ts
 * import { withWebhook } from 'dialnexa-verify';
 *
 * // app/webhooks/dialnexa/route.ts
 * export const POST = withWebhook(async (request, delivery) => {
 *   const event = delivery.json();
 *   return Response.json({ received: event });
 * }, { secret: process.env.DIALNEXA_WEBHOOK_SECRET ?? '' });
 * ```
 */
export declare function withWebhook<Rest extends unknown[]>(
  handler: (request: Request, delivery: WebhookDelivery, ...rest: Rest) => Response | Promise<Response>,
  options: WebhookOptions,
): (request: Request, ...rest: Rest) => Promise<Response>;

/**
 * Wraps a fetch-API handler: `handler(request, { keyId }, ...rest)` runs only when
 * `Authorization: Bearer keyid:secret` matches the record `lookup(keyId)` gives; every other
 * request gets 401 with DialNexa's exact body.
 *
 * @example
 * ```ts
 * import { withApiKey } from 'dialnexa-verify';
 *
 * declare const hashes: Map<string, string>; // key ID -> hashApiKeySecret(secret)
 * export const GET = withApiKey(async (request, { keyId }) => Response.json({ keyId }), {
 *   lookup: (keyId) => hashes.get(keyId),
 * });
 * ```
 */
export declare function withApiKey<Rest extends unknown[]>(
  handler: (request: Request, key: { keyId: string }, ...rest: Rest) => Response | Promise<Response>,
  options: ApiKeyOptions,
): (request: Request, ...rest: Rest) => Promise<Response>;

/** The codes {@link diagnoseWebhook} names: what most likely made a delivery fail (or `none`). */
export type DiagnosisCause =
  | 'none'
  | 'secret_whitespace'
  | 'secret_quoted'
  | 'secret_encoding'
  | 'body_base64'
  | 'body_empty'
  | 'body_trailing_newline'
  | 'body_line_endings'
  | 'body_bom'
  | 'body_reserialized'
  | 'body_not_utf8'
  | 'header_base64'
  | 'header_other_algorithm'
  | 'header_unkeyed'
  | 'header_swapped'
  | 'header_other_scheme'
  | 'header_missing'
  | 'header_malformed'
  | 'unknown';

/** The result of {@link diagnoseWebhook}. */
export type Diagnosis =
  | { ok: true; cause: 'none'; hint: string }
  | {
      ok: false;
      /** As {@link checkWebhook} says. */
      reason: WebhookFailureReason;
      /** What most likely happened (see the README's table). */
      cause: Exclude<DiagnosisCause, 'none'>;
      /** One fixed sentence that says what to change. Never contains the secret, the signature or body bytes. */
      hint: string;
    };

/**
 * Says *why* a webhook failed to verify, with the secret in hand: it tries the known ways an
 * integration mangles its inputs (a secret read with its newline or quotes or decoded from hex, a
 * base64 body from Lambda, a body re-serialized by a JSON parser, CRLF or a BOM, a header in base64
 * or from another algorithm, …) and names the one that explains the signature.
 *
 * Not on the hot path: it costs up to 97 HMACs where a verification costs one, over re-encodings
 * of the body that can be several times its size (at most the first 4 secrets are tried; body
 * variants only for bodies up to 1 MiB). A body crafted for the worst case takes about 80 ms at
 * 64 KiB and 1.5 s at 1 MiB on a laptop core, so never run it for every rejected request: the
 * integrations run it only when `diagnose` is on, at most once a second, for bodies up to 64 KiB.
 * It is no oracle: every cause but the shape-based ones is named only when a full tag,
 * compared in constant time, matches, and only the secret can make one.
 *
 * @param secret - the secret(s) themselves (a string, bytes, or a list); not a `WebhookVerifier`.
 * @throws TypeError for a payload of another type, a missing secret, or a `WebhookVerifier`.
 * @example
 * ```ts
 * import { diagnoseWebhook } from 'dialnexa-verify';
 *
 * declare const rawBody: Uint8Array, header: string | undefined;
 * const result = diagnoseWebhook(rawBody, header, process.env.DIALNEXA_WEBHOOK_SECRET ?? '');
 * if (!result.ok) console.warn(`webhook rejected (${result.reason}): ${result.cause}. ${result.hint}`);
 * ```
 */
export declare function diagnoseWebhook(payload: Payload, signature: SignatureHeader, secret: WebhookSecret): Diagnosis;
