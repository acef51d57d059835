// Surrounding ASCII whitespace, as the engine (Rust's `trim_ascii`) trims it: space, tab, LF, FF,
// CR. Two index loops, linear in the length, never a regular expression (a backtracking trim of a
// hostile header was a denial of service).
const isSpace = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;

/** The start and end indexes of `text` without its surrounding ASCII whitespace. */
export function trimmedBounds(text) {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start += 1;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end -= 1;
  return [start, end];
}
