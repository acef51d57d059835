// The www-example debugger page in headless Chromium (Debian's, through playwright-core): fills
// the forms as a person would, checks the results for valid, tampered and malformed input, that
// password managers are told to stay out of the secret fields, that the expected signature stays
// off the page until it is revealed, that no request leaves the page's own origin, and saves the
// screenshot README.md shows.
// Run by `make test` after tools/build-www.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { chromium } from '../../tools/node_modules/playwright-core/index.mjs';
import { serve } from '../../tools/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'whsec_page_test_4Rt8';
let server;
let browser;
let page;
let base;
const requests = [];
const errors = [];

const hmac = (body, secret) => createHmac('sha256', secret).update(body).digest('hex');

before(async () => {
  server = await serve(`${root}/www-example`);
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('response', (response) => { if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`); });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.goto(`${base}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function checkWebhook({ payload, secret, signature }) {
  if (payload !== undefined) await page.fill('#payload', payload);
  await page.fill('#secret', secret);
  await page.fill('#signature', signature);
  await page.click('#webhook-form button');
  return page.locator('#webhook-result');
}

test('the page is labelled, the secrets are password fields, and it is ready', async () => {
  assert.equal(await page.getAttribute('#secret', 'type'), 'password');
  assert.equal(await page.getAttribute('#api-key', 'type'), 'password');
  for (const id of ['payload', 'secret', 'signature', 'api-key']) {
    assert.equal(await page.locator(`label[for="${id}"]`).count(), 1, `label for #${id}`);
  }
  assert.match(await page.textContent('#status'), /Ready/);
  assert.equal(await page.locator('button:disabled').count(), 0);
});

test('password managers are kept out of both secret fields, and neither form looks like a login', async () => {
  for (const id of ['secret', 'api-key']) {
    const field = page.locator(`#${id}`);
    assert.equal(await field.getAttribute('autocomplete'), 'new-password', `#${id} autocomplete`);
    assert.equal(await field.getAttribute('data-1p-ignore'), '', `#${id} data-1p-ignore`);
    assert.equal(await field.getAttribute('data-lpignore'), 'true', `#${id} data-lpignore`);
    assert.equal(await field.getAttribute('data-bwignore'), '', `#${id} data-bwignore`);
    assert.equal(await field.getAttribute('data-form-type'), 'other', `#${id} data-form-type`);
  }
  // Not a login form: one password field, and no email, username or named input beside it.
  for (const form of ['#webhook-form', '#key-form']) {
    assert.equal(await page.locator(`${form} input[type=password]`).count(), 1, form);
    assert.equal(await page.locator(`${form} input[type=email], ${form} input[autocomplete~=username], ${form} input[autocomplete~=email], ${form} input[name]`).count(), 0, form);
  }
});

// Everything the page holds, visible or not: its text, the HTML of the DOM and every field's value.
const pageHolds = (value) => page.evaluate((needle) => document.documentElement.outerHTML.includes(needle)
  || document.body.innerText.includes(needle)
  || [...document.querySelectorAll('input, textarea')].some((field) => field.value.includes(needle)), value);

test('a correctly signed body is valid, and the signature is not echoed', async () => {
  const payload = await page.inputValue('#payload');
  const result = await checkWebhook({ secret: SECRET, signature: hmac(payload, SECRET) });
  assert.match(await result.textContent(), /^Valid signature/);
  assert.match(await result.getAttribute('class'), /\bok\b/);
  assert.ok(!(await result.textContent()).includes(hmac(payload, SECRET)), 'not echoed in the result');
  assert.equal(await page.getAttribute('#reveal-signature', 'aria-expanded'), 'false');
});

test('a tampered body is invalid, and the expected signature is shown only on request', async () => {
  const original = '{"event":"call.completed","call_id":"call_1","duration_seconds":42}';
  const tampered = original.replace('42', '4200');
  const expected = hmac(tampered, SECRET);
  const result = await checkWebhook({ payload: tampered, secret: SECRET, signature: hmac(original, SECRET) });
  const text = await result.textContent();
  assert.match(text, /Invalid signature \(signature_mismatch\)/);
  assert.match(await result.getAttribute('class'), /\bbad\b/);
  assert.match(text, /Anyone who sees this value can forge this delivery: don't share screenshots of it\./);
  assert.equal(await pageHolds(expected), false, 'hidden by default, and not merely by CSS');

  const reveal = page.locator('#reveal-signature');
  assert.equal(await reveal.textContent(), 'Show expected signature');
  assert.equal(await reveal.getAttribute('aria-expanded'), 'false');
  await reveal.click();
  assert.ok((await result.textContent()).includes(expected), 'shown after the reveal');
  assert.ok(await page.locator('#expected-signature').isVisible());
  assert.equal(await reveal.getAttribute('aria-expanded'), 'true');
  await reveal.click();
  assert.equal(await pageHolds(expected), false, 'hidden again by the same button');

  // From the keyboard, then any edit of any field forgets it.
  for (const field of ['#payload', '#secret', '#signature']) {
    await page.focus('#reveal-signature');
    await page.keyboard.press('Enter');
    assert.equal(await pageHolds(expected), true, 'revealed from the keyboard');
    await page.focus(field);
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    assert.equal(await pageHolds(expected), false, `hidden after editing ${field}`);
    await page.keyboard.press('Backspace');
    await page.click('#webhook-form button[type=submit]');
    assert.equal(await pageHolds(expected), false, 'hidden after a new check');
  }

  // A new check with the same inputs starts hidden again.
  await page.click('#reveal-signature');
  assert.equal(await pageHolds(expected), true);
  await page.click('#webhook-form button[type=submit]');
  assert.equal(await pageHolds(expected), false, 'a new check hides it');
  assert.equal(await page.getAttribute('#reveal-signature', 'aria-expanded'), 'false');
});

test('malformed and missing signatures, and a missing secret, are explained', async () => {
  const payload = '{"event":"call.completed"}';
  let result = await checkWebhook({ payload, secret: SECRET, signature: hmac(payload, SECRET).slice(0, 40) });
  assert.match(await result.textContent(), /malformed_signature.*64 hexadecimal digits/s);
  result = await checkWebhook({ payload, secret: SECRET, signature: '' });
  assert.match(await result.textContent(), /missing_signature/);
  result = await checkWebhook({ payload, secret: '', signature: hmac(payload, SECRET) });
  assert.match(await result.textContent(), /Enter the webhook secret/);
});

test('a failed check names its likely cause and what to change', async () => {
  const sent = '{"event": "call.completed", "agent": "\\u00c5sa"}'; // Python's json.dumps
  const cases = [
    ['a secret pasted with surrounding spaces', { payload: sent, secret: `  ${SECRET} `, signature: hmac(sent, SECRET) }, 'secret_whitespace', /Trim the secret/],
    ['a body re-serialized by JSON.stringify(JSON.parse(...))', { payload: JSON.stringify(JSON.parse(sent)), secret: SECRET, signature: hmac(sent, SECRET) }, 'body_reserialized', /raw bytes before any JSON parser/],
    ['a Lambda-style base64 body', { payload: Buffer.from(sent).toString('base64'), secret: SECRET, signature: hmac(sent, SECRET) }, 'body_base64', /isBase64Encoded/],
    ['another secret', { payload: sent, secret: 'whsec_not_the_registered_one', signature: hmac(sent, SECRET) }, 'unknown', /secret is the one registered/],
    ['the header of a truncated signature', { payload: sent, secret: SECRET, signature: hmac(sent, SECRET).slice(0, 40) }, 'header_other_algorithm', /SHA-1, SHA-384 or SHA-512/],
  ];
  for (const [what, inputs, cause, hint] of cases) {
    const text = await (await checkWebhook(inputs)).textContent();
    assert.ok(text.includes(`Likely cause${cause}`), `${what}: ${text}`);
    assert.match(text, hint, what);
    assert.ok(!text.includes(SECRET.slice(3, 10)), 'no part of the secret in the page');
  }
});

test('the keyboard alone submits the form (Enter in the signature field)', async () => {
  const payload = '{"event":"call.started"}';
  await page.fill('#payload', payload);
  await page.fill('#secret', SECRET);
  await page.fill('#signature', `sha256=${hmac(payload, SECRET).toUpperCase()}`);
  await page.focus('#signature');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#webhook-result'), /^Valid signature/);
});

test('API keys: a good Authorization header, a malformed key, another scheme', async () => {
  const check = async (value) => {
    await page.fill('#api-key', value);
    await page.click('#key-form button');
    return page.textContent('#key-result');
  };
  let text = await check('Bearer abcdefghijklmn:123456a1b1234b');
  assert.match(text, /Valid Authorization header/);
  assert.match(text, /abcdefghijklmn:\*\*\*\*/);
  assert.ok(!text.includes('123456a1b1234b'), 'the secret is never shown');
  text = await check('abcdefghijklmn');
  assert.match(text, /missing_separator/);
  assert.match(text, /two parts/);
  text = await check('Basic dXNlcjpwYXNz');
  assert.match(text, /wrong_scheme/);
  text = await check('abcdefghijklmn:123456a1b1234b');
  assert.match(text, /Well-formed API key/);
});

test('nothing leaves the page, and nothing failed', async () => {
  assert.ok(requests.length >= 3);
  for (const url of requests) assert.ok(url.startsWith(`${base}/`), `request to ${url}`);
  assert.deepEqual(errors, []);
});

test('screenshot for README.md, with no full signature in it', async () => {
  const payload = '{"event":"call.completed","call_id":"call_8f2a91","duration_seconds":42}';
  // The received value is made up (the SHA-256 of a label, not an HMAC of anything), so the
  // picture holds no signature that verifies any body; the expected one stays hidden.
  const received = createHash('sha256').update('screenshot: not a signature').digest('hex');
  await checkWebhook({ payload, secret: SECRET, signature: received });
  assert.match(await page.textContent('#webhook-result'), /signature_mismatch/);
  assert.equal(await pageHolds(hmac(payload, SECRET)), false);
  await page.fill('#api-key', 'Bearer abcdefghijklmn:123456a1b1234b');
  await page.click('#key-form button');
  await page.screenshot({ path: `${root}/www-example/screenshot.png`, fullPage: true });
});
