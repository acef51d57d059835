// examples/lambda/handler.mjs driven with the events each AWS event source sends: API Gateway
// REST (payload 1.0: headers in their original case plus multiValueHeaders), HTTP API (payload
// 2.0: lowercase headers, repeated ones joined with commas, a cookies array), a Lambda Function
// URL (2.0 with routeKey $default), and an Application Load Balancer (requestContext.elb; with
// multi-value headers on or off). Bodies plain and base64-encoded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { accepted, delivery, LIMIT } from './contract.mjs';
import { ATTACKER, PREVIOUS, SECRET, UNAUTHORIZED, tag } from './secrets.mjs';
import { EXAMPLES, transcript } from './servers.mjs';

const PATH = '/webhooks/dialnexa';
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';

// `headers` as [name, value] pairs in the case the client sent them; `body` a string.
const SHAPES = {
  'API Gateway REST (v1)': (headers, body, isBase64Encoded) => {
    const single = {};
    const multi = {};
    for (const [name, value] of headers) {
      single[name] = value; // the last value of a repeated header
      (multi[name] ??= []).push(value);
    }
    return {
      resource: PATH,
      path: PATH,
      httpMethod: 'POST',
      headers: single,
      multiValueHeaders: multi,
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      requestContext: {
        accountId: '123456789012', apiId: '1234567890', resourceId: '123456', stage: 'prod', requestId: REQUEST_ID,
        httpMethod: 'POST', path: `/prod${PATH}`, resourcePath: PATH, protocol: 'HTTP/1.1', requestTimeEpoch: 1_764_230_400_000,
        identity: { sourceIp: '203.0.113.7', userAgent: 'DialNexa-Webhooks/1.0' },
      },
      body,
      isBase64Encoded,
    };
  },
  'API Gateway HTTP API (v2)': (headers, body, isBase64Encoded) => v2(headers, body, isBase64Encoded, `POST ${PATH}`, '1234567890.execute-api.us-east-1.amazonaws.com'),
  'Lambda Function URL': (headers, body, isBase64Encoded) => v2(headers, body, isBase64Encoded, '$default', 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws'),
  'Application Load Balancer': (headers, body, isBase64Encoded) => ({
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dialnexa/6d0ecf831eec9f09' } },
    httpMethod: 'POST',
    path: PATH,
    queryStringParameters: {},
    headers: Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value])),
    body,
    isBase64Encoded,
  }),
  'Application Load Balancer, multi-value headers': (headers, body, isBase64Encoded) => {
    const multi = {};
    for (const [name, value] of headers) (multi[name.toLowerCase()] ??= []).push(value);
    return {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/dialnexa/6d0ecf831eec9f09' } },
      httpMethod: 'POST',
      path: PATH,
      multiValueQueryStringParameters: {},
      multiValueHeaders: multi,
      body,
      isBase64Encoded,
    };
  },
};

// Payload 2.0: lowercase names, repeated headers joined with commas, cookies apart.
function v2(headers, body, isBase64Encoded, routeKey, domainName) {
  const joined = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    joined[key] = joined[key] === undefined ? value : `${joined[key]},${value}`;
  }
  return {
    version: '2.0',
    routeKey,
    rawPath: PATH,
    rawQueryString: '',
    cookies: ['session=8f2a91', 'theme=dark'],
    headers: joined,
    requestContext: {
      accountId: '123456789012', apiId: '1234567890', domainName, domainPrefix: domainName.split('.')[0],
      http: { method: 'POST', path: PATH, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'DialNexa-Webhooks/1.0' },
      requestId: REQUEST_ID, routeKey, stage: '$default', time: '27/Nov/2026:07:00:00 +0000', timeEpoch: 1_764_230_400_000,
    },
    body,
    isBase64Encoded,
  };
}

const baseHeaders = [['Content-Type', 'application/json'], ['Host', 'hooks.example.com'], ['User-Agent', 'DialNexa-Webhooks/1.0']];

/** Registers the Lambda tests (inside a describe). */
export function lambdaSuite() {
  let handler;
  const lines = { text: '' };
  const saved = {};
  before(async () => {
    for (const name of ['log', 'warn', 'error']) {
      saved[name] = console[name];
      console[name] = (...args) => { lines.text += `${args.map(String).join(' ')}\n`; };
    }
    transcript.push({ command: 'lambda handler', get text() { return lines.text; } });
    process.env.DIALNEXA_WEBHOOK_SECRET = SECRET;
    process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS = PREVIOUS;
    ({ handler } = await import(pathToFileURL(join(EXAMPLES, 'lambda/handler.mjs'))));
    delete process.env.DIALNEXA_WEBHOOK_SECRET;
    delete process.env.DIALNEXA_WEBHOOK_SECRET_PREVIOUS;
  });
  after(() => Object.assign(console, saved));

  for (const [shape, make] of Object.entries(SHAPES)) {
    const alb = shape.startsWith('Application Load Balancer');
    for (const base64 of [false, true]) {
      const encode = (body) => (base64 ? Buffer.from(body).toString('base64') : body);
      const send = (body, signatures) => handler(make([...baseHeaders, ...signatures.map((s) => ['X-DialNexa-Signature', s])], encode(body), base64));
      const expect = (response, status, body, description) => {
        assert.equal(response.statusCode, status);
        assert.equal(response.headers['content-type'], 'application/json');
        assert.equal(response.body, body);
        if (alb) {
          assert.equal(response.statusDescription, description);
          assert.equal(response.isBase64Encoded, false);
        } else {
          assert.equal(response.statusDescription, undefined);
        }
      };

      test(`${shape}, ${base64 ? 'base64 body' : 'plain body'}`, async () => {
        const refused = [];
        // Signed, and signed with the previous secret: the exact bytes (byte count in the log).
        for (const [secret, index] of [[SECRET, 0], [PREVIOUS, 1]]) {
          const d = delivery();
          expect(await send(d.body, [tag(d.body, secret)]), 200, JSON.stringify({ received: d.event }), '200 OK');
          assert.ok(lines.text.includes(accepted(d.event, Buffer.byteLength(d.body), index)), 'the handler logged the delivery');
        }
        const rejected = [
          ['tampered', (d) => [d.body.replace('8f2a91', '8f2a92'), [tag(d.body)]], 'signature_mismatch'],
          ['unsigned', (d) => [d.body, []], 'missing_signature'],
          ['signed with another secret', (d) => [d.body, [tag(d.body, ATTACKER)]], 'signature_mismatch'],
          ['truncated signature', (d) => [d.body, [tag(d.body).slice(0, 40)]], 'malformed_signature'],
          ['signature header twice', (d) => [d.body, [tag(d.body), tag(d.body)]], 'malformed_signature'],
        ].filter(([what]) => !(what === 'signature header twice' && shape === 'Application Load Balancer'));
        // (Without multi-value headers an ALB passes only the last value of a repeated header.)
        for (const [what, build, reason] of rejected) {
          const d = delivery();
          refused.push(d.event);
          const [body, signatures] = build(d);
          const mark = lines.text.length;
          expect(await send(body, signatures), 401, UNAUTHORIZED, '401 Unauthorized');
          assert.ok(lines.text.slice(mark).includes(`rejected a delivery (${reason})`), `${what}: ${reason} logged`);
        }
        const start = `{"event":"call.completed","pad":"`;
        const big = `${start}${'a'.repeat(LIMIT + 1 - start.length - 2)}"}`;
        expect(await send(big, [tag(big)]), 413, '{"statusCode":413,"message":"Payload Too Large","error":"Payload Too Large"}', '413 Payload Too Large');
        for (const event of refused) assert.ok(!lines.text.includes(`accepted ${event}`), `the handler ran for ${event}`);
      });
    }
  }

  test('a verified body that is not JSON: a fixed 500, the details logged', async () => {
    const body = '\xff not json';
    const response = await handler(SHAPES['Application Load Balancer'](
      [...baseHeaders, ['X-DialNexa-Signature', tag(Buffer.from(body, 'latin1'))]], Buffer.from(body, 'latin1').toString('base64'), true));
    assert.equal(response.statusCode, 500);
    assert.equal(response.statusDescription, '500 Internal Server Error');
    assert.equal(response.body, '{"statusCode":500,"message":"Internal Server Error","error":"Internal Server Error"}');
    assert.match(lines.text, /webhook handler failed: SyntaxError/);
  });
}
