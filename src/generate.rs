//! [`generate_api_key`]: a new API key from the caller's cryptographic RNG (feature `rand_core`).

use core::fmt;

use rand_core::{CryptoRng, TryCryptoRng};

use crate::api_key::{ApiKey, Redacted, SecretHash, SecretStr, StoredKey};

/// Letters of a key ID: 14 lowercase ASCII letters, like DialNexa's own key IDs (65.8 bits).
const KEY_ID_ALPHABET: &[u8; 26] = b"abcdefghijklmnopqrstuvwxyz";
/// Characters of a secret: 22 of the 62 ASCII letters and digits, 131 bits of entropy.
const SECRET_ALPHABET: &[u8; 62] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const KEY_ID_LEN: usize = 14;
const SECRET_LEN: usize = 22;
const KEY_LEN: usize = KEY_ID_LEN + 1 + SECRET_LEN;
/// Random bytes refused in a row for one character before the RNG is called broken: a working
/// one refuses 256 in a row with a probability below 2^-900 (22 of 256 byte values are refused
/// for a key-ID letter, 8 for a secret character).
const MAX_REFUSED: u32 = 256;

/// A new API key, `keyid:secret`, from [`generate_api_key`]: hand [`expose`](Self::expose) to the
/// client once, and store [`to_stored`](Self::to_stored) (the key ID and the SHA-256 of the
/// secret), never the secret.
///
/// It lives on the stack (no allocation). `Debug` shows the key ID and `****`; with the `zeroize`
/// feature the text is wiped when it is dropped. Not `Clone`: no copy is made implicitly. Moving
/// it (returning it, boxing it) is a copy the compiler may leave behind: keep it where it was
/// made, or box it once, if that matters to you.
pub struct GeneratedApiKey {
    /// `keyid:secret`, ASCII.
    text: [u8; KEY_LEN],
}

/// A new API key drawn from `rng`: a key ID of 14 lowercase letters, like DialNexa's, and a
/// secret of 22 ASCII letters and digits (131 bits of entropy), each character chosen uniformly
/// (rejection sampling, no modulo bias). The key parses with [`ApiKey::parse`] and passes
/// [`check_api_key`](crate::check_api_key) against its own [`to_stored`](GeneratedApiKey::to_stored).
///
/// `rng` must be a cryptographic RNG (`CryptoRng`), such as `rand`'s `ThreadRng`. For an RNG that
/// can fail, such as the operating system's (`getrandom`'s `SysRng`), use
/// [`try_generate_api_key`], which returns the failure instead.
///
/// The key ID has 65.8 bits: two keys share one only around 2^33 keys, but the store should still
/// refuse a duplicate key ID.
///
/// # Panics
///
/// If `rng` panics, or if it is broken: 256 refused bytes in a row for one character (an RNG
/// that only ever gives 255, say), which a working RNG does with a probability below 2^-900.
///
/// ```
/// use dialnexa_verify::{check_api_key, generate_api_key};
///
/// let generated = generate_api_key(&mut rand::rng());
/// let stored = generated.to_stored(); // what the server keeps: the key ID and a hash
/// assert_eq!(generated.key_id().len(), 14);
/// assert!(check_api_key(generated.expose(), &stored));
/// assert_eq!(format!("{generated:?}"), format!(r#"GeneratedApiKey {{ key_id: "{}", secret: SecretStr(****) }}"#, generated.key_id()));
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "rand_core")))]
#[must_use]
pub fn generate_api_key<R: CryptoRng + ?Sized>(rng: &mut R) -> GeneratedApiKey {
    match try_generate_api_key(rng) {
        Ok(key) => key,
        Err(never) => match never {},
    }
}

/// As [`generate_api_key`], from an RNG that can fail: its error is returned, and the partly
/// drawn key and random bytes are wiped (with the `zeroize` feature).
///
/// # Errors
///
/// The first error of `rng`, as it gave it.
///
/// # Panics
///
/// As [`generate_api_key`]: if `rng` panics or is broken.
///
/// ```
/// use dialnexa_verify::try_generate_api_key;
///
/// let generated = try_generate_api_key(&mut rand::rng()).expect("ThreadRng does not fail");
/// assert_eq!(generated.expose().len(), 37);
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "rand_core")))]
pub fn try_generate_api_key<R: TryCryptoRng + ?Sized>(
    rng: &mut R,
) -> Result<GeneratedApiKey, R::Error> {
    // Filled in place, so that an error or a panic of the RNG drops (and wipes) the one copy.
    let mut key = GeneratedApiKey {
        text: [0u8; KEY_LEN],
    };
    let mut pool = Pool {
        bytes: [0u8; 32],
        used: 32,
    };
    let (key_id, rest) = key.text.split_at_mut(KEY_ID_LEN);
    rest[0] = b':';
    pool.fill_from(rng, KEY_ID_ALPHABET, key_id)?;
    pool.fill_from(rng, SECRET_ALPHABET, &mut rest[1..])?;
    Ok(key)
}

/// Random bytes drawn 32 at a time; wiped when dropped (volatile writes with `zeroize`), since
/// each accepted byte gives a character of the secret away.
struct Pool {
    bytes: [u8; 32],
    used: usize,
}

impl Pool {
    /// Fills `out` with characters of `alphabet`, each uniform: a random byte at or above the
    /// largest multiple of the alphabet's size below 256 is drawn again.
    fn fill_from<R: TryCryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        alphabet: &[u8],
        out: &mut [u8],
    ) -> Result<(), R::Error> {
        let size = alphabet.len();
        let limit = 256 - 256 % size;
        for slot in out.iter_mut() {
            let mut refused = 0;
            *slot = loop {
                if self.used == self.bytes.len() {
                    rng.try_fill_bytes(&mut self.bytes)?;
                    self.used = 0;
                }
                let byte = usize::from(self.bytes[self.used]);
                self.used += 1;
                if byte < limit {
                    break alphabet[byte % size];
                }
                refused += 1;
                assert!(
                    refused < MAX_REFUSED,
                    "generate_api_key: the RNG gave 256 unusable bytes in a row; it is broken"
                );
            };
        }
        Ok(())
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        #[cfg(feature = "zeroize")]
        crate::encoding::wipe_on_drop(&mut self.bytes);
        #[cfg(not(feature = "zeroize"))]
        crate::encoding::wipe(&mut self.bytes);
    }
}

impl GeneratedApiKey {
    /// The key as a borrowed [`ApiKey`], for every check it offers.
    #[must_use]
    pub fn as_key(&self) -> ApiKey<'_> {
        let (key_id, rest) = self.text().split_at(KEY_ID_LEN);
        ApiKey::from_parts(key_id, rest.get(1..).unwrap_or_default())
    }

    /// The whole key, `keyid:secret`: what the client sends as `Authorization: Bearer keyid:secret`.
    /// Show it to the client once; never log it.
    #[must_use]
    pub fn expose(&self) -> &str {
        self.text()
    }

    /// The public key ID, the part before the `:`.
    #[must_use]
    pub fn key_id(&self) -> &str {
        self.as_key().key_id()
    }

    /// The secret, behind a wrapper whose `Debug` is redacted.
    #[must_use]
    pub fn secret(&self) -> SecretStr<'_> {
        self.as_key().secret()
    }

    /// The SHA-256 of the secret, the part of the record a server stores.
    #[must_use]
    pub fn secret_hash(&self) -> SecretHash {
        self.as_key().secret_hash()
    }

    /// The record to store: the key ID and the secret's hash.
    #[must_use]
    pub fn to_stored(&self) -> StoredKey<'_> {
        self.as_key().to_stored()
    }

    /// As [`ApiKey::matches`]: whether this key is the one `stored` describes.
    #[must_use]
    pub fn matches(&self, stored: &StoredKey<'_>) -> bool {
        self.as_key().matches(stored)
    }

    /// A form for logs: `keyid:****`.
    #[must_use]
    pub fn redacted(&self) -> Redacted<'_> {
        self.as_key().redacted()
    }

    fn text(&self) -> &str {
        // Only ASCII letters, digits and ':' are ever written.
        core::str::from_utf8(&self.text).unwrap_or_default()
    }
}

impl fmt::Debug for GeneratedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_key().debug_as("GeneratedApiKey", f)
    }
}

#[cfg(feature = "zeroize")]
impl Drop for GeneratedApiKey {
    fn drop(&mut self) {
        crate::encoding::wipe_on_drop(&mut self.text);
    }
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for GeneratedApiKey {}
