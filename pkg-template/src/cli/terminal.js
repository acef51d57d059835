// What reaches the terminal: colours only where they belong, text from the network made harmless,
// and the hidden prompt for secrets.
import { StringDecoder } from 'node:string_decoder';
import { Interrupted, UsageError } from './errors.js';

/**
 * Colour functions for one stream: real colours only when the stream is a terminal, `NO_COLOR` is
 * unset or empty (https://no-color.org), `TERM` is not `dumb` and `--no-color` was not given.
 */
export function palette(stream, { noColor = false } = {}) {
  const env = process.env;
  const on = Boolean(stream?.isTTY) && !noColor && !env.NO_COLOR && env.TERM !== 'dumb';
  const paint = (open) => (on ? (text) => `\x1b[${open}m${text}\x1b[0m` : (text) => String(text));
  return { on, green: paint('32'), red: paint('31'), yellow: paint('33'), dim: paint('2'), bold: paint('1') };
}

// Characters that move the cursor, rewrite the screen or reorder text (C0 and C1 controls, DEL,
// and the Unicode bidirectional controls used in "Trojan Source" tricks).
function isDangerous(code) {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x2028 ||
    code === 0x2029
  );
}

function escapeCode(code) {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * Text from elsewhere (a response body, a request path) made safe to print: dangerous characters
 * become visible escapes such as `\x1b`, at most `max` characters are kept, and what was cut is
 * said. Linear in the input; `keepNewlines` keeps `\n` and `\t` for multi-line bodies.
 * @returns {{ text: string, cut: boolean }}
 */
export function printable(text, { max = 4096, keepNewlines = false } = {}) {
  let out = '';
  let shown = 0;
  let index = 0;
  for (; index < text.length && shown < max; shown++) {
    const code = text.codePointAt(index);
    const width = code > 0xffff ? 2 : 1;
    if (keepNewlines && (code === 0x0a || code === 0x09)) out += text[index];
    else if (isDangerous(code)) out += escapeCode(code);
    else if (code >= 0xd800 && code <= 0xdfff) out += '\ufffd'; // a lone surrogate
    else out += text.slice(index, index + width);
    index += width;
  }
  return { text: out, cut: index < text.length };
}

/** A single line of outside text, escaped and cut to `max` characters with a marker. */
export function oneLine(text, max = 120) {
  const { text: safe, cut } = printable(String(text), { max });
  return cut ? `${safe}...` : safe;
}

const PROMPT_MAX = 4096;

/**
 * Reads a line from the terminal on stdin without echoing it (raw mode). Backspace and Ctrl-U
 * edit, Enter ends, Ctrl-C exits 130, Ctrl-D on an empty line ends with nothing entered; escape
 * sequences (arrow keys, bracketed paste markers) are ignored.
 * @returns {Promise<string>}
 */
export function promptHidden(question) {
  const stdin = process.stdin;
  const stderr = process.stderr;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    return Promise.reject(new UsageError('a hidden prompt needs a terminal on stdin'));
  }
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let chars = [];
    let escape = 0; // 0: none; 1: after ESC; 2: inside a CSI/SS3 sequence
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
      const text = chars.join('');
      chars.fill('');
      chars = [];
      if (error) reject(error);
      else resolve(text);
    };
    function onData(data) {
      for (const char of decoder.write(data)) {
        const code = char.codePointAt(0);
        if (escape === 1) {
          escape = char === '[' || char === 'O' ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if ((code >= 0x40 && code <= 0x7e)) escape = 0;
          continue;
        }
        if (char === '\r' || char === '\n') return finish();
        if (code === 0x03) return finish(new Interrupted());
        if (code === 0x04) {
          if (chars.length === 0) return finish();
          continue;
        }
        if (code === 0x1b) escape = 1;
        else if (code === 0x7f || code === 0x08) chars.pop();
        else if (code === 0x15) chars.length = 0;
        else if (code >= 0x20 && chars.length < PROMPT_MAX) chars.push(char);
      }
    }
    stdin.on('data', onData);
  });
}
