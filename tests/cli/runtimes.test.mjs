// The same bin through npx, Bun (bun and bunx), Deno (deno run -A, as `deno run -A
// npm:dialnexa-verify` runs it) and Node 22 and 24: --help and sign in each.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { signWebhook } from 'dialnexa-verify';
import { CLI_FILE, env, OTHER_SECRET, run, SCRATCH, SECRET, startListen } from './harness.mjs';

const tools = join(SCRATCH, '..', '..', 'tools');
const which = (name) => {
  try {
    return execFileSync('which', [name], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};
const body = Buffer.from('{"event":"call.completed","call_id":"call_8f2a"}');
const expected = `${signWebhook(body, SECRET)}\n`;

const runtimes = [
  ['npx', 'npx', ['--no', '--', 'dialnexa-verify']],
  ['bun', which('bun'), [CLI_FILE]],
  ['bunx --bun', which('bunx'), ['--bun', 'dialnexa-verify']],
  ['deno run -A', which('deno'), ['run', '-A', CLI_FILE]],
  ['Node 22', join(tools, 'node22/node_modules/.bin/node'), [CLI_FILE]],
  ['Node 24', join(tools, 'node24/node_modules/.bin/node'), [CLI_FILE]],
];

for (const [name, command, prefix] of runtimes) {
  test(`${name}: --help and sign`, async () => {
    assert.ok(command && (!command.includes('/') || existsSync(command)), `${name} is not installed: run tools/setup.sh js node_versions`);
    const help = await run(['--help'], { command, prefix });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^dialnexa-verify \d+\.\d+\.\d+: sign, verify, send and test/);
    const fromStdin = await run(['sign'], { command, prefix, input: body });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, expected);
    const json = await run(['sign', '-', '--json'], { command, prefix, input: body });
    assert.equal(JSON.parse(json.stdout).signature, expected.trim());
  });
}

// listen itself, under Deno and Bun: a verified and a rejected delivery, then SIGINT exits 0.
for (const [name, command, prefix] of runtimes.filter(([n]) => n === 'bun' || n === 'deno run -A')) {
  test(`${name}: listen answers send, and exits 0 on SIGINT`, async () => {
    const { proc, url } = await startListen([], { command, prefix });
    try {
      assert.equal((await run(['send', url])).code, 0);
      assert.equal((await run(['send', url], { env: env(OTHER_SECRET) })).code, 1);
      await proc.waitFor(/rejected signature_mismatch/);
      assert.match(proc.stdout, /verified {2}call\.completed {2}-> 200/);
    } finally {
      assert.equal((await proc.stop('SIGINT')).code, 0);
    }
  });
}
