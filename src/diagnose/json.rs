//! JSON text re-serialized token by token in the styles common serializers write, so that
//! `body_reserialized` can try "the same JSON, written by another library" without parsing into
//! a tree or allocating.
//!
//! One walk both validates (RFC 8259, UTF-8) and writes. It is a loop over the bytes with the
//! open containers kept as bits in a fixed array, not a recursion, so nesting depth costs no
//! stack; nesting deeper than [`MAX_DEPTH`] is treated as not re-serializable. Every pass of the
//! loop consumes input, and a writer that reports itself [`full`](Out::full) stops the walk, so
//! the work is linear in the input plus the output limit.
//!
//! What the styles keep: key order, and number tokens byte for byte (JavaScript would rewrite
//! `1.0` as `1`; that and other number rewrites are not tried). What they change: the whitespace
//! between tokens, and how string characters are escaped.

use super::Out;

/// Deepest nesting re-serialized. Webhook payloads are a few levels deep; a parser's own limits
/// are similar (Python's default recursion limit stops near 1,000, serde_json at 128).
pub(super) const MAX_DEPTH: usize = 512;

/// The whitespace between tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Spacing {
    /// `,` and `:`: `JSON.stringify(v)`, `json.dumps(v, separators=(",", ":"))`, most languages.
    Compact,
    /// `, ` and `: `: Python's `json.dumps(v)` default.
    Python,
    /// A newline and this many spaces per level, `: ` after keys, empty `{}` and `[]` on one
    /// line: `JSON.stringify(v, null, n)` and `json.dumps(v, indent=n)` alike.
    Indent(usize),
}

/// A serializer's output style.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Style {
    pub(super) spacing: Spacing,
    /// Non-ASCII characters (and DEL) as lowercase `\uXXXX` escapes, astral ones as surrogate
    /// pairs (Python's default `ensure_ascii=True`, PHP's default); otherwise raw UTF-8
    /// (`JSON.stringify`, `ensure_ascii=False`).
    pub(super) ascii: bool,
    /// `/` written as `\/` (PHP's default); otherwise as is.
    pub(super) escape_slash: bool,
}

/// The styles tried, most common first: `JSON.stringify` and Python's `json.dumps` defaults,
/// their other escaping, the indented forms, and PHP's escaped slashes.
pub(super) const STYLES: [Style; 10] = {
    const fn style(spacing: Spacing, ascii: bool, escape_slash: bool) -> Style {
        Style {
            spacing,
            ascii,
            escape_slash,
        }
    }
    [
        style(Spacing::Compact, false, false),
        style(Spacing::Python, true, false),
        style(Spacing::Compact, true, false),
        style(Spacing::Python, false, false),
        style(Spacing::Indent(2), false, false),
        style(Spacing::Indent(2), true, false),
        style(Spacing::Indent(4), false, false),
        style(Spacing::Indent(4), true, false),
        style(Spacing::Compact, true, true),
        style(Spacing::Compact, false, true),
    ]
};

/// What a JSON text contains that makes styles differ: which of them are worth trying.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Shape {
    /// A string holds a character the ASCII styles escape (U+007F and above).
    pub(super) non_ascii: bool,
    /// A string holds a `/`.
    pub(super) slash: bool,
    /// A container holds something (indentation changes it).
    pub(super) nested: bool,
    /// A `,` or `:` separates tokens (Python's separators change it).
    pub(super) separated: bool,
}

impl Shape {
    /// Whether `style` writes this text differently from the style without its variations.
    pub(super) fn distinguishes(self, style: Style) -> bool {
        (self.non_ascii || !style.ascii)
            && (self.slash || !style.escape_slash)
            && match style.spacing {
                Spacing::Compact => true,
                Spacing::Python => self.separated,
                Spacing::Indent(_) => self.nested,
            }
    }
}

/// Validates `text` as JSON and says what it contains; `None` if it is not valid JSON (or nests
/// deeper than [`MAX_DEPTH`]).
pub(super) fn scan(text: &[u8]) -> Option<Shape> {
    let mut writer = Writer {
        style: None,
        out: &mut Discard,
        shape: Shape::default(),
    };
    walk(text, &mut writer).then_some(writer.shape)
}

/// Writes `text`, valid JSON, in `style`. False if `text` is not valid JSON or `out` filled up.
pub(super) fn write(text: &[u8], style: Style, out: &mut dyn Out) -> bool {
    let mut writer = Writer {
        style: Some(style),
        out,
        shape: Shape::default(),
    };
    walk(text, &mut writer) && !writer.out.full()
}

/// An output that keeps nothing, for [`scan`].
struct Discard;

impl Out for Discard {
    fn put(&mut self, _: &[u8]) {}
}

const SPACES: [u8; 64] = [b' '; 64];

/// Writes tokens in a style (or nothing, while scanning) and records the [`Shape`].
struct Writer<'o> {
    style: Option<Style>,
    out: &'o mut dyn Out,
    shape: Shape,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        if self.style.is_some() {
            self.out.put(bytes);
        }
    }

    /// A newline and the indentation of `depth` levels, in the indented styles.
    fn newline(&mut self, depth: usize) {
        if let Some(Style {
            spacing: Spacing::Indent(width),
            ..
        }) = self.style
        {
            self.out.put(b"\n");
            let mut left = depth.saturating_mul(width);
            while left > 0 && !self.out.full() {
                let n = left.min(SPACES.len());
                self.out.put(&SPACES[..n]);
                left -= n;
            }
        }
    }

    fn comma(&mut self, depth: usize) {
        self.shape.separated = true;
        match self.style.map(|s| s.spacing) {
            Some(Spacing::Compact) => self.out.put(b","),
            Some(Spacing::Python) => self.out.put(b", "),
            Some(Spacing::Indent(_)) => {
                self.out.put(b",");
                self.newline(depth);
            }
            None => {}
        }
    }

    fn colon(&mut self) {
        self.shape.separated = true;
        match self.style.map(|s| s.spacing) {
            Some(Spacing::Compact) => self.out.put(b":"),
            Some(_) => self.out.put(b": "),
            None => {}
        }
    }

    /// One string character, escaped as the style escapes it.
    fn char(&mut self, c: u32, utf8: &[u8]) {
        let escape: &[u8] = match c {
            0x22 => b"\\\"",
            0x5c => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x0a => b"\\n",
            0x0d => b"\\r",
            0x09 => b"\\t",
            0x00..=0x1f => return self.unit_escape(c),
            0x2f => {
                self.shape.slash = true;
                match self.style {
                    Some(s) if s.escape_slash => b"\\/",
                    _ => b"/",
                }
            }
            0x7f.. => {
                self.shape.non_ascii = true;
                match self.style {
                    Some(s) if s.ascii => {
                        if c >= 0x1_0000 {
                            let v = c - 0x1_0000;
                            self.unit_escape(0xd800 | (v >> 10));
                            self.unit_escape(0xdc00 | (v & 0x3ff));
                        } else {
                            self.unit_escape(c);
                        }
                        return;
                    }
                    _ => utf8,
                }
            }
            _ => utf8,
        };
        self.put(escape);
    }

    /// `\u` and four lowercase hex digits of a UTF-16 code unit.
    fn unit_escape(&mut self, unit: u32) {
        let mut escape = *b"\\u0000";
        for (i, digit) in escape[2..].iter_mut().enumerate() {
            let nibble = (unit >> (12 - 4 * i)) & 0xf;
            *digit = b"0123456789abcdef"[nibble as usize];
        }
        self.put(&escape);
    }
}

/// The open containers: one bit per level, set for an object.
struct Stack {
    bits: [u8; MAX_DEPTH / 8],
    depth: usize,
}

impl Stack {
    fn push(&mut self, object: bool) -> bool {
        if self.depth == MAX_DEPTH {
            return false;
        }
        let (byte, bit) = (self.depth / 8, self.depth % 8);
        if object {
            self.bits[byte] |= 1 << bit;
        } else {
            self.bits[byte] &= !(1 << bit);
        }
        self.depth += 1;
        true
    }

    /// Whether the innermost open container is an object (false at the top level).
    fn in_object(&self) -> bool {
        match self.depth.checked_sub(1) {
            Some(top) => self.bits[top / 8] & (1 << (top % 8)) != 0,
            None => false,
        }
    }
}

/// What the next token must be.
#[derive(Clone, Copy)]
enum Expect {
    Value,
    Key,
    /// A `,` or the end of the innermost container, or the end of the text at the top level.
    AfterValue,
}

fn skip_whitespace(text: &[u8], mut pos: usize) -> usize {
    while matches!(text.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// Validates `text` and writes it through `writer`; false at the first invalid byte.
fn walk(text: &[u8], writer: &mut Writer<'_>) -> bool {
    let mut stack = Stack {
        bits: [0; MAX_DEPTH / 8],
        depth: 0,
    };
    let mut pos = skip_whitespace(text, 0);
    let mut expect = Expect::Value;
    loop {
        if writer.out.full() {
            return false;
        }
        match expect {
            Expect::Value => {
                let Some(&first) = text.get(pos) else {
                    return false;
                };
                match first {
                    b'{' | b'[' => {
                        let object = first == b'{';
                        let close = if object { b'}' } else { b']' };
                        writer.put(&[first]);
                        pos = skip_whitespace(text, pos + 1);
                        if text.get(pos) == Some(&close) {
                            writer.put(&[close]);
                            pos += 1;
                            expect = Expect::AfterValue;
                        } else {
                            if !stack.push(object) {
                                return false;
                            }
                            writer.shape.nested = true;
                            writer.newline(stack.depth);
                            expect = if object { Expect::Key } else { Expect::Value };
                        }
                    }
                    b'"' => {
                        let Some(end) = string(text, pos, writer) else {
                            return false;
                        };
                        pos = end;
                        expect = Expect::AfterValue;
                    }
                    b'-' | b'0'..=b'9' => {
                        let Some(end) = number(text, pos) else {
                            return false;
                        };
                        writer.put(&text[pos..end]);
                        pos = end;
                        expect = Expect::AfterValue;
                    }
                    _ => {
                        let literal: &[u8] = match first {
                            b't' => b"true",
                            b'f' => b"false",
                            b'n' => b"null",
                            _ => return false,
                        };
                        if !text[pos..].starts_with(literal) {
                            return false;
                        }
                        writer.put(literal);
                        pos += literal.len();
                        expect = Expect::AfterValue;
                    }
                }
            }
            Expect::Key => {
                if text.get(pos) != Some(&b'"') {
                    return false;
                }
                let Some(end) = string(text, pos, writer) else {
                    return false;
                };
                pos = skip_whitespace(text, end);
                if text.get(pos) != Some(&b':') {
                    return false;
                }
                writer.colon();
                pos = skip_whitespace(text, pos + 1);
                expect = Expect::Value;
            }
            Expect::AfterValue => {
                pos = skip_whitespace(text, pos);
                if stack.depth == 0 {
                    return pos == text.len();
                }
                let close = if stack.in_object() { b'}' } else { b']' };
                match text.get(pos) {
                    Some(b',') => {
                        writer.comma(stack.depth);
                        pos = skip_whitespace(text, pos + 1);
                        expect = if stack.in_object() {
                            Expect::Key
                        } else {
                            Expect::Value
                        };
                    }
                    Some(&c) if c == close => {
                        stack.depth -= 1;
                        writer.newline(stack.depth);
                        writer.put(&[close]);
                        pos += 1;
                    }
                    _ => return false,
                }
            }
        }
    }
}

/// The end of the number token at `start`, if it is one (RFC 8259's grammar).
fn number(text: &[u8], start: usize) -> Option<usize> {
    let digits = |mut pos: usize| {
        while text.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        pos
    };
    let mut pos = start + usize::from(text.get(start) == Some(&b'-'));
    pos = match text.get(pos) {
        Some(b'0') => pos + 1,
        Some(b'1'..=b'9') => digits(pos + 1),
        _ => return None,
    };
    if text.get(pos) == Some(&b'.') {
        let end = digits(pos + 1);
        if end == pos + 1 {
            return None;
        }
        pos = end;
    }
    if matches!(text.get(pos), Some(b'e' | b'E')) {
        pos += 1;
        if matches!(text.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let end = digits(pos);
        if end == pos {
            return None;
        }
        pos = end;
    }
    Some(pos)
}

/// Four hex digits of a `\u` escape.
fn unit(digits: Option<&[u8]>) -> Option<u32> {
    let digits = digits?;
    digits.iter().try_fold(0u32, |acc, &d| {
        char::from(d).to_digit(16).map(|v| (acc << 4) | v)
    })
}

/// The string token at `start` (its opening quote): writes it re-escaped, returns its end.
fn string(text: &[u8], start: usize, writer: &mut Writer<'_>) -> Option<usize> {
    writer.put(b"\"");
    let mut pos = start + 1;
    loop {
        // A run of characters every style writes as is, in one piece.
        let run = text
            .get(pos..)?
            .iter()
            .take_while(|&&b| (0x20..0x7f).contains(&b) && !matches!(b, b'"' | b'\\' | b'/'))
            .count();
        writer.put(&text[pos..pos + run]);
        pos += run;
        let &b = text.get(pos)?;
        match b {
            b'"' => {
                writer.put(b"\"");
                return Some(pos + 1);
            }
            b'\\' => {
                let escaped = *text.get(pos + 1)?;
                pos += 2;
                let c = match escaped {
                    b'u' => {
                        let high = unit(text.get(pos..pos + 4))?;
                        pos += 4;
                        if !(0xd800..0xe000).contains(&high) {
                            high
                        } else {
                            // A surrogate pair is one character; a lone surrogate stays escaped
                            // (as `JSON.stringify` and Python write it).
                            let low = if high < 0xdc00 && text.get(pos..pos + 2) == Some(b"\\u") {
                                unit(text.get(pos + 2..pos + 6))
                                    .filter(|low| (0xdc00..0xe000).contains(low))
                            } else {
                                None
                            };
                            match low {
                                Some(low) => {
                                    pos += 6;
                                    0x1_0000 + ((high - 0xd800) << 10) + (low - 0xdc00)
                                }
                                None => {
                                    writer.unit_escape(high);
                                    continue;
                                }
                            }
                        }
                    }
                    // `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`.
                    _ => {
                        let i = b"\"\\/bfnrt".iter().position(|&e| e == escaped)?;
                        u32::from(b"\"\\/\x08\x0c\n\r\t"[i])
                    }
                };
                let mut utf8 = [0u8; 4];
                let encoded = char::from_u32(c)?.encode_utf8(&mut utf8);
                writer.char(c, encoded.as_bytes());
            }
            0x00..=0x1f => return None,
            0x20..=0x7f => {
                writer.char(u32::from(b), &[b]);
                pos += 1;
            }
            _ => {
                let (c, len) = utf8_char(text, pos)?;
                writer.char(c, &text[pos..pos + len]);
                pos += len;
            }
        }
    }
}

/// The UTF-8 character at `pos` (its lead byte is 0x80 or above) and its length, if well formed.
fn utf8_char(text: &[u8], pos: usize) -> Option<(u32, usize)> {
    let lead = text[pos];
    let (len, min, bits) = match lead {
        0xc2..=0xdf => (2, 0x80, lead & 0x1f),
        0xe0..=0xef => (3, 0x800, lead & 0x0f),
        0xf0..=0xf4 => (4, 0x1_0000, lead & 0x07),
        _ => return None,
    };
    let bytes = text.get(pos..pos + len)?;
    let mut c = u32::from(bits);
    for &b in &bytes[1..] {
        if b & 0xc0 != 0x80 {
            return None;
        }
        c = (c << 6) | u32::from(b & 0x3f);
    }
    let valid = c >= min && !(0xd800..0xe000).contains(&c) && c <= 0x10_ffff;
    valid.then_some((c, len))
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::String;
    use std::vec::Vec;

    use super::{scan, write, Shape, Spacing, Style, MAX_DEPTH};

    fn styled(text: &str, spacing: Spacing, ascii: bool, escape_slash: bool) -> String {
        let mut out = Vec::new();
        let style = Style {
            spacing,
            ascii,
            escape_slash,
        };
        assert!(write(text.as_bytes(), style, &mut out), "{text}");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn writes_the_styles_of_common_serializers() {
        let text = r#" { "a" : [ 1 , -2.5e+3 , { } , [ ] , {"b":null} ] , "c" : "é/😀\n" } "#;
        assert_eq!(
            styled(text, Spacing::Compact, false, false),
            r#"{"a":[1,-2.5e+3,{},[],{"b":null}],"c":"é/😀\n"}"#
        );
        assert_eq!(
            styled(text, Spacing::Python, true, false),
            r#"{"a": [1, -2.5e+3, {}, [], {"b": null}], "c": "\u00e9/\ud83d\ude00\n"}"#
        );
        assert_eq!(
            styled(text, Spacing::Indent(2), false, false),
            "{\n  \"a\": [\n    1,\n    -2.5e+3,\n    {},\n    [],\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": \"é/😀\\n\"\n}"
        );
        assert_eq!(
            styled(text, Spacing::Compact, true, true),
            r#"{"a":[1,-2.5e+3,{},[],{"b":null}],"c":"\u00e9\/\ud83d\ude00\n"}"#
        );
    }

    #[test]
    fn decodes_escapes_and_keeps_lone_surrogates_escaped() {
        let text = r#"["\u00E9\/\ud83d\uDE00\u0041\u001F\u007f\ud800x\udc00"]"#;
        assert_eq!(
            styled(text, Spacing::Compact, false, false),
            "[\"é/😀A\\u001f\u{7f}\\ud800x\\udc00\"]"
        );
        assert_eq!(
            styled(text, Spacing::Compact, true, false),
            r#"["\u00e9/\ud83d\ude00A\u001f\u007f\ud800x\udc00"]"#
        );
    }

    #[test]
    fn scan_reports_what_makes_styles_differ() {
        assert_eq!(scan(b"1"), Some(Shape::default()));
        assert_eq!(
            scan(br#"{"a":"/"}"#),
            Some(Shape {
                non_ascii: false,
                slash: true,
                nested: true,
                separated: true
            })
        );
        assert_eq!(
            scan("[\"\u{7f}\"]".as_bytes()).map(|s| (s.non_ascii, s.separated)),
            Some((true, false))
        );
    }

    #[test]
    fn rejects_invalid_json() {
        for text in [
            &b""[..],
            b" ",
            b"{",
            b"[1,]",
            b"{\"a\"}",
            b"{\"a\":1,}",
            b"[1 2]",
            b"01",
            b"1.",
            b"1e",
            b"-",
            b"tru",
            b"nul",
            b"\"\x01\"",
            b"\"\\x\"",
            b"\"\\u12\"",
            b"\"\xff\"",
            b"\"\xc0\x80\"",
            b"\"\xed\xa0\x80\"",
            b"[1]]",
            b"{}{}",
            b"\xef\xbb\xbf{}",
            b"{1:2}",
            b"[}",
        ] {
            assert_eq!(scan(text), None, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn nesting_is_limited_without_recursion() {
        let deep = |n: usize| {
            let mut text = "[".repeat(n);
            text.push_str(&"]".repeat(n));
            text
        };
        // The innermost `[]` is empty: it opens no level.
        assert!(scan(deep(MAX_DEPTH + 1).as_bytes()).is_some());
        assert_eq!(scan(deep(MAX_DEPTH + 2).as_bytes()), None);
        assert_eq!(scan("[".repeat(1_000_000).as_bytes()), None);
        // Deep but legal nesting mixes objects and arrays correctly.
        let mixed = "{\"a\":[".repeat(200) + &"]}".repeat(200);
        assert!(scan(mixed.as_bytes()).is_some());
        let crossed = "{\"a\":[".repeat(200) + &"}]".repeat(200);
        assert_eq!(scan(crossed.as_bytes()), None);
    }
}
