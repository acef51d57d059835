//! Hexadecimal encoding without secret-dependent branches or table look-ups.
//!
//! The values encoded here are signatures and secret hashes, and the values decoded are signature
//! headers and stored secret hashes, so the work done per byte must not depend on the byte. The
//! arithmetic follows the well-known branch-free approach (as in `base16ct`): range checks become
//! sign bits of `i16` subtractions. Only the final "was every digit valid" answer branches.

/// A 32-byte value (a signature or a secret hash) as 64 lowercase hex digits, held on the stack.
///
/// Its `Debug` output is redacted; read the digits explicitly with [`as_str`](Self::as_str).
///
/// ```
/// use dialnexa_verify::Verifier;
///
/// let hex = Verifier::new(b"key")?.sign(b"The quick brown fox jumps over the lazy dog").to_hex();
/// assert_eq!(hex.as_str(), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
/// assert_eq!(format!("{hex:?}"), "HexDigest(****)");
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[derive(Clone, Copy)]
pub struct HexDigest([u8; 64]);

impl HexDigest {
    /// The 64 digits as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Every byte written by `encode` is an ASCII hex digit.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl core::fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HexDigest(****)")
    }
}

/// One nibble (0..=15) to its lowercase hex digit.
#[inline(always)]
fn encode_nibble(nibble: u8) -> u8 {
    let n = i16::from(nibble);
    // `(9 - n) >> 8` is all ones exactly when n > 9: then skip from '0'+n to 'a'+n-10.
    let digit = n + 0x30 + (((9 - n) >> 8) & 0x27);
    digit.to_le_bytes()[0]
}

/// One hex digit (either case) to its value, or a value with bit 8 set if it is not a digit.
#[inline(always)]
fn decode_nibble(digit: u8) -> u16 {
    let c = i16::from(digit);
    let mut value: i16 = -1;
    // Each line adds (c - base + 1) when c is in its range, using the sign of both bounds.
    value += ((0x2f - c) & (c - 0x3a)) >> 8 & (c - 47); // '0'..='9'
    value += ((0x40 - c) & (c - 0x47)) >> 8 & (c - 54); // 'A'..='F'
    value += ((0x60 - c) & (c - 0x67)) >> 8 & (c - 86); // 'a'..='f'
    u16::from_le_bytes(value.to_le_bytes())
}

/// Encodes 32 bytes as 64 lowercase hex digits.
#[must_use]
pub fn encode(bytes: &[u8; 32]) -> HexDigest {
    let mut out = [0u8; 64];
    encode_into(bytes, &mut out);
    HexDigest(out)
}

/// Writes the 64 lowercase hex digits of 32 bytes into `out`.
pub fn encode_into(bytes: &[u8; 32], out: &mut [u8; 64]) {
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = encode_nibble(byte >> 4);
        pair[1] = encode_nibble(byte & 0x0f);
    }
}

/// Decodes exactly 64 hex digits (either case) into 32 bytes; `None` for any other input.
pub fn decode(digits: &[u8]) -> Option<[u8; 32]> {
    let digits: &[u8; 64] = digits.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut invalid: u16 = 0;
    for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let high = decode_nibble(pair[0]);
        let low = decode_nibble(pair[1]);
        invalid |= (high | low) >> 8;
        *byte = ((high << 4) | (low & 0x0f)).to_le_bytes()[0];
    }
    (invalid == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{decode, decode_nibble, encode};

    #[test]
    fn every_byte_value_decodes_like_the_reference() {
        for c in 0..=255u8 {
            let expected = (c as char).to_digit(16);
            let got = decode_nibble(c);
            match expected {
                Some(v) => assert_eq!(u32::from(got), v, "byte {c:#04x}"),
                None => assert!(got & 0x100 != 0, "byte {c:#04x} must be rejected"),
            }
        }
    }

    #[test]
    fn round_trips_every_byte() {
        let mut bytes = [0u8; 32];
        for start in (0..=255u8).step_by(32) {
            for (i, b) in bytes.iter_mut().enumerate() {
                *b = start.wrapping_add(i as u8);
            }
            let hex = encode(&bytes);
            assert!(hex
                .as_str()
                .bytes()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
            assert_eq!(decode(hex.as_str().as_bytes()), Some(bytes));
            let mut upper = [0u8; 64];
            upper.copy_from_slice(hex.as_str().as_bytes());
            upper.make_ascii_uppercase();
            assert_eq!(decode(&upper), Some(bytes));
        }
    }

    #[test]
    fn rejects_wrong_lengths_and_non_digits() {
        assert_eq!(decode(&[b'0'; 63]), None);
        assert_eq!(decode(&[b'0'; 65]), None);
        assert_eq!(decode(b""), None);
        for bad in [b'g', b'G', b' ', b'\0', b'/', b':', b'@', b'`', 0xff] {
            let mut digits = [b'a'; 64];
            digits[37] = bad;
            assert_eq!(decode(&digits), None, "byte {bad:#04x}");
        }
    }
}
