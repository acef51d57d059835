// Type-checked with `tsc --noEmit --strict` against the packed package: every export, as a user
// writes it. `@ts-expect-error` lines fail the check if the types ever become too loose.
import {
  ApiKeyError,
  SIGNATURE_HEADER,
  UNAUTHORIZED_BODY,
  WebhookVerifier,
  checkApiKey,
  checkWebhook,
  hashApiKeySecret,
  parseApiKey,
  parseAuthorization,
  redactApiKey,
  signWebhook,
  unauthorizedResponse,
  verifyWebhook,
  verifyWebhookRequest,
  DEFAULT_BODY_LIMIT,
  verifyWebhookStream,
  type ApiKeyErrorCode,
  type StoredApiKey,
  type WebhookRequestFailureReason,
  type ParsedApiKey,
  type WebhookCheck,
  type WebhookFailureReason,
} from 'dialnexa-verify';

const body: Uint8Array = new TextEncoder().encode('{"event":"call.completed"}');
const header: string | null = new Headers().get(SIGNATURE_HEADER);
const secrets: string[] = ['whsec_new', 'whsec_old'];

const valid: boolean = verifyWebhook(body, header, secrets);
verifyWebhook('{}', undefined, new Uint8Array([1]));
verifyWebhook(new ArrayBuffer(2), 'abc', 'secret');
verifyWebhook(new DataView(new ArrayBuffer(2)), 'abc', ['a', new Uint8Array([1])]);
// What servers hand over: no body, a header sent twice (Node), any typed array, a verifier.
verifyWebhook(undefined, ['a', 'b'], 'secret');
verifyWebhook(null, [] as readonly string[], new Uint16Array([1]));
// @ts-expect-error a parsed object is not a payload
verifyWebhook({ event: 'x' }, header, 'secret');
// @ts-expect-error a number is not a signature
verifyWebhook(body, 42, 'secret');

const result: WebhookCheck = checkWebhook(body, header, 'secret');
if (result.ok) {
  const index: number = result.secretIndex;
  void index;
} else {
  const reason: WebhookFailureReason = result.reason;
  // @ts-expect-error reasons are a closed set
  const wrong: 'bad_reason' = result.reason;
  void reason;
  void wrong;
}
const signature: string = signWebhook(body, 'secret');

const verifier = new WebhookVerifier(secrets);
const count: number = verifier.secretCount;
verifier.verify(body, signature);
verifier.check('{}', null);
verifier.sign('{}');
verifier.free();
{
  using scoped = new WebhookVerifier('secret');
  scoped.verify(body, signature);
}

async function handle(request: Request): Promise<Response> {
  const checked = await verifyWebhookRequest(request, verifier, { limit: 1 << 20 });
  if (!checked.ok) {
    const why: WebhookRequestFailureReason = checked.reason;
    const status: 400 | 401 | 413 = checked.status;
    void why;
    void status;
    return checked.response;
  }
  const event: unknown = checked.json();
  const text: string = checked.text();
  const bytes: Uint8Array = checked.body;
  void event;
  void text;
  void bytes;
  return new Response('ok');
}

const key: ParsedApiKey = parseApiKey('abcdefghijklmn:123456a1b1234b');
const fromHeader: ParsedApiKey = parseAuthorization(null);
const keyId: string = key.keyId;
// @ts-expect-error parsed keys are read-only
key.secret = 'x';
try {
  parseAuthorization('Basic x');
} catch (error) {
  if (error instanceof ApiKeyError) {
    const code: ApiKeyErrorCode = error.code;
    const name: 'ApiKeyError' = error.name;
    void code;
    void name;
  }
}
const redacted: string = redactApiKey('abcdefghijklmn:123456a1b1234b');
const stored: StoredApiKey = { keyId: 'abcdefghijklmn', secretHash: hashApiKeySecret('123456a1b1234b') };
const ok: boolean = checkApiKey('abcdefghijklmn:123456a1b1234b', stored) && checkApiKey(key, stored) && !checkApiKey(undefined, stored);
// @ts-expect-error the stored record binds the key ID: a bare hash is not one
checkApiKey('abcdefghijklmn:123456a1b1234b', stored.secretHash);
const limit: number = DEFAULT_BODY_LIMIT;
const thrown = new ApiKeyError('too_long', 'dialnexa-verify: too long');
// @ts-expect-error codes are a closed set
new ApiKeyError('bad_code', 'x');
const status: 401 = UNAUTHORIZED_BODY.statusCode;
// @ts-expect-error the body is read-only
UNAUTHORIZED_BODY.message = 'x';
const response: Response = unauthorizedResponse();
const name: 'x-dialnexa-signature' = SIGNATURE_HEADER;

async function streamed(body: ReadableStream<Uint8Array>): Promise<boolean> {
  const fromStream = await verifyWebhookStream(body, header, verifier);
  const fromChunks = await verifyWebhookStream([new Uint8Array(1), '{}'], header, 'secret', { limit: 10 });
  verifier.verify(body as unknown as Uint8Array, header);
  return fromStream.ok && fromChunks.ok && verifyWebhook(body as unknown as Uint8Array, header, verifier);
}

void [valid, signature, count, handle, fromHeader, keyId, redacted, ok, status, response, name, limit, thrown, streamed];
