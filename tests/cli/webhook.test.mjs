// sign, verify, where the secret comes from, help and usage errors: the installed bin, spawned.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { signWebhook } from 'dialnexa-verify';
import { assertNoSecret, BIN, env, newDecoy, newSecret, OTHER_SECRET, run, SCRATCH, SECRET, watch } from './harness.mjs';

const dir = mkdtempSync(join(tmpdir(), 'dialnexa-cli-'));
const file = (name, bytes) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const hmac = (bytes, secret) => createHmac('sha256', secret).update(bytes).digest('hex');

const PAYLOADS = {
  'compact JSON': Buffer.from('{"event":"call.completed","call_id":"call_8f2a"}'),
  'JSON with a trailing newline': Buffer.from('{"event":"call.completed"}\n'),
  'CRLF and non-ASCII': Buffer.from('{"name":"Zoë ☎",\r\n"n":1}'),
  'binary bytes': Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  empty: Buffer.alloc(0),
};

describe('sign', () => {
  for (const [name, bytes] of Object.entries(PAYLOADS)) {
    test(`${name}: FILE, stdin and - all equal signWebhook and node:crypto`, async () => {
      const expected = signWebhook(bytes, SECRET);
      assert.equal(expected, hmac(bytes, SECRET));
      const path = file(`payload-${name.replace(/\W/g, '_')}`, bytes);
      for (const [args, input] of [[['sign', path]], [['sign'], bytes], [['sign', '-'], bytes]]) {
        const r = await run(args, { input });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${expected}\n`);
      }
    });
  }

  test('--json', async () => {
    const bytes = PAYLOADS['compact JSON'];
    const r = await run(['sign', '--json', file('json-sign', bytes)]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { signature: hmac(bytes, SECRET), header: 'X-DialNexa-Signature', bytes: bytes.length });
  });

  test('a missing file is a usage error (exit 2) that names it', async () => {
    const r = await run(['sign', join(dir, 'nope.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read ".*nope\.json": no such file/);
    assert.equal(r.stdout, '');
  });
});

describe('verify', () => {
  const bytes = PAYLOADS['compact JSON'];
  const path = file('verify.json', bytes);
  const good = hmac(bytes, SECRET);

  test('a valid signature: exit 0, "valid"; upper case with sha256= and spaces too', async () => {
    for (const signature of [good, ` sha256=${good.toUpperCase()} `]) {
      const r = await run(['verify', path, '--signature', signature]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'valid\n');
    }
  });

  test('a tampered body: exit 1, signature_mismatch', async () => {
    const r = await run(['verify', '-', '--signature', good], { input: Buffer.from('{"event":"call.completed","call_id":"call_8f2b"}') });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^invalid: signature_mismatch\n {2}the signature is well-formed/);
  });

  test('the wrong secret: exit 1, signature_mismatch', async () => {
    const r = await run(['verify', path, '--signature', good], { env: env(OTHER_SECRET) });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /signature_mismatch/);
  });

  test('a malformed signature: exit 1, malformed_signature', async () => {
    for (const signature of [good.slice(0, 63), `${good}0`, 'not hex', `${good.slice(0, 32)} ${good.slice(32)}`]) {
      const r = await run(['verify', path, '--signature', signature]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^invalid: malformed_signature\n/);
    }
  });

  test('no --signature: exit 1, missing_signature', async () => {
    const r = await run(['verify', path]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^invalid: missing_signature\n/);
  });

  test('the diagnosis names the mistake: a re-serialized body, a secret with its newline, a base64 header', async () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 2));
    const reserialized = await run(['verify', '-', '--signature', good], { input: pretty });
    assert.equal(reserialized.code, 1);
    assert.match(reserialized.stdout, /^invalid: signature_mismatch\n.*\n {2}cause: body_reserialized\n {2}hint: Verify the raw bytes before any JSON parser touches them/);
    // The sender signed with the secret; this side read it with the newline of its .env line.
    const newline = await run(['verify', path, '--signature', good], { env: env(`${SECRET}\n`) });
    assert.match(newline.stdout, /cause: secret_whitespace\n {2}hint: Trim the secret/);
    const base64 = await run(['verify', path, '--signature', Buffer.from(good, 'hex').toString('base64'), '--json']);
    const report = JSON.parse(base64.stdout);
    assert.deepEqual([report.ok, report.reason, report.cause], [false, 'malformed_signature', 'header_base64']);
    assert.match(report.hint, /hex/);
    const unrelated = await run(['verify', path, '--signature', hmac(bytes, OTHER_SECRET)]);
    assert.match(unrelated.stdout, /cause: unknown\n/);
  });

  test('--json', async () => {
    const ok = await run(['verify', path, '--signature', good, '--json']);
    assert.deepEqual(JSON.parse(ok.stdout), { ok: true });
    const bad = await run(['verify', path, '--signature', hmac(bytes, OTHER_SECRET), '--json']);
    assert.equal(bad.code, 1);
    const report = JSON.parse(bad.stdout);
    assert.equal(report.ok, false);
    assert.equal(report.reason, 'signature_mismatch');
    assert.equal(typeof report.explanation, 'string');
    assert.equal(report.cause, 'unknown');
    assert.equal(typeof report.hint, 'string');
  });
});

describe('where the signature comes from', () => {
  // A body and signature of their own: the signature is watched, so the harness fails any test
  // that puts it in an argument list or finds it in anything printed.
  const bytes = Buffer.from('{"event":"call.completed","call_id":"call_sig_source"}');
  const path = file('signature-source.json', bytes);
  const tag = hmac(bytes, SECRET);
  watch(tag);

  test('--signature-env NAME: valid, tampered and diagnosed, never in argv', async () => {
    const ok = await run(['verify', path, '--signature-env', 'HOOK_SIG'], { env: env(SECRET, { HOOK_SIG: tag }) });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'valid\n');
    const tampered = await run(['verify', '-', '--signature-env', 'HOOK_SIG'], { env: env(SECRET, { HOOK_SIG: tag }), input: Buffer.from(`${bytes} `) });
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, /^invalid: signature_mismatch\n/);
    // The diagnosis sees the same value as the check: a base64 header is named as such.
    const base64 = await run(['verify', path, '--signature-env', 'HOOK_SIG', '--json'], {
      env: env(SECRET, { HOOK_SIG: Buffer.from(tag, 'hex').toString('base64') }),
    });
    assert.equal(JSON.parse(base64.stdout).cause, 'header_base64');
    // An empty variable is a delivery without a signature; an unset one is a mistake.
    const empty = await run(['verify', path, '--signature-env', 'HOOK_SIG'], { env: env(SECRET, { HOOK_SIG: '' }) });
    assert.equal(empty.code, 1);
    assert.match(empty.stdout, /^invalid: missing_signature\n/);
  });

  test('--signature-file PATH and - (stdin): one trailing newline or CRLF removed, never in argv', async () => {
    for (const [name, content] of [['plain', tag], ['lf', `${tag}\n`], ['crlf', `${tag}\r\n`], ['upper', `sha256=${tag.toUpperCase()}\n`]]) {
      const r = await run(['verify', path, '--signature-file', file(`signature-${name}`, content)]);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.equal(r.stdout, 'valid\n', name);
    }
    const stdin = await run(['verify', path, '--signature-file', '-'], { input: `${tag}\n` });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(stdin.stdout, 'valid\n');
    const other = await run(['verify', path, '--signature-file', '-'], { input: hmac(bytes, OTHER_SECRET) });
    assert.equal(other.code, 1);
    assert.match(other.stdout, /^invalid: signature_mismatch\n(.*\n){1}  cause: unknown\n/);
    // Two newlines: one is removed and the other stays part of the value (then allowed as
    // surrounding whitespace by the check); a line of its own is not a signature.
    const inner = await run(['verify', path, '--signature-file', file('signature-split', `${tag.slice(0, 32)}\n${tag.slice(32)}\n`)]);
    assert.equal(inner.code, 1);
    assert.match(inner.stdout, /^invalid: malformed_signature\n/);
  });

  test('usage errors: two sources, - with the body on stdin, unset, badly named or unreadable: exit 2, nothing on stdout', async () => {
    const big = file('signature-big', `${tag}${' '.repeat(64 * 1024)}`);
    const cases = [
      [
        ['verify', path, '--signature-env', 'HOOK_SIG', '--signature-file', file('signature-two', tag)],
        /give one of --signature, --signature-env and --signature-file, not --signature-env and --signature-file/,
      ],
      [['verify', path, '--signature', '0'.repeat(64), '--signature-env', 'HOOK_SIG'], /give one of .* not --signature and --signature-env/],
      [['verify', '--signature-file', '-'], /--signature-file - reads the signature from stdin, but the body is read from stdin too/],
      [['verify', '-', '--signature-file', '-'], /but the body is read from stdin too; give the body as FILE/],
      [['verify', path, '--signature-env', 'NOT_SET_ANYWHERE'], /the environment variable named by --signature-env is not set/],
      [['verify', path, '--signature-env', 'NOT A NAME'], /--signature-env expects the name of an environment variable/],
      [['verify', path, '--signature-file', join(dir, 'no-signature-here')], /cannot read the file given to --signature-file: no such file/],
      [['verify', path, '--signature-file', big], /the file given to --signature-file is larger than 64 KiB/],
      [['verify', path, '--signature-file='], /--signature-file needs a path/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args, { env: env(SECRET, { HOOK_SIG: tag }), input: bytes });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  test('usage errors come before the secret prompt', async () => {
    const r = await inTerminal(`${BIN} verify ${path} --signature-env NOT_SET_ANYWHERE`);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.output, /input hidden/);
    assert.match(r.output, /the environment variable named by --signature-env is not set/);
  });
});

describe('where the secret comes from', () => {
  const bytes = PAYLOADS['compact JSON'];
  const path = file('secret-source.json', bytes);
  const expected = hmac(bytes, SECRET);

  test('--secret-env NAME reads another variable', async () => {
    const r = await run(['sign', path, '--secret-env', 'MY_HOOK_SECRET'], { env: env(OTHER_SECRET, { MY_HOOK_SECRET: SECRET }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${expected}\n`);
  });

  test('--secret-file: without a newline, with \\n and with \\r\\n, the same secret', async () => {
    for (const [name, content] of [['plain', SECRET], ['lf', `${SECRET}\n`], ['crlf', `${SECRET}\r\n`]]) {
      const r = await run(['sign', path, '--secret-file', file(`secret-${name}`, content)], { env: env(null) });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${expected}\n`, name);
      assert.equal(r.stderr, '', name);
    }
  });

  test('--secret-file strips exactly one newline: a second one is kept, with a warning', async () => {
    const r = await run(['sign', path, '--secret-file', file('secret-two-newlines', `${SECRET}\n\n`)], { env: env(null) });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${hmac(bytes, `${SECRET}\n`)}\n`);
    assert.match(r.stderr, /starts or ends with whitespace; it is used as is/);
  });

  test('the file wins over $DIALNEXA_WEBHOOK_SECRET; --secret-env with --secret-file is a usage error', async () => {
    const r = await run(['sign', path, '--secret-file', file('secret-wins', SECRET)], { env: env(OTHER_SECRET) });
    assert.equal(r.stdout, `${expected}\n`);
    const both = await run(['sign', path, '--secret-file', file('secret-both', SECRET), '--secret-env', 'X']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
  });

  test('no secret anywhere: exit 2 with what to do', async () => {
    const r = await run(['sign', path], { env: env(null) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no webhook secret: set DIALNEXA_WEBHOOK_SECRET, or pass --secret-env NAME or --secret-file PATH/);
    assert.equal(r.stdout, '');
  });

  test('an unset or empty --secret-env variable, an empty or missing secret file: exit 2', async () => {
    const cases = [
      [['--secret-env', 'NOT_SET_ANYWHERE'], /the environment variable named by --secret-env is not set/],
      [['--secret-env', 'EMPTY_ONE'], /the environment variable named by --secret-env is empty/],
      [['--secret-file', file('secret-empty', '\n')], /is empty/],
      [['--secret-file', join(dir, 'missing-secret')], /no such file/],
    ];
    for (const [args, message] of cases) {
      const r = await run(['sign', path, ...args], { env: env(null, { EMPTY_ONE: '' }) });
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
  });

  test('a secret or tag pasted where a variable name or a file path goes is never printed back', async () => {
    // A decoy shaped like a variable name (so it passes the name check) and used as a path: the
    // harness fails the test if any 8 characters of it reach stdout or stderr.
    for (const option of ['--secret-env', '--secret-file']) {
      const decoy = newDecoy();
      const r = await run(['sign', path, option, decoy], { env: env(null) });
      assert.equal(r.code, 2, option);
      assert.match(r.stderr, option === '--secret-env' ? /named by --secret-env is not set/ : /the file given to --secret-file: no such file/);
    }
    for (const option of ['--signature-env', '--signature-file']) {
      const decoy = newDecoy();
      const r = await run(['verify', path, option, decoy], { env: env(SECRET) });
      assert.equal(r.code, 2, option);
      assert.match(r.stderr, option === '--signature-env' ? /named by --signature-env is not set/ : /the file given to --signature-file: no such file/);
    }
  });

  test('--secret is refused, in every spelling, and its value is never shown', async () => {
    // Not a real secret (that must never be in argv): a watched decoy, so echoing it fails the test.
    const decoy = newDecoy();
    for (const args of [['--secret', decoy], [`--secret=${decoy}`], ['--webhook-secret', decoy]]) {
      const r = await run(['sign', path, ...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /is refused: a secret on the command line is visible to other users .* Use --secret-env NAME/);
      assert.equal(r.stdout, '');
    }
    const key = await run(['key', 'check', '--key', decoy, '--key-id', 'a', '--hash', '0'.repeat(64)]);
    assert.equal(key.code, 2);
    assert.match(key.stderr, /--key is refused/);
  });
});

// A pseudo-terminal from util-linux `script`: the CLI sees a TTY on stdin, stdout and stderr.
function inTerminal(commandLine, { type, environment = env(null) } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', commandLine, '/dev/null'], { cwd: SCRATCH, env: environment });
    let output = '';
    let typed = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit; output: ${JSON.stringify(output)}`));
    }, 20_000);
    child.stdout.on('data', (d) => {
      output += d;
      if (type !== undefined && !typed && output.includes('(input hidden): ')) {
        typed = true;
        // Typed once the prompt is up: with echo left on, the terminal would print it back.
        setTimeout(() => child.stdin.write(type), 200);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('in a terminal', () => {
  const bytes = PAYLOADS['compact JSON'];
  const path = file('terminal.json', bytes);

  test('the secret is read from a hidden prompt, and never echoed', async () => {
    const typed = newSecret();
    const r = await inTerminal(`${BIN} sign ${path}`, { type: `${typed}\r` });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /Webhook secret \(input hidden\): /);
    assert.ok(r.output.includes(hmac(bytes, typed)), r.output);
    assertNoSecret(r.output, 'the terminal');
  });

  test('backspace edits the hidden input; Ctrl-C at the prompt exits 130', async () => {
    const typed = newSecret();
    const edited = await inTerminal(`${BIN} sign ${path}`, { type: `${typed}X\x7f\r` });
    assert.ok(edited.output.includes(hmac(bytes, typed)), edited.output);
    const interrupted = await inTerminal(`${BIN} sign ${path}`, { type: 'abc\x03' });
    assert.equal(interrupted.code, 130);
  });

  test('--no-input: no prompt, exit 2', async () => {
    const r = await inTerminal(`${BIN} sign ${path} --no-input`);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.output, /input hidden/);
    assert.match(r.output, /no webhook secret/);
  });

  test('colours on a terminal, none with NO_COLOR, none when piped', async () => {
    const signature = hmac(bytes, SECRET);
    const coloured = await inTerminal(`${BIN} verify ${path} --signature ${signature}`, { environment: env(SECRET) });
    assert.equal(coloured.code, 0);
    assert.ok(coloured.output.includes('\x1b[32mvalid\x1b[0m'), JSON.stringify(coloured.output));
    const plain = await inTerminal(`${BIN} verify ${path} --signature ${signature}`, { environment: env(SECRET, { NO_COLOR: '1' }) });
    assert.equal(plain.code, 0);
    assert.ok(!plain.output.includes('\x1b['), JSON.stringify(plain.output));
    const flag = await inTerminal(`${BIN} verify ${path} --signature ${signature} --no-color`, { environment: env(SECRET) });
    assert.ok(!flag.output.includes('\x1b['), JSON.stringify(flag.output));
    const piped = await run(['verify', path, '--signature', signature]);
    assert.ok(!piped.stdout.includes('\x1b['));
  });

  test('sign with no FILE and a terminal on stdin: a usage error, not a hang', async () => {
    const r = await inTerminal(`${BIN} sign`, { environment: env(SECRET) });
    assert.equal(r.code, 2);
    assert.match(r.output, /give FILE, pipe the body on stdin, or pass -/);
  });
});

describe('help, version and usage errors', () => {
  test('--help lists every command and the exit codes', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await run(args);
      assert.equal(r.code, 0);
      for (const word of ['sign', 'verify', 'send', 'test-endpoint', 'listen', 'key generate', 'key hash', 'key check', 'key redact', 'Exit codes', '130']) {
        assert.ok(r.stdout.includes(word), `${args} lacks ${word}`);
      }
    }
  });

  test('every command has its own --help (exit 0, on stdout)', async () => {
    for (const command of [['sign'], ['verify'], ['send'], ['test-endpoint'], ['listen'], ['key'], ['key', 'generate'], ['key', 'hash'], ['key', 'check'], ['key', 'redact']]) {
      const r = await run([...command, '--help']);
      assert.equal(r.code, 0, command.join(' '));
      assert.match(r.stdout, new RegExp(`Usage: dialnexa-verify ${command.join(' ')}`));
      const viaHelp = await run(['help', ...command]);
      assert.equal(viaHelp.stdout, r.stdout);
    }
  });

  test('verify --help offers --signature-env and --signature-file, and says --signature shows in ps', async () => {
    const r = await run(['verify', '--help']);
    assert.match(r.stdout, /--signature-env NAME/);
    assert.match(r.stdout, /--signature-file PATH {2}a file, or - for stdin/);
    assert.match(r.stdout, /--signature VALUE {6}the command line: other users see it in ps/);
    assert.doesNotMatch(r.stdout, /--signature "\$SIG"/);
    const main = await run(['--help']);
    assert.doesNotMatch(main.stdout, /--signature V\b/);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(SCRATCH, 'node_modules/dialnexa-verify/package.json'), 'utf8'));
    const r = await run(['--version']);
    assert.equal(r.stdout, `dialnexa-verify ${version}\n`);
    const json = await run(['--version', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), { name: 'dialnexa-verify', version });
  });

  test('no command, an unknown command or option, extra arguments: exit 2, suggestions on stderr', async () => {
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Usage: dialnexa-verify <command>/);
    const cases = [
      [['sgin'], /unknown command "sgin"; did you mean "sign"\?/],
      [['sign', '--secert-file', 'x'], /unknown option --secert-file for sign \(did you mean --secret-file\?\)/],
      [['sign', 'a', 'b'], /sign takes at most 1 argument \(FILE\), got 2/],
      [['sign', '--json=yes'], /--json takes no value/],
      [['send'], /send needs the receiver URL/],
      [['send', 'ftp://example.com/'], /must be an http: or https: URL/],
      [['listen', '--port', 'eighty'], /--port expects a whole number from 0 to 65535/],
      [['listen', '--limit', 'lots'], /--limit expects a size/],
      [['key'], /Usage: dialnexa-verify key </],
      [['key', 'make'], /unknown key command "make"/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  test('a secret typed where a command belongs is not repeated', async () => {
    const decoy = newDecoy();
    const r = await run([decoy]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command;/);
  });
});
