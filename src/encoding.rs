//! Hexadecimal encoding without secret-dependent branches or table look-ups, from RustCrypto's
//! `base16ct`, and [`HexDigest`], the 64 digits of a signature or a secret hash.
//!
//! The values encoded here are signatures and secret hashes, and the values decoded are signature
//! headers and stored secret hashes, so the work done per byte must not depend on the byte.
//! `base16ct` turns range checks into sign bits of `i16` subtractions; only the final "was every
//! digit valid" answer branches. The crate docs give the measurements behind using it rather than
//! our own codec.

use core::fmt;
use core::str::FromStr;

use subtle::{Choice, ConstantTimeEq};

use crate::error::HexError;

/// A 32-byte value (a signature or a secret hash) as 64 lowercase hex digits, held on the stack.
///
/// Its `Debug` output is redacted and it has no `Display`: read the digits explicitly with
/// [`as_str`](Self::as_str) (or `as_ref()`). Equality (`==`) compares in constant time. With
/// the `zeroize` feature the digits are wiped when it is dropped; it is `Clone` but not `Copy`,
/// so it is never duplicated silently.
///
/// ```
/// use dialnexa_verify::{HexDigest, Verifier};
///
/// let hex = Verifier::new(b"key")?.sign(b"The quick brown fox jumps over the lazy dog").to_hex();
/// assert_eq!(hex.as_str(), "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
/// assert_eq!(format!("{hex:?}"), "HexDigest(****)");
///
/// // Parsing accepts either case and keeps lowercase digits.
/// let parsed: HexDigest = "F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8".parse()?;
/// assert_eq!(parsed, hex);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct HexDigest([u8; 64]);

impl HexDigest {
    /// The 64 digits as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Every byte written by `encode` is an ASCII hex digit.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// The hex digits of 32 bytes.
///
/// ```
/// let hex = dialnexa_verify::HexDigest::from([0xab; 32]);
/// assert_eq!(hex.as_str(), "ab".repeat(32));
/// ```
impl From<[u8; 32]> for HexDigest {
    fn from(bytes: [u8; 32]) -> Self {
        encode(&bytes)
    }
}

/// 64 hex digits in either case (no prefix, no whitespace), stored as lowercase.
impl FromStr for HexDigest {
    type Err = HexError;

    fn from_str(digits: &str) -> Result<Self, HexError> {
        let mut bytes = decode(digits.as_bytes())?;
        let hex = encode(&bytes);
        wipe(&mut bytes);
        Ok(hex)
    }
}

impl AsRef<str> for HexDigest {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// The digits as ASCII bytes, so that a `HexDigest` can be passed where a header value is
/// expected, as in `verifier.verify(body, signature.to_hex())`.
impl AsRef<[u8]> for HexDigest {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl ConstantTimeEq for HexDigest {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

/// Constant time, through [`ConstantTimeEq`].
impl PartialEq for HexDigest {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for HexDigest {}

impl fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HexDigest(****)")
    }
}

#[cfg(feature = "zeroize")]
impl Drop for HexDigest {
    fn drop(&mut self) {
        wipe_on_drop(&mut self.0);
    }
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for HexDigest {}

/// Encodes 32 bytes as 64 lowercase hex digits.
#[must_use]
pub fn encode(bytes: &[u8; 32]) -> HexDigest {
    let mut out = [0u8; 64];
    // Cannot fail: 64 bytes is exactly the room 32 bytes take.
    let _ = base16ct::lower::encode(bytes, &mut out);
    HexDigest(out)
}

/// Decodes exactly 64 hex digits (either case) into 32 bytes.
pub fn decode(digits: &[u8]) -> Result<[u8; 32], HexError> {
    if digits.len() != 64 {
        return Err(HexError::WrongLength);
    }
    let mut out = [0u8; 32];
    match base16ct::mixed::decode(digits, &mut out) {
        Ok(_) => Ok(out),
        Err(_) => {
            wipe(&mut out);
            Err(HexError::InvalidDigit)
        }
    }
}

/// Wipes a value that is being dropped, with `zeroize`'s volatile writes. One out-of-line copy
/// serves every type: inlined at each drop site, the unrolled writes grew the npm package's
/// WebAssembly module by about 1.5 KB.
#[cfg(feature = "zeroize")]
#[inline(never)]
pub(crate) fn wipe_on_drop(bytes: &mut [u8]) {
    zeroize::Zeroize::zeroize(bytes);
}

/// Overwrites secret-derived bytes before their memory is reused.
pub(crate) fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    core::hint::black_box(bytes);
}

#[cfg(test)]
mod tests {
    use super::{decode, encode, HexDigest};
    use crate::error::HexError;

    #[test]
    fn every_byte_value_decodes_like_the_reference() {
        for c in 0..=255u8 {
            let mut digits = [b'0'; 64];
            for at in [0, 1, 62, 63] {
                digits[at] = c;
                let got = decode(&digits);
                match (c as char).to_digit(16) {
                    Some(v) => assert_eq!(
                        got.map(|b| b[at / 2]),
                        Ok(if at % 2 == 0 { v as u8 * 16 } else { v as u8 })
                    ),
                    None => assert_eq!(got, Err(HexError::InvalidDigit), "byte {c:#04x} at {at}"),
                }
                digits[at] = b'0';
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
            assert_eq!(decode(hex.as_str().as_bytes()), Ok(bytes));
            let upper = hex.as_str().to_ascii_uppercase();
            assert_eq!(decode(upper.as_bytes()), Ok(bytes));
            assert!(upper.parse::<HexDigest>().is_ok_and(|parsed| parsed == hex));
        }
    }

    #[test]
    fn rejects_wrong_lengths_and_non_digits() {
        assert_eq!(decode(&[b'0'; 63]), Err(HexError::WrongLength));
        assert_eq!(decode(&[b'0'; 65]), Err(HexError::WrongLength));
        assert_eq!(decode(b""), Err(HexError::WrongLength));
        for bad in [b'g', b'G', b' ', b'\0', b'/', b':', b'@', b'`', 0xff] {
            let mut digits = [b'a'; 64];
            digits[37] = bad;
            assert_eq!(
                decode(&digits),
                Err(HexError::InvalidDigit),
                "byte {bad:#04x}"
            );
            // Both digits of one byte bad at once.
            digits[36] = bad;
            assert_eq!(
                decode(&digits),
                Err(HexError::InvalidDigit),
                "pair {bad:#04x}"
            );
        }
    }

    #[test]
    fn every_view_shows_the_same_digits() {
        let hex = HexDigest::from([0x5a; 32]);
        let digits = "5a".repeat(32);
        assert_eq!(hex.as_str(), digits);
        assert_eq!(AsRef::<str>::as_ref(&hex), digits);
        assert_eq!(AsRef::<[u8]>::as_ref(&hex), digits.as_bytes());
    }

    #[test]
    fn equality_compares_every_digit() {
        let a = encode(&[7; 32]);
        for at in 0..32 {
            let mut bytes = [7; 32];
            bytes[at] ^= 1;
            assert_ne!(encode(&bytes), a, "byte {at}");
        }
        assert_eq!(a.clone(), a);
    }
}
