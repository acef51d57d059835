// The debugger page's logic. Bundled by `make www` (esbuild, browser condition) into dist/app.js,
// with the package's .wasm copied beside it. No network access: everything runs here.
import {
  ApiKeyError,
  checkWebhook,
  diagnoseWebhook,
  parseApiKey,
  parseAuthorization,
  redactApiKey,
  signWebhook,
} from 'dialnexa-verify';

const WEBHOOK_REASONS = {
  missing_signature:
    'No signature was given. DialNexa sends it in the X-DialNexa-Signature header of every delivery: check that your framework passes that header through.',
  malformed_signature:
    'This is not a signature: it must be 64 hexadecimal digits (optionally prefixed by sha256=). A truncated, padded or re-encoded value is rejected.',
  signature_mismatch:
    'The signature is well formed but does not match this body and secret. Most often the body was changed before checking (parsed and re-serialized JSON, a trimmed newline, another encoding) or the secret is not the one registered with this webhook.',
};

const KEY_REASONS = {
  empty_key: 'The value is empty.',
  missing_separator: 'A DialNexa API key has two parts, key ID and secret, separated by a colon: keyid:secret. This value has no colon, so one part is missing.',
  too_many_separators: 'There is more than one colon. A key is exactly keyid:secret.',
  empty_key_id: 'Nothing comes before the colon: the key ID is missing.',
  empty_secret: 'Nothing comes after the colon: the secret is missing.',
  too_long: 'One part is longer than 256 bytes, longer than any DialNexa key.',
  invalid_character: 'A part contains a character that never appears in a key (keys use letters, digits and - . _ ~ + / =). Look for quotes, spaces or line breaks copied along with it.',
  starts_with_bearer: 'The value starts with "Bearer ": that is the whole Authorization header. The key itself is what follows.',
  missing_header: 'The Authorization header is empty.',
  wrong_scheme: 'The Authorization header does not use the Bearer scheme. DialNexa expects: Authorization: Bearer keyid:secret.',
  missing_token: 'The header says Bearer but no key follows it.',
};

const $ = (id) => document.getElementById(id);

// Builds result content from text only (never HTML from input).
function show(target, ok, headline, details = [], note = '') {
  target.className = `result ${ok ? 'ok' : 'bad'}`;
  target.replaceChildren();
  const strong = document.createElement('strong');
  strong.className = ok ? 'ok' : 'bad';
  strong.textContent = headline;
  target.append(strong);
  if (note) {
    const p = document.createElement('p');
    p.textContent = note;
    target.append(p);
  }
  if (details.length > 0) {
    const dl = document.createElement('dl');
    for (const [term, value] of details) {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dl.append(dt, dd);
    }
    target.append(dl);
  }
}

// The expected signature of the last check. It forges that delivery, so it is kept out of the
// page until the user asks for it, and forgotten when the inputs change or another check runs.
let expectedSignature = '';

const REVEAL_WARNING = "Anyone who sees this value can forge this delivery: don't share screenshots of it.";

// Adds the hidden-by-default expected signature to a webhook result: a warning, a button, and an
// empty slot that holds the value (as text) from one press of the button to the next.
function addReveal(result) {
  const box = document.createElement('div');
  box.className = 'reveal';
  const warning = document.createElement('p');
  warning.className = 'warning';
  warning.textContent = REVEAL_WARNING;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'reveal-signature';
  button.setAttribute('aria-controls', 'expected-signature');
  const value = document.createElement('p');
  value.id = 'expected-signature';
  const setShown = (shown) => {
    button.textContent = shown ? 'Hide expected signature' : 'Show expected signature';
    button.setAttribute('aria-expanded', String(shown));
    value.hidden = !shown;
    value.replaceChildren();
    if (shown) {
      const label = document.createElement('strong');
      label.textContent = 'Expected signature: ';
      const code = document.createElement('code');
      code.textContent = expectedSignature;
      value.append(label, code);
    }
  };
  button.addEventListener('click', () => setShown(button.getAttribute('aria-expanded') !== 'true'));
  setShown(false);
  box.append(warning, button, value);
  result.append(box);
}

// Any edit makes the result describe inputs that are gone: clear it, revealed signature included.
function forgetResult() {
  expectedSignature = '';
  const result = $('webhook-result');
  result.className = 'result';
  result.replaceChildren();
}

function checkSignature(event) {
  event.preventDefault();
  forgetResult();
  const result = $('webhook-result');
  const payload = $('payload').value;
  const secret = $('secret').value;
  if (secret === '') {
    show(result, false, 'Enter the webhook secret', [], 'The signature can only be checked with the secret registered for the webhook.');
    $('secret').focus();
    return;
  }
  const received = $('signature').value;
  const check = checkWebhook(payload, received, secret);
  expectedSignature = signWebhook(payload, secret);
  if (check.ok) {
    show(result, true, 'Valid signature', [], 'This body was signed with this secret.');
  } else {
    // With the secret in hand, try the usual ways an integration mangles its inputs.
    const diagnosis = diagnoseWebhook(payload, received, secret);
    show(result, false, `Invalid signature (${check.reason})`,
      [['Likely cause', diagnosis.cause], ['What to change', diagnosis.hint]], WEBHOOK_REASONS[check.reason]);
  }
  addReveal(result);
}

function checkKey(event) {
  event.preventDefault();
  const result = $('key-result');
  const value = $('api-key').value;
  // A scheme before a space ("Bearer …", "Basic …") or a bare "Bearer" is a header; anything else a key.
  const trimmed = value.trim();
  const asHeader = /\s/.test(trimmed) || /^bearer$/i.test(trimmed);
  try {
    const key = asHeader ? parseAuthorization(value) : parseApiKey(value);
    show(result, true, asHeader ? 'Valid Authorization header' : 'Well-formed API key',
      [['Key ID', key.keyId], ['Secret length', `${key.secret.length} characters`], ['For logs', redactApiKey(value)]],
      'The format is right. Whether the key is active is for DialNexa (or your gateway) to say.');
  } catch (error) {
    if (!(error instanceof ApiKeyError)) throw error;
    show(result, false, `Not a valid ${asHeader ? 'Authorization header' : 'API key'} (${error.code})`,
      [['For logs', redactApiKey(value)]], KEY_REASONS[error.code] ?? error.message);
  }
}

$('webhook-form').addEventListener('submit', checkSignature);
$('webhook-form').addEventListener('input', forgetResult);
$('key-form').addEventListener('submit', checkKey);
for (const button of document.querySelectorAll('button[type=submit]')) button.disabled = false;
$('status').textContent = 'Ready: the verifier is loaded.';
document.documentElement.dataset.ready = 'true';
