//! Hex and base64, streamed into an [`Out`] a few bytes at a time: the secret variants (a secret
//! decoded from or encoded into text) and the body and header variants (a base64 body, a base64
//! tag) are never materialised in a buffer.
//!
//! The digit arithmetic has no table look-ups and no branches on the digit, as in
//! `crate::encoding`, because the bytes converted here include secrets. Whether a whole text is
//! valid hex or base64 is answered once, at the end, and does branch (see the module docs of
//! `diagnose` on what the shape of a secret can reveal).

use super::Out;

/// One hex digit (either case) to its value, or a value with bit 8 set if it is not a digit.
// The digit functions are not inlined: one copy of each serves every loop, and the
// WebAssembly engine pays for every byte of code.
#[inline(never)]
fn hex_value(digit: u8) -> u16 {
    let c = i16::from(digit);
    let mut value: i16 = -1;
    // Each line adds (c - base + 1) when c is in its range: both bounds' signs in one AND.
    value += ((0x2f - c) & (c - 0x3a)) >> 8 & (c - 47); // '0'..='9'
    value += ((0x40 - c) & (c - 0x47)) >> 8 & (c - 54); // 'A'..='F'
    value += ((0x60 - c) & (c - 0x67)) >> 8 & (c - 86); // 'a'..='f'
    u16::from_le_bytes(value.to_le_bytes())
}

/// A nibble (0..=15) to its lowercase hex digit.
#[inline(never)]
fn hex_digit(nibble: u8) -> u8 {
    let n = i16::from(nibble);
    (n + 0x30 + (((9 - n) >> 8) & 0x27)).to_le_bytes()[0]
}

/// One base64 digit of either alphabet (`+`/`-` for 62, `/`/`_` for 63) to its value, or -1.
#[inline(never)]
fn base64_value(digit: u8) -> i16 {
    let c = i16::from(digit);
    let mut value: i16 = -1;
    value += ((0x40 - c) & (c - 0x5b)) >> 8 & (c - 64); // 'A'..='Z' -> 0..=25
    value += ((0x60 - c) & (c - 0x7b)) >> 8 & (c - 70); // 'a'..='z' -> 26..=51
    value += ((0x2f - c) & (c - 0x3a)) >> 8 & (c + 5); // '0'..='9' -> 52..=61
    value += ((0x2a - c) & (c - 0x2c)) >> 8 & 63; // '+' -> 62
    value += ((0x2c - c) & (c - 0x2e)) >> 8 & 63; // '-' -> 62
    value += ((0x2e - c) & (c - 0x30)) >> 8 & 64; // '/' -> 63
    value += ((0x5e - c) & (c - 0x60)) >> 8 & 64; // '_' -> 63
    value
}

/// A 6-bit value to its base64 digit, standard (`+/`) or URL-safe (`-_`) alphabet.
#[inline(never)]
fn base64_digit(value: u8, url: bool) -> u8 {
    let v = i16::from(value & 0x3f);
    let (to_62, to_63) = if url { (13, 49) } else { (15, 3) };
    let mut c = v + 65; // 'A' + v
    c += ((25 - v) >> 8) & 6; // v >= 26: 'a' + (v - 26)
    c -= ((51 - v) >> 8) & 75; // v >= 52: '0' + (v - 52)
    c -= ((61 - v) >> 8) & to_62; // v >= 62: '+' or '-'
    c += ((62 - v) >> 8) & to_63; // v == 63: '/' or '_'
    c.to_le_bytes()[0]
}

/// Whether `text` is a non-empty, even-length run of hex digits (either case).
#[inline(never)]
pub(super) fn is_hex(text: &[u8]) -> bool {
    let invalid = text.iter().fold(0u16, |acc, &c| acc | hex_value(c));
    !text.is_empty() && text.len() % 2 == 0 && invalid & 0x100 == 0
}

/// Decodes hex digits already checked by [`is_hex`].
pub(super) fn decode_hex(text: &[u8], out: &mut dyn Out) {
    for pair in text.chunks_exact(2) {
        let mut byte = [((hex_value(pair[0]) << 4) | (hex_value(pair[1]) & 0x0f)).to_le_bytes()[0]];
        out.put(&byte);
        wipe(&mut byte);
    }
}

/// Writes the lowercase hex digits of `bytes`.
pub(super) fn encode_hex(bytes: &[u8], out: &mut dyn Out) {
    for &byte in bytes {
        let mut pair = [hex_digit(byte >> 4), hex_digit(byte & 0x0f)];
        out.put(&pair);
        wipe(&mut pair);
    }
}

/// The base64 digits of `text` without their padding, if `text` is base64 in either alphabet,
/// padded or not: at least two digits, `=` only as one or two final bytes of a multiple of four,
/// and no length that leaves a lone digit.
#[inline(never)]
pub(super) fn base64_digits(text: &[u8]) -> Option<&[u8]> {
    let digits = text
        .strip_suffix(b"==")
        .or_else(|| text.strip_suffix(b"="))
        .unwrap_or(text);
    let padded = digits.len() != text.len();
    let invalid = digits.iter().fold(0i16, |acc, &c| acc | base64_value(c));
    let shape_ok = digits.len() >= 2 && digits.len() % 4 != 1 && (!padded || text.len() % 4 == 0);
    (shape_ok && invalid >= 0).then_some(digits)
}

/// How many bytes [`decode_base64`] writes for `digits`.
pub(super) const fn base64_decoded_len(digits: &[u8]) -> usize {
    digits.len() / 4 * 3 + (digits.len() % 4).saturating_sub(1)
}

/// Decodes digits returned by [`base64_digits`]. The unused low bits of a final partial group are
/// ignored, as lenient decoders (Node's `Buffer.from(text, 'base64')`) do.
pub(super) fn decode_base64(digits: &[u8], out: &mut dyn Out) {
    for group in digits.chunks(4) {
        let mut bits: u32 = 0;
        for &c in group {
            bits = (bits << 6) | u32::from(base64_value(c).to_le_bytes()[0] & 0x3f);
        }
        // Left-align the group's bits in 24, then take as many whole bytes as it holds.
        let mut bytes = (bits << (6 * (4 - group.len()))).to_be_bytes();
        out.put(&bytes[1..group.len()]);
        wipe(&mut bytes);
    }
}

/// Writes the base64 of `bytes`: standard or URL-safe alphabet, with or without `=` padding.
pub(super) fn encode_base64(bytes: &[u8], url: bool, pad: bool, out: &mut dyn Out) {
    for group in bytes.chunks(3) {
        let mut be = [0u8; 4];
        be[1..=group.len()].copy_from_slice(group);
        let bits = u32::from_be_bytes(be);
        let mut digits = *b"====";
        for (i, digit) in digits.iter_mut().enumerate().take(group.len() + 1) {
            *digit = base64_digit((bits >> (18 - 6 * i)).to_le_bytes()[0], url);
        }
        out.put(&digits[..if pad { 4 } else { group.len() + 1 }]);
        wipe(&mut be);
        wipe(&mut digits);
    }
}

/// Overwrites a temporary that held secret-derived bytes.
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    core::hint::black_box(bytes);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::{
        base64_decoded_len, base64_digit, base64_digits, base64_value, decode_base64, decode_hex,
        encode_base64, encode_hex, hex_value, is_hex,
    };
    use crate::diagnose::Out;

    impl Out for Vec<u8> {
        fn put(&mut self, bytes: &[u8]) {
            self.extend_from_slice(bytes);
        }
    }

    const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    #[test]
    fn digit_arithmetic_matches_the_alphabets_for_every_byte() {
        for c in 0..=255u8 {
            let expected = STANDARD
                .iter()
                .position(|&d| d == c)
                .or_else(|| URL.iter().position(|&d| d == c));
            let got = base64_value(c);
            match expected {
                Some(v) => assert_eq!(usize::try_from(got).ok(), Some(v), "byte {c:#04x}"),
                None => assert_eq!(got, -1, "byte {c:#04x}"),
            }
            match (c as char).to_digit(16) {
                Some(v) => assert_eq!(u32::from(hex_value(c)), v, "byte {c:#04x}"),
                None => assert!(hex_value(c) & 0x100 != 0, "byte {c:#04x}"),
            }
        }
        for v in 0..64u8 {
            assert_eq!(base64_digit(v, false), STANDARD[usize::from(v)]);
            assert_eq!(base64_digit(v, true), URL[usize::from(v)]);
        }
    }

    /// A naive reference encoder, table-driven, for the round trips below.
    fn reference_base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for group in bytes.chunks(3) {
            let b = [
                group[0],
                *group.get(1).unwrap_or(&0),
                *group.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=group.len() {
                out.push(alphabet[((n >> (18 - 6 * i)) & 63) as usize]);
            }
            if pad {
                out.extend(core::iter::repeat_n(b'=', 3 - group.len()));
            }
        }
        out
    }

    #[test]
    fn encodes_and_decodes_like_the_reference_at_every_length() {
        let data: Vec<u8> = (0..200u32).map(|i| (i * 151 + 7) as u8).collect();
        for len in 0..data.len() {
            let bytes = &data[..len];
            for (url, pad) in [(false, true), (false, false), (true, true), (true, false)] {
                let mut encoded = Vec::new();
                encode_base64(bytes, url, pad, &mut encoded);
                let alphabet = if url { URL } else { STANDARD };
                assert_eq!(encoded, reference_base64(bytes, alphabet, pad), "len {len}");
                if len == 0 {
                    assert_eq!(base64_digits(&encoded), None);
                    continue;
                }
                let digits = base64_digits(&encoded).expect("valid base64");
                assert_eq!(base64_decoded_len(digits), len);
                let mut decoded = Vec::new();
                decode_base64(digits, &mut decoded);
                assert_eq!(decoded, bytes, "len {len}");
            }
            let mut hex = Vec::new();
            encode_hex(bytes, &mut hex);
            assert_eq!(hex, ::hex::encode(bytes).into_bytes());
            assert_eq!(is_hex(&hex), len > 0);
            let mut decoded = Vec::new();
            decode_hex(&hex, &mut decoded);
            assert_eq!(decoded, bytes);
        }
    }

    #[test]
    fn rejects_what_is_not_base64_or_hex() {
        for text in [
            &b""[..],
            b"A",
            b"=",
            b"==",
            b"AAAAA",
            b"AA=",
            b"AAA==",
            b"AA===",
            b"A=AA",
            b"AA AA",
            b"AA\nA",
            b"{\"a\":1}",
        ] {
            assert_eq!(base64_digits(text), None, "{text:?}");
        }
        for text in [&b""[..], b"a", b"abc", b"0g", b"0x00", b" 00"] {
            assert!(!is_hex(text), "{text:?}");
        }
        assert!(is_hex(b"00aAfF"));
        assert_eq!(base64_digits(b"AA=="), Some(&b"AA"[..]));
        assert_eq!(base64_digits(b"AAA="), Some(&b"AAA"[..]));
        assert_eq!(base64_digits(b"-_+/"), Some(&b"-_+/"[..]));
    }
}
