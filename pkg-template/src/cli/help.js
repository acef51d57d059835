// The --help texts, one per command. CLI.md in the package says the same at more length.

const SECRET_HELP = `Secret (never on the command line, where ps and shell history would keep it):
  --secret-env NAME    read it from the environment variable NAME (default DIALNEXA_WEBHOOK_SECRET)
  --secret-file PATH   read it from a file; exactly one trailing newline (\\n or \\r\\n) is removed
  Otherwise, when stdin is a terminal, you are prompted for it (input hidden); --no-input turns
  the prompt off. A secret with surrounding whitespace is used as is, with a warning.`;

const COMMON_HELP = `  --json               machine-readable output: one JSON document on stdout
  --no-color           no colours (also off when NO_COLOR is set or output is not a terminal)
  --no-input           never prompt; fail with exit code 2 instead
  -h, --help           this help`;

export const HELP = {
  main: `dialnexa-verify VERSION: sign, verify, send and test DialNexa webhook deliveries,
run a local receiver, and issue and check API keys.

Usage: dialnexa-verify <command> [options]

Webhooks (HMAC-SHA256 of the raw body, lowercase hex in X-DialNexa-Signature):
  sign [FILE|-]                   print the X-DialNexa-Signature value for the exact bytes
  verify [FILE|-]                 exit 0 if a signature is valid for the bytes, 1 if not, and why
  send URL                        POST one signed delivery as DialNexa does; print the answer
  test-endpoint URL               check that a receiver accepts what it must and refuses the rest
  listen                          a local receiver on 127.0.0.1 that verifies, logs and forwards

API keys (keyid:secret, sent as Authorization: Bearer keyid:secret):
  key generate                    issue a new key, and the hash to store instead of its secret
  key hash                        the SHA-256 to store for a secret read from stdin or a prompt
  key check --key-id ID --hash H  check a key read from stdin against a stored record
  key redact                      keyid:**** for each key read from stdin

Options:
${COMMON_HELP}
  -V, --version        print the version

The webhook secret comes from $DIALNEXA_WEBHOOK_SECRET, --secret-env NAME, --secret-file PATH
or a hidden prompt; never from the command line. Results go to stdout, messages to stderr.

Exit codes:
  0    success
  1    the check said no: invalid signature (verify), key does not match (key check),
       an answer that is not 2xx (send)
  2    usage or input error: unknown option, missing argument, no secret, unreadable file
  3    network error: no answer, timeout, refused connection; listen: the port is taken
  4    internal error (a bug: please report it)
  130  interrupted by Ctrl-C (listen exits 0 on Ctrl-C and SIGTERM)
  test-endpoint exits with the number of FAIL rows (0 when every row passes).

Run dialnexa-verify <command> --help for a command's options.`,

  sign: `Usage: dialnexa-verify sign [FILE|-] [options]

Prints the X-DialNexa-Signature value (64 lowercase hex digits) for the exact bytes of FILE, or of
stdin when FILE is - or absent and stdin is piped. Nothing is added or removed: a trailing newline
in the file is part of what is signed.

Options:
${SECRET_HELP.replace(/^Secret[^\n]*\n/, '')}
${COMMON_HELP}

JSON: {"signature": "...", "header": "X-DialNexa-Signature", "bytes": N}

Example:
  printf '%s' '{"event":"call.completed"}' | dialnexa-verify sign --secret-file whsec.txt`,

  verify: `Usage: dialnexa-verify verify [FILE|-] [--signature-env NAME | --signature-file PATH] [options]

Checks a signature against the exact bytes of FILE (or stdin). Exit 0 when it is valid, 1 when it
is not, with the reason (missing_signature, malformed_signature or signature_mismatch) and the
diagnosis of the package's diagnoseWebhook: the most likely cause (a secret read with its newline,
a re-serialized body, a base64 header, ...) and a hint that says what to change.

Signature: the X-DialNexa-Signature value as received, from at most one of (none: missing_signature)
  --signature-env NAME   the environment variable NAME (an unset one is an error)
  --signature-file PATH  a file, or - for stdin when the body is FILE; exactly one trailing
                         newline (\\n or \\r\\n) is removed
  --signature VALUE      the command line: other users see it in ps and it stays in your shell
                         history; prefer the two above

Options:
${SECRET_HELP.replace(/^Secret[^\n]*\n/, '')}
${COMMON_HELP}

JSON: {"ok": true} or {"ok": false, "reason", "explanation", "cause", "hint"}

Examples:
  dialnexa-verify verify body.json --signature-file signature.txt --secret-file whsec.txt
  dialnexa-verify verify body.json --signature-env SIG --secret-env MY_SECRET   # SIG exported by your script`,

  send: `Usage: dialnexa-verify send URL [options]

POSTs one delivery the way DialNexa does: the exact bytes, Content-Type: application/json and
X-DialNexa-Signature computed over those bytes. Prints the status, the time taken and the start of
the answer (4 KiB; control characters shown escaped). No redirect is followed.

Options:
  -d, --data DATA      the body: @FILE for a file's bytes, - (or @-) for stdin, otherwise DATA's
                       own UTF-8 bytes (default: a sample call.completed event)
  -H, --header "Name: value"
                       an extra header (repeatable; replaces one of the same name, including
                       X-DialNexa-Signature or Content-Type). Header values show in ps: never a secret.
  --timeout SECONDS    give up after this long (default 30)
${SECRET_HELP}
${COMMON_HELP}

Exit code: 0 for a 2xx answer, 1 for any other answer, 3 for no answer.
JSON: {"url", "status", "statusText", "ok", "ms", "sentBytes", "body", "bodyBytes", "truncated"}

Example:
  dialnexa-verify send http://127.0.0.1:3000/webhooks/dialnexa --data @event.json`,

  'test-endpoint': `Usage: dialnexa-verify test-endpoint URL [options]

Runs a battery of deliveries against your receiver and prints a PASS/FAIL table:
  signed delivery            a correctly signed delivery             must get 2xx
  tampered body              one byte of the body changed            must not get 2xx
  no signature               X-DialNexa-Signature absent             must not get 2xx
  wrong secret               signed with another secret              must not get 2xx
  truncated signature        the first 32 of the 64 hex digits       must not get 2xx
  re-serialized body         the same JSON with other spacing        must not get 2xx
  oversized body             a signed body of --max-body bytes       must be refused: 4xx, or the
                                                                     connection closed before it
                                                                     was all sent; not a hang
  still answers afterwards   a signed delivery again                 must get 2xx (no crash, no hang)
  timing (with --timing)     see below
A 5xx passes the "must not get 2xx" rows with a note: DialNexa retries 5xx, answer 401 instead.

Options:
  -d, --data DATA      the JSON body of the battery: @FILE, - or JSON text (default: a sample event)
  -H, --header "Name: value"
                       an extra header on every request (repeatable)
  --max-body SIZE      the oversized body (default 20MiB; K/M/KiB/MiB are binary, kB/MB decimal)
  --timeout SECONDS    the longest a request may take; for the oversized body, the longest it
                       may make no progress before it counts as a hang (default 10)
  --timing             add a remote timing check: many interleaved deliveries whose signatures are
                       wrong in the first byte or in the last byte. Welch's t-statistic of the two
                       answer times is printed; |t| > 4.5 is evidence that the receiver compares
                       signatures in variable time (the row FAILs). Network noise makes this
                       evidence, not proof: rerun close to the receiver before drawing conclusions.
  --timing-samples N   deliveries per class for --timing (default 1000)
${SECRET_HELP}
${COMMON_HELP}

Exit code: the number of FAIL rows (0 when all pass); 2 for a usage error, before any request.
JSON: {"url", "rows": [{"id", "name", "pass", "expected", "status", "ms", "detail"}], "passed", "failed"}

Example:
  dialnexa-verify test-endpoint http://127.0.0.1:3000/webhooks/dialnexa --timing`,

  listen: `Usage: dialnexa-verify listen [options]

Runs a receiver on 127.0.0.1 that verifies every POST (any path) and prints one line per request:
time, method and path, size, verdict, and when rejected the reason, the diagnosed cause and a hint
(diagnoseWebhook, after the answer is sent; a wrong signature at most once a second and for bodies
up to 64 KiB, else the line says "not diagnosed"). Verified deliveries get 200 (or, with --forward-to, are forwarded
with body and headers unchanged but for the connection's own, and your app's status and answer are
relayed); everything else gets 401 with DialNexa's body
{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}.

Options:
  -p, --port N             port on 127.0.0.1 (default 8765; 0 picks a free one)
  -f, --forward-to URL     forward verified deliveries to your app at URL
  --limit SIZE             largest body accepted (default 5MiB); larger gets 413
  --request-timeout SECONDS
                           a request must arrive whole within this (default 30; headers within
                           10 or this, whichever is less); slower clients get 408
  --forward-timeout SECONDS
                           how long your app may take to answer (default 30; then 504)
  --max-connections N      concurrent connections (default 64); more are closed at once
  --no-diagnose            do not diagnose rejected deliveries (the secret is then not kept)
${SECRET_HELP}
${COMMON_HELP.replace('one JSON document on stdout', 'one JSON object per line (JSON Lines)')}

Ctrl-C or SIGTERM stops it: the server closes and the exit code is 0.

Example:
  DIALNEXA_WEBHOOK_SECRET=... dialnexa-verify listen --forward-to http://127.0.0.1:3000/webhooks/dialnexa`,

  key: `Usage: dialnexa-verify key <generate|hash|check|redact> [options]

  key generate                    issue a new key, and the hash to store instead of its secret
  key hash                        the SHA-256 to store for a secret read from stdin or a prompt
  key check --key-id ID --hash H  check a key read from stdin against a stored record
  key redact                      keyid:**** for each key read from stdin

Keys and secrets are read from stdin or a hidden prompt, never from the command line.
Run dialnexa-verify key <command> --help for details.`,

  'key generate': `Usage: dialnexa-verify key generate [options]

Issues a new API key keyid:secret from the platform's CSPRNG (key ID: 14 lowercase letters;
secret: 22 characters of A-Z a-z 0-9, 131 bits), prints it once, with the SHA-256 of its secret.
Store the key ID and that hash; give the key to its user and keep no copy: it cannot be shown again.

Options:
  --count N            issue N keys (1 to 100000): one line each, "key<TAB>key ID<TAB>hash"
${COMMON_HELP}

JSON: {"key", "keyId", "secretHash"}; with --count, an array of them.`,

  'key hash': `Usage: dialnexa-verify key hash [options]

Reads an API-key secret (or a whole key keyid:secret, whose secret is then hashed) from stdin, or
from a hidden prompt when stdin is a terminal, and prints the SHA-256 to store (64 hex digits).
One trailing newline on stdin is removed.

Options:
${COMMON_HELP}

JSON: {"secretHash": "..."} (and "keyId" when a whole key was read)

Example:
  dialnexa-verify key hash < secret.txt`,

  'key check': `Usage: dialnexa-verify key check --key-id ID --hash HASH [options]

Reads a key (keyid:secret, or an Authorization header value "Bearer keyid:secret") from stdin, or
from a hidden prompt when stdin is a terminal, and checks it in constant time against the stored
record: exit 0 when the key ID is ID and its secret hashes to HASH, 1 otherwise.

Options:
  --key-id ID          the stored key ID
  --hash HASH          the stored SHA-256 of the secret (64 hex digits, from key generate or key hash)
${COMMON_HELP}

JSON: {"ok": true} or {"ok": false, "reason": "..."}

Example:
  printf '%s' "$KEY" | dialnexa-verify key check --key-id abcdefghijklmn --hash 3f2a...`,

  'key redact': `Usage: dialnexa-verify key redact [options]

Reads keys or Authorization header values from stdin, one per line, and prints each as keyid:****
(or **** when no key ID can be shown), safe for logs and tickets.

Options:
${COMMON_HELP}

JSON: {"redacted": ["...", ...]}`,
};
