#!/usr/bin/env node
// The dialnexa-verify command line. Every check goes through the package's own public API (the
// self-reference `dialnexa-verify`), never a copy of it; the commands live in ./cli/.
import { EXIT, UsageError } from './cli/errors.js';
import { HELP } from './cli/help.js';
import { KEY_CHECK, KEY_GENERATE, KEY_HASH, KEY_REDACT, keyCheck, keyGenerate, keyHash, keyRedact } from './cli/key.js';
import { LISTEN, listen } from './cli/listen.js';
import { closest, parseCommand } from './cli/options.js';
import { SEND, send } from './cli/send.js';
import { palette } from './cli/terminal.js';
import { TEST_ENDPOINT, testEndpoint } from './cli/test-endpoint.js';
import { VERSION } from './cli/version.js';
import { SIGN, sign, VERIFY, verify } from './cli/webhook.js';

const COMMANDS = {
  sign: [SIGN, sign],
  verify: [VERIFY, verify],
  send: [SEND, send],
  'test-endpoint': [TEST_ENDPOINT, testEndpoint],
  listen: [LISTEN, listen],
  'key generate': [KEY_GENERATE, keyGenerate],
  'key hash': [KEY_HASH, keyHash],
  'key check': [KEY_CHECK, keyCheck],
  'key redact': [KEY_REDACT, keyRedact],
};
const GLOBAL_FLAGS = new Set(['--json', '--no-color', '--no-input']);

const help = (name) => HELP[name].replaceAll('VERSION', VERSION);

function makeIo(values) {
  const noColor = Boolean(values['no-color']);
  const colors = palette(process.stdout, { noColor });
  const errColors = palette(process.stderr, { noColor });
  return {
    json: Boolean(values.json),
    colors,
    out: (line) => process.stdout.write(`${line}\n`),
    emit: (document) => process.stdout.write(`${JSON.stringify(document)}\n`),
    info: (line) => process.stderr.write(`${line}\n`),
    warn: (line) => process.stderr.write(`${errColors.yellow(line)}\n`),
  };
}

// Splits argv into the command's name and its arguments; global flags may come before the name.
function commandOf(argv) {
  const leading = [];
  let index = 0;
  while (index < argv.length && GLOBAL_FLAGS.has(argv[index])) leading.push(argv[index++]);
  const first = argv[index];
  if (first === undefined) return { name: undefined };
  if (first === '-V' || first === '--version') return { name: 'version', args: [...leading, ...argv.slice(index + 1)] };
  if (first === '-h' || first === '--help') return { name: 'help', args: [] };
  if (first === 'help') {
    const topic = argv[index + 1] === 'key' && argv[index + 2] ? `key ${argv[index + 2]}` : argv[index + 1];
    return { name: 'help', topic };
  }
  if (first === 'key') {
    const sub = argv[index + 1];
    if (sub === undefined) return { name: 'key' };
    if (sub === '-h' || sub === '--help') return { name: 'help', topic: 'key' };
    return { name: `key ${sub}`, args: [...leading, ...argv.slice(index + 2)] };
  }
  if (first.startsWith('-')) {
    throw new UsageError(`unknown option ${first.split('=')[0].slice(0, 60)} before the command; see dialnexa-verify --help`);
  }
  return { name: first, args: [...leading, ...argv.slice(index + 1)] };
}

function wantsHelp(args) {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '-h' || arg === '--help') return true;
  }
  return false;
}

let exitWhenDone = false;

async function main(argv) {
  const { name, args, topic } = commandOf(argv);
  if (name === undefined || name === 'key') {
    process.stderr.write(`${help(name ?? 'main')}\n`);
    return EXIT.USAGE;
  }
  if (name === 'version') {
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ name: 'dialnexa-verify', version: VERSION })}\n`);
    else process.stdout.write(`dialnexa-verify ${VERSION}\n`);
    return EXIT.OK;
  }
  if (name === 'help') {
    const page = topic === undefined ? 'main' : topic;
    if (!Object.hasOwn(HELP, page)) throw new UsageError(`no help for ${String(page).slice(0, 40)}; see dialnexa-verify --help`);
    process.stdout.write(`${help(page)}\n`);
    return EXIT.OK;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    const names = Object.keys(COMMANDS);
    const guess = closest(name, name.startsWith('key ') ? names.filter((n) => n.startsWith('key ')) : names.filter((n) => !n.startsWith('key ')));
    // The name is repeated only when it looks like a command name (a mistyped secret must not be).
    const word = name.replace(/^key /, '');
    const shown = `${name.startsWith('key ') ? 'key command' : 'command'}${/^[a-z][a-z-]{0,19}$/.test(word) ? ` "${word}"` : ''}`;
    throw new UsageError(`unknown ${shown}${guess ? `; did you mean "${guess}"?` : ''}; see dialnexa-verify --help`);
  }
  if (wantsHelp(args)) {
    process.stdout.write(`${help(name)}\n`);
    return EXIT.OK;
  }
  const [spec, run] = COMMANDS[name];
  exitWhenDone = name === 'listen';
  const { values, positionals } = parseCommand(name, args, spec);
  return run({ values, positionals, io: makeIo(values) });
}

// Output to a closed pipe (`| head`) ends the program quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error?.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.OK);
  });
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
    // listen resolves once its server has closed; requests still forwarding are abandoned.
    if (exitWhenDone) process.exit(code);
  },
  (error) => {
    const red = palette(process.stderr, { noColor: argv.includes('--no-color') }).red;
    if (error?.exitCode === EXIT.INTERRUPTED) {
      process.exitCode = EXIT.INTERRUPTED;
    } else if (error?.exitCode !== undefined) {
      process.stderr.write(`dialnexa-verify: ${red('error')}: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`dialnexa-verify: ${red('internal error')}: ${error?.message ?? error} (please report it)\n`);
      process.exitCode = EXIT.INTERNAL;
    }
  },
);
