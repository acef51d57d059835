// AWS Lambda behind API Gateway (REST v1 or HTTP API v2), a Function URL or an Application Load
// Balancer. Everything at module scope runs once per cold start: the secret check and the
// verifier's prepared keys are reused by every invocation of this instance.
import { WebhookVerifier } from 'dialnexa-verify';
import { verifyLambdaEvent } from 'dialnexa-verify/lambda';

const current = process.env.DIALNEXA_WEBHOOK_SECRET;
if (!current) {
  // Fails the cold start: Lambda logs this line and no invocation runs with a missing secret.
  throw new Error('DIALNEXA_WEBHOOK_SECRET is not set: set it to the webhook secret registered with DialNexa.');
}
const previous = process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS; // during a rotation
const verifier = new WebhookVerifier(previous ? [current, previous] : current);
const LIMIT = 1024 * 1024; // bytes of the decoded body; an ALB passes at most 1 MB anyway

const REASONS = { 200: 'OK', 500: 'Internal Server Error' };

// A JSON response in the shape every event source takes; an ALB also wants statusDescription.
function respond(event, statusCode, body) {
  const response = { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  if (event.requestContext?.elb) Object.assign(response, { statusDescription: `${statusCode} ${REASONS[statusCode]}`, isBase64Encoded: false });
  return response;
}

export async function handler(event) {
  // Finds X-DialNexa-Signature in any case (a repeated one is refused), decodes a base64 body,
  // refuses one over LIMIT before decoding it; a rejection comes with its response ready (401
  // with DialNexa's body, 413, 400).
  // #region readme
  const delivery = verifyLambdaEvent(event, verifier, { limit: LIMIT });
  if (!delivery.ok) {
    console.warn(`dialnexa: rejected a delivery (${delivery.reason})`);
    return delivery.response;
  }
  // #endregion
  try {
    const payload = delivery.json();
    // ... handle the event, idempotently (DialNexa retries, and a captured delivery verifies forever) ...
    console.log(`dialnexa: accepted ${payload.event} (${delivery.body.length} bytes, secret #${delivery.secretIndex})`);
    return respond(event, 200, { received: payload.event });
  } catch (error) {
    console.error('webhook handler failed:', error); // details stay in CloudWatch
    return respond(event, 500, { statusCode: 500, message: 'Internal Server Error', error: 'Internal Server Error' });
  }
}
