//! API keys: `keyid:secret`, sent as `Authorization: Bearer keyid:secret`.
//!
//! Parsing borrows from the input and never allocates. The secret is only reachable through
//! [`SecretStr::expose`]; every `Debug` and display form of a key shows the key ID and `****`.
//! Server-side checks compare the key ID and the SHA-256 of the secret in constant time against a
//! [`StoredKey`], so a server stores hashes instead of secrets.

use core::array::TryFromSliceError;
use core::fmt;
use core::str::FromStr;

use sha2::{Digest, Sha256};
use subtle::{Choice, ConstantTimeEq};

use crate::encoding::{self, HexDigest};
use crate::error::{ApiKeyError, HexError, KeyPart};

/// The longest key ID, and the longest secret, that [`ApiKey::parse`] accepts, in bytes.
///
/// ```
/// use dialnexa_verify::{ApiKey, KeyPart, MAX_PART_LEN};
///
/// let at_limit = format!("id:{}", "s".repeat(MAX_PART_LEN));
/// assert!(ApiKey::parse(&at_limit).is_ok());
/// let over = format!("id:{}", "s".repeat(MAX_PART_LEN + 1));
/// let error = ApiKey::parse(&over).unwrap_err();
/// assert_eq!((error.code(), error.part()), ("too_long", Some(KeyPart::Secret)));
/// ```
pub const MAX_PART_LEN: usize = 256;

/// The exact JSON body DialNexa answers a request without a valid API key with, status 401.
///
/// ```
/// assert_eq!(
///     dialnexa_verify::UNAUTHORIZED_BODY,
///     r#"{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}"#
/// );
/// ```
pub const UNAUTHORIZED_BODY: &str =
    r#"{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}"#;

/// A parsed DialNexa API key, `keyid:secret`, borrowed from the string it was parsed from.
///
/// Both parts are 1 to [`MAX_PART_LEN`] bytes of ASCII letters, digits and `-` `.` `_` `~` `+`
/// `/` `=` (the characters of an RFC 6750 bearer token). Surrounding ASCII whitespace, such as
/// the newline an env file leaves, is trimmed.
///
/// The parser checks the *format*, not the strength, of a secret: DialNexa's own secrets are
/// 14 characters (`123456a1b1234b` in its documentation), and a one-character secret parses
/// too. If you issue keys yourself, make secrets at least 14 random characters from this set
/// (about 83 bits); more is better, since [`SecretHash`] is a fast hash.
///
/// `ApiKey` has no `PartialEq` and no `Display`; its `Debug` shows only the key ID.
///
/// ```
/// use dialnexa_verify::ApiKey;
///
/// let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b\n")?;
/// assert_eq!(key.key_id(), "abcdefghijklmn");
/// assert_eq!(key.secret().expose(), "123456a1b1234b");
/// assert_eq!(key.redacted().to_string(), "abcdefghijklmn:****");
/// assert_eq!(format!("{key:?}"), r#"ApiKey { key_id: "abcdefghijklmn", secret: SecretStr(****) }"#);
/// # Ok::<(), dialnexa_verify::ApiKeyError>(())
/// ```
#[derive(Clone, Copy)]
pub struct ApiKey<'a> {
    key_id: &'a str,
    secret: SecretStr<'a>,
}

impl<'a> ApiKey<'a> {
    /// Parses `keyid:secret`.
    ///
    /// # Errors
    /// One [`ApiKeyError`] per problem, checked in this order: [`Empty`](ApiKeyError::Empty),
    /// [`StartsWithBearer`](ApiKeyError::StartsWithBearer),
    /// [`MissingSeparator`](ApiKeyError::MissingSeparator),
    /// [`TooManySeparators`](ApiKeyError::TooManySeparators),
    /// [`EmptyKeyId`](ApiKeyError::EmptyKeyId), [`EmptySecret`](ApiKeyError::EmptySecret),
    /// [`TooLong`](ApiKeyError::TooLong) and
    /// [`InvalidCharacter`](ApiKeyError::InvalidCharacter) (key ID first).
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, ApiKeyError};
    ///
    /// assert!(ApiKey::parse("abcgvvzzlrbnqy:s3cret").is_ok());
    /// assert_eq!(ApiKey::parse("Bearer abc:def").unwrap_err(), ApiKeyError::StartsWithBearer);
    /// assert_eq!(ApiKey::parse("abc:").unwrap_err(), ApiKeyError::EmptySecret);
    /// ```
    pub fn parse(key: &'a str) -> Result<Self, ApiKeyError> {
        Self::parse_bytes(key.as_bytes())
    }

    /// [`parse`](Self::parse) over bytes: every accepted byte is ASCII, so a key that is not
    /// UTF-8 fails with `InvalidCharacter` at its first non-ASCII byte.
    fn parse_bytes(key: &'a [u8]) -> Result<Self, ApiKeyError> {
        let key = key.trim_ascii();
        if key.is_empty() {
            return Err(ApiKeyError::Empty);
        }
        if starts_with_bearer(key) {
            return Err(ApiKeyError::StartsWithBearer);
        }
        let (key_id, secret) = split_once(key, b':').ok_or(ApiKeyError::MissingSeparator)?;
        if secret.contains(&b':') {
            return Err(ApiKeyError::TooManySeparators);
        }
        if key_id.is_empty() {
            return Err(ApiKeyError::EmptyKeyId);
        }
        if secret.is_empty() {
            return Err(ApiKeyError::EmptySecret);
        }
        let key_id = check_part(key_id, KeyPart::KeyId)?;
        let secret = check_part(secret, KeyPart::Secret)?;
        Ok(Self {
            key_id,
            secret: SecretStr(secret),
        })
    }

    /// Parses an `Authorization` header value: the `Bearer` scheme (in any case), one or more
    /// spaces, then the key as in [`ApiKey::parse`].
    ///
    /// # Errors
    /// [`MissingHeader`](ApiKeyError::MissingHeader) for an empty value,
    /// [`WrongScheme`](ApiKeyError::WrongScheme) for any other scheme,
    /// [`MissingToken`](ApiKeyError::MissingToken) for `Bearer` alone, then the errors of
    /// [`ApiKey::parse`].
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, ApiKeyError};
    ///
    /// let key = ApiKey::from_authorization("bearer  abcdefghijklmn:123456a1b1234b")?;
    /// assert_eq!(key.key_id(), "abcdefghijklmn");
    /// assert_eq!(ApiKey::from_authorization("Basic dXNlcjpwYXNz").unwrap_err(), ApiKeyError::WrongScheme);
    /// assert_eq!(ApiKey::from_authorization("Bearer ").unwrap_err(), ApiKeyError::MissingToken);
    /// # Ok::<(), ApiKeyError>(())
    /// ```
    pub fn from_authorization(header: &'a str) -> Result<Self, ApiKeyError> {
        Self::from_authorization_bytes(header.as_bytes())
    }

    fn from_authorization_bytes(header: &'a [u8]) -> Result<Self, ApiKeyError> {
        let header = header.trim_ascii();
        if header.is_empty() {
            return Err(ApiKeyError::MissingHeader);
        }
        let (scheme, token) = split_once(header, b' ').unwrap_or((header, b""));
        if !scheme.eq_ignore_ascii_case(b"bearer") {
            return Err(ApiKeyError::WrongScheme);
        }
        let spaces = token.iter().take_while(|&&b| b == b' ').count();
        let token = &token[spaces..];
        if token.is_empty() {
            return Err(ApiKeyError::MissingToken);
        }
        Self::parse_bytes(token)
    }

    /// Reads the key from a request's `Authorization` header (feature `http`). The value is
    /// checked byte by byte, so a header that is not valid UTF-8 is an
    /// [`InvalidCharacter`](ApiKeyError::InvalidCharacter) like any other bad byte.
    ///
    /// # Errors
    /// [`MissingHeader`](ApiKeyError::MissingHeader) when there is none,
    /// [`DuplicateHeader`](ApiKeyError::DuplicateHeader) when there are several (`HeaderMap::get`
    /// would silently take the first), then the errors of [`ApiKey::from_authorization`].
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, ApiKeyError};
    /// use http::{header::AUTHORIZATION, HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// assert_eq!(ApiKey::from_headers(&headers).unwrap_err(), ApiKeyError::MissingHeader);
    /// headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abcdefghijklmn:123456a1b1234b"));
    /// assert_eq!(ApiKey::from_headers(&headers)?.key_id(), "abcdefghijklmn");
    /// headers.append(AUTHORIZATION, HeaderValue::from_static("Bearer other:key"));
    /// assert_eq!(ApiKey::from_headers(&headers).unwrap_err(), ApiKeyError::DuplicateHeader);
    /// # Ok::<(), ApiKeyError>(())
    /// ```
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn from_headers(headers: &'a http::HeaderMap) -> Result<Self, ApiKeyError> {
        let mut values = headers.get_all(http::header::AUTHORIZATION).iter();
        let header = values.next().ok_or(ApiKeyError::MissingHeader)?;
        if values.next().is_some() {
            return Err(ApiKeyError::DuplicateHeader);
        }
        Self::from_authorization_bytes(header.as_bytes())
    }

    /// A key from parts that [`parse`](Self::parse) has already accepted.
    #[cfg(any(feature = "alloc", feature = "rand_core"))]
    pub(crate) fn from_parts(key_id: &'a str, secret: &'a str) -> Self {
        Self {
            key_id,
            secret: SecretStr(secret),
        }
    }

    /// The public key ID, the part before the `:`.
    #[must_use]
    pub fn key_id(&self) -> &'a str {
        self.key_id
    }

    /// The secret, behind a wrapper whose `Debug` is redacted.
    #[must_use]
    pub fn secret(&self) -> SecretStr<'a> {
        self.secret
    }

    /// A form for logs: `keyid:****`.
    #[must_use]
    pub fn redacted(&self) -> Redacted<'a> {
        Redacted {
            key_id: Some(self.key_id),
        }
    }

    /// The SHA-256 of the secret.
    #[must_use]
    pub fn secret_hash(&self) -> SecretHash {
        SecretHash::of(self.secret.0.as_bytes())
    }

    /// The record to store when the key is created: the key ID and the SHA-256 of the secret,
    /// never the secret.
    ///
    /// ```
    /// use dialnexa_verify::ApiKey;
    ///
    /// let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
    /// let stored = key.to_stored();
    /// assert_eq!(stored.key_id(), "abcdefghijklmn");
    /// assert!(key.matches(&stored));
    /// # Ok::<(), dialnexa_verify::ApiKeyError>(())
    /// ```
    #[must_use]
    pub fn to_stored(&self) -> StoredKey<'a> {
        StoredKey::new(self.key_id, self.secret_hash())
    }

    /// Checks the key against a stored record in constant time: the key IDs must be equal *and*
    /// the secret must have the stored hash. Both comparisons always run.
    ///
    /// Binding the key ID means that looking up the wrong record, or a record stored without
    /// its ID, cannot accept another key's secret.
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, SecretHash, StoredKey};
    ///
    /// let stored = StoredKey::new("abcdefghijklmn", SecretHash::of(b"123456a1b1234b"));
    /// assert!(ApiKey::parse("abcdefghijklmn:123456a1b1234b")?.matches(&stored));
    /// assert!(!ApiKey::parse("abcdefghijklmn:123456a1b1234c")?.matches(&stored));
    /// assert!(!ApiKey::parse("someone-else:123456a1b1234b")?.matches(&stored));
    /// # Ok::<(), dialnexa_verify::ApiKeyError>(())
    /// ```
    #[must_use]
    pub fn matches(&self, stored: &StoredKey<'_>) -> bool {
        let same_id = self.key_id.as_bytes().ct_eq(stored.key_id.as_bytes());
        let same_secret = self.secret_hash().ct_eq(&stored.secret_hash);
        (same_id & same_secret).into()
    }

    /// Checks only the secret against a stored [`SecretHash`], in constant time. The key ID plays
    /// no part: prefer [`ApiKey::matches`] with a [`StoredKey`].
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, SecretHash};
    ///
    /// let stored = SecretHash::of(b"123456a1b1234b");
    /// assert!(ApiKey::parse("abcdefghijklmn:123456a1b1234b")?.matches_hash(&stored));
    /// assert!(!ApiKey::parse("abcdefghijklmn:123456a1b1234c")?.matches_hash(&stored));
    /// # Ok::<(), dialnexa_verify::ApiKeyError>(())
    /// ```
    #[must_use]
    pub fn matches_hash(&self, stored: &SecretHash) -> bool {
        self.secret_hash().ct_eq(stored).into()
    }

    /// Checks only the secret against a stored plaintext secret. Both sides are hashed with
    /// SHA-256 and the digests compared in constant time, so the time taken does not depend on
    /// the *content* of either secret, nor on where they differ.
    ///
    /// It does depend on the stored secret's *length*: hashing a longer secret processes more
    /// SHA-256 blocks (one more at 56 bytes, then every 64), plus a little for the bytes of the
    /// last block. Instructions for 100 calls with a 14-byte presented secret (callgrind,
    /// x86-64): 743,500 for a 14- or a 55-byte stored secret, 1,082,100 for 56 bytes, 2,078,200
    /// for 256. Storing secrets in plaintext is discouraged anyway: store a [`StoredKey`] and use
    /// [`ApiKey::matches`], whose time depends on neither secret.
    ///
    /// ```
    /// use dialnexa_verify::ApiKey;
    ///
    /// let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
    /// assert!(key.matches_secret(b"123456a1b1234b"));
    /// assert!(!key.matches_secret(b"123456a1b1234"));
    /// # Ok::<(), dialnexa_verify::ApiKeyError>(())
    /// ```
    #[must_use]
    pub fn matches_secret(&self, stored_secret: &[u8]) -> bool {
        self.matches_hash(&SecretHash::of(stored_secret))
    }
}

impl fmt::Debug for ApiKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug_as("ApiKey", f)
    }
}

impl ApiKey<'_> {
    /// The `Debug` of every type that holds an API key (`ApiKey`, `OwnedApiKey`,
    /// `GeneratedApiKey`): `name { key_id: "...", secret: SecretStr(****) }`.
    pub(crate) fn debug_as(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("key_id", &self.key_id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// What a server stores for an API key it accepts: the key ID and the SHA-256 of the secret.
///
/// The key ID is bound into the check ([`ApiKey::matches`], [`check_api_key`]), so a record only
/// ever accepts its own key. `Debug` shows the key ID and a redacted hash.
///
/// ```
/// use dialnexa_verify::{check_api_key, ApiKey, StoredKey};
///
/// // At key creation: store these two strings (in a database, a config file...).
/// let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
/// let (key_id, hash_hex) = (key.key_id(), key.secret_hash().to_hex());
///
/// // On each request: look the record up by the presented key ID, then check.
/// let stored = StoredKey::from_hex(key_id, hash_hex.as_str())?;
/// assert!(check_api_key("abcdefghijklmn:123456a1b1234b", &stored));
/// assert!(!check_api_key("someone-else:123456a1b1234b", &stored));
/// assert_eq!(format!("{stored:?}"), r#"StoredKey { key_id: "abcdefghijklmn", secret_hash: SecretHash(****) }"#);
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
///
/// The arguments of [`check_api_key`] cannot be swapped by mistake:
///
/// ```compile_fail,E0308
/// # use dialnexa_verify::{check_api_key, SecretHash, StoredKey};
/// let stored = StoredKey::new("abcdefghijklmn", SecretHash::of(b"123456a1b1234b"));
/// check_api_key(&stored, "abcdefghijklmn:123456a1b1234b"); // error: mismatched types
/// ```
#[derive(Clone)]
pub struct StoredKey<'a> {
    key_id: &'a str,
    secret_hash: SecretHash,
}

impl<'a> StoredKey<'a> {
    /// A stored record from its key ID and the hash of its secret.
    #[must_use]
    pub fn new(key_id: &'a str, secret_hash: SecretHash) -> Self {
        Self {
            key_id,
            secret_hash,
        }
    }

    /// A stored record from its key ID and the hash of its secret as 64 hex digits (as
    /// [`SecretHash::from_hex`] reads them).
    ///
    /// # Errors
    /// A [`HexError`] when `secret_hash_hex` is not 64 hex digits.
    pub fn from_hex(key_id: &'a str, secret_hash_hex: &str) -> Result<Self, HexError> {
        Ok(Self::new(key_id, SecretHash::from_hex(secret_hash_hex)?))
    }

    /// The key ID this record belongs to.
    #[must_use]
    pub fn key_id(&self) -> &'a str {
        self.key_id
    }

    /// The hash of the record's secret.
    #[must_use]
    pub fn secret_hash(&self) -> &SecretHash {
        &self.secret_hash
    }
}

impl fmt::Debug for StoredKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredKey")
            .field("key_id", &self.key_id)
            .field("secret_hash", &self.secret_hash)
            .finish()
    }
}

/// Checks a presented API key (`keyid:secret`) against the stored record of the key it claims
/// to be, in constant time (see [`ApiKey::matches`]). Any malformed key gives `false`.
///
/// ```
/// use dialnexa_verify::{check_api_key, ApiKey};
///
/// let stored = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?.to_stored();
/// assert!(check_api_key("abcdefghijklmn:123456a1b1234b", &stored));
/// assert!(!check_api_key("abcdefghijklmn:wrong", &stored));
/// assert!(!check_api_key("another-key-id:123456a1b1234b", &stored));
/// assert!(!check_api_key("not a key", &stored));
/// # Ok::<(), dialnexa_verify::ApiKeyError>(())
/// ```
#[must_use]
pub fn check_api_key(presented: &str, stored: &StoredKey<'_>) -> bool {
    ApiKey::parse(presented).is_ok_and(|key| key.matches(stored))
}

/// An API-key secret. `Debug` prints `SecretStr(****)`; there is no `Display` or `PartialEq`.
///
/// ```
/// let key = dialnexa_verify::ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
/// assert_eq!(format!("{:?}", key.secret()), "SecretStr(****)");
/// assert_eq!(key.secret().expose(), "123456a1b1234b");
/// # Ok::<(), dialnexa_verify::ApiKeyError>(())
/// ```
#[derive(Clone, Copy)]
pub struct SecretStr<'a>(&'a str);

impl<'a> SecretStr<'a> {
    /// The secret itself. Named so that every use stands out in review.
    #[must_use]
    pub fn expose(&self) -> &'a str {
        self.0
    }
}

impl fmt::Debug for SecretStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretStr(****)")
    }
}

/// The SHA-256 of an API-key secret, for storage in place of the secret.
///
/// DialNexa secrets are random, so a fast hash is enough to make a leaked table useless; this is
/// not a password hash. `Debug` is redacted; equality (`==`, and [`ConstantTimeEq`]) compares in
/// constant time. It is `Clone` but not `Copy`, and with the `zeroize` feature it is wiped when
/// dropped.
///
/// ```
/// use dialnexa_verify::SecretHash;
///
/// let hash = SecretHash::of(b"abc");
/// assert_eq!(
///     hash.to_hex().as_str(),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert_eq!(SecretHash::from_hex(hash.to_hex().as_str()), Ok(hash.clone()));
/// assert_eq!("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD".parse(), Ok(hash.clone()));
/// assert_eq!(SecretHash::from(*hash.as_bytes()), hash);
/// assert_eq!(SecretHash::try_from(hash.as_ref()).ok(), Some(hash.clone()));
/// assert_eq!(format!("{hash:?}"), "SecretHash(****)");
/// ```
#[derive(Clone)]
pub struct SecretHash([u8; 32]);

impl SecretHash {
    /// Hashes a secret (any bytes; it does not check the API-key format: for a secret you are
    /// about to issue, [`ApiKey::parse`] the whole key first and use [`ApiKey::to_stored`]).
    #[must_use]
    pub fn of(secret: &[u8]) -> Self {
        Self(Sha256::digest(secret).into())
    }

    /// Reads a stored hash: 64 hex digits in either case, surrounding ASCII whitespace trimmed.
    ///
    /// # Errors
    /// [`HexError::WrongLength`] or [`HexError::InvalidDigit`], saying which.
    ///
    /// ```
    /// use dialnexa_verify::{HexError, SecretHash};
    ///
    /// let hex = SecretHash::of(b"123456a1b1234b").to_hex();
    /// assert!(SecretHash::from_hex(&format!(" {}\n", hex.as_str())).is_ok());
    /// assert_eq!(SecretHash::from_hex(&hex.as_str()[1..]), Err(HexError::WrongLength));
    /// ```
    pub fn from_hex(hex: &str) -> Result<Self, HexError> {
        encoding::decode(hex.as_bytes().trim_ascii()).map(Self)
    }

    /// The hash as 64 lowercase hex digits, for storage.
    #[must_use]
    pub fn to_hex(&self) -> HexDigest {
        encoding::encode(&self.0)
    }

    /// The raw 32 bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// The raw 32-byte digest.
impl From<[u8; 32]> for SecretHash {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

/// The raw digest from a slice of exactly 32 bytes (for hex, use [`SecretHash::from_hex`]).
impl TryFrom<&[u8]> for SecretHash {
    type Error = TryFromSliceError;

    fn try_from(bytes: &[u8]) -> Result<Self, TryFromSliceError> {
        <[u8; 32]>::try_from(bytes).map(Self)
    }
}

/// 64 hex digits, as [`SecretHash::from_hex`].
impl FromStr for SecretHash {
    type Err = HexError;

    fn from_str(hex: &str) -> Result<Self, HexError> {
        Self::from_hex(hex)
    }
}

/// The raw 32 bytes.
impl AsRef<[u8]> for SecretHash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl ConstantTimeEq for SecretHash {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

/// Constant time, through [`ConstantTimeEq`].
impl PartialEq for SecretHash {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for SecretHash {}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash(****)")
    }
}

#[cfg(feature = "zeroize")]
impl Drop for SecretHash {
    fn drop(&mut self) {
        encoding::wipe_on_drop(&mut self.0);
    }
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for SecretHash {}

/// The log-safe form of an API key: `keyid:****`, or `****` when no key ID can be shown.
///
/// ```
/// use dialnexa_verify::redact;
///
/// assert_eq!(redact("abcdefghijklmn:123456a1b1234b").to_string(), "abcdefghijklmn:****");
/// assert_eq!(redact("Bearer abcdefghijklmn:123456a1b1234b").to_string(), "abcdefghijklmn:****");
/// assert_eq!(redact("no-colon-could-be-all-secret").to_string(), "****");
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Redacted<'a> {
    key_id: Option<&'a str>,
}

impl<'a> Redacted<'a> {
    /// The key ID that the redacted form shows, if any.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::redact("abc:secret").key_id(), Some("abc"));
    /// assert_eq!(dialnexa_verify::redact("secret").key_id(), None);
    /// ```
    #[must_use]
    pub fn key_id(&self) -> Option<&'a str> {
        self.key_id
    }
}

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.key_id {
            Some(key_id) => write!(f, "{key_id}:****"),
            None => f.write_str("****"),
        }
    }
}

/// Redacts any string that may hold an API key or an `Authorization` header value, for logs.
///
/// Shows the key ID only when the part before the first `:` is a well-formed key ID (after a
/// `Bearer` scheme, if there is one); otherwise shows `****`. It never fails and never shows any
/// character after the `:`.
///
/// ```
/// use dialnexa_verify::redact;
///
/// assert_eq!(redact("  Bearer abcdefghijklmn:123456a1b1234b\n").to_string(), "abcdefghijklmn:****");
/// assert_eq!(redact("Basic abcdefghijklmn:123456a1b1234b").to_string(), "****");
/// assert_eq!(redact("not a key at all").to_string(), "****");
/// ```
#[must_use]
pub fn redact(key: &str) -> Redacted<'_> {
    let key = key.trim_ascii();
    let key = match key.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim_ascii(),
        _ => key,
    };
    let key_id = key
        .split_once(':')
        .map(|(key_id, _)| key_id)
        .filter(|key_id| {
            !key_id.is_empty() && check_part(key_id.as_bytes(), KeyPart::KeyId).is_ok()
        });
    Redacted { key_id }
}

fn split_once(bytes: &[u8], separator: u8) -> Option<(&[u8], &[u8])> {
    let at = bytes.iter().position(|&b| b == separator)?;
    Some((&bytes[..at], &bytes[at + 1..]))
}

fn starts_with_bearer(key: &[u8]) -> bool {
    match key.split_at_checked(7) {
        Some((prefix, _)) => {
            prefix[..6].eq_ignore_ascii_case(b"bearer") && matches!(prefix[6], b' ' | b'\t')
        }
        None => false,
    }
}

/// Checks one part of a key and returns it as text (every accepted byte is ASCII).
// Not inlined: parsing checks two parts and redaction one, and API keys are not a hot path.
#[inline(never)]
fn check_part(part: &[u8], which: KeyPart) -> Result<&str, ApiKeyError> {
    if part.len() > MAX_PART_LEN {
        return Err(ApiKeyError::too_long(which));
    }
    if let Some(position) = part.iter().position(|&b| !is_key_byte(b)) {
        return Err(ApiKeyError::invalid_character(which, position));
    }
    core::str::from_utf8(part).map_err(|e| ApiKeyError::invalid_character(which, e.valid_up_to()))
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
}
