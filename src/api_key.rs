//! API keys: `keyid:secret`, sent as `Authorization: Bearer keyid:secret`.
//!
//! Parsing borrows from the input and never allocates. The secret is only reachable through
//! [`SecretStr::expose`]; every `Debug` and display form of a key shows the key ID and `****`.
//! Server-side checks compare SHA-256 digests in constant time, so a server can store
//! [`SecretHash`]es instead of secrets.

use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::{self, HexDigest};
use crate::error::{ApiKeyError, KeyPart};

/// The longest key ID, and the longest secret, that [`ApiKey::parse`] accepts, in bytes.
///
/// ```
/// use dialnexa_verify::{ApiKey, ApiKeyError, KeyPart, MAX_PART_LEN};
///
/// let at_limit = format!("id:{}", "s".repeat(MAX_PART_LEN));
/// assert!(ApiKey::parse(&at_limit).is_ok());
/// let over = format!("id:{}", "s".repeat(MAX_PART_LEN + 1));
/// assert_eq!(ApiKey::parse(&over).unwrap_err(), ApiKeyError::TooLong { part: KeyPart::Secret });
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
        let key = trim(key);
        if key.is_empty() {
            return Err(ApiKeyError::Empty);
        }
        if starts_with_bearer(key) {
            return Err(ApiKeyError::StartsWithBearer);
        }
        let (key_id, secret) = key.split_once(':').ok_or(ApiKeyError::MissingSeparator)?;
        if secret.contains(':') {
            return Err(ApiKeyError::TooManySeparators);
        }
        if key_id.is_empty() {
            return Err(ApiKeyError::EmptyKeyId);
        }
        if secret.is_empty() {
            return Err(ApiKeyError::EmptySecret);
        }
        check_part(key_id, KeyPart::KeyId)?;
        check_part(secret, KeyPart::Secret)?;
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
        let header = trim(header);
        if header.is_empty() {
            return Err(ApiKeyError::MissingHeader);
        }
        let (scheme, token) = header.split_once(' ').unwrap_or((header, ""));
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiKeyError::WrongScheme);
        }
        let token = token.trim_start_matches(' ');
        if token.is_empty() {
            return Err(ApiKeyError::MissingToken);
        }
        Self::parse(token)
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

    /// The SHA-256 of the secret, to store instead of the secret.
    #[must_use]
    pub fn secret_hash(&self) -> SecretHash {
        SecretHash::of(self.secret.0.as_bytes())
    }

    /// Checks the secret against a stored [`SecretHash`] in constant time.
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
        self.secret_hash().0.ct_eq(&stored.0).into()
    }

    /// Checks the secret against a stored plaintext secret in constant time. Both sides are
    /// hashed first, so the time taken does not reveal the stored secret's length either.
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
        f.debug_struct("ApiKey")
            .field("key_id", &self.key_id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// Checks a presented API key (`keyid:secret`) against the stored hash of its secret (64 hex
/// digits, from [`SecretHash::to_hex`]) in constant time. Any malformed input gives `false`.
///
/// Look the stored hash up by [`ApiKey::key_id`] first; this only checks the secret.
///
/// ```
/// use dialnexa_verify::{check_api_key, SecretHash};
///
/// let stored = SecretHash::of(b"123456a1b1234b").to_hex();
/// assert!(check_api_key("abcdefghijklmn:123456a1b1234b", stored.as_str()));
/// assert!(!check_api_key("abcdefghijklmn:wrong", stored.as_str()));
/// assert!(!check_api_key("not a key", stored.as_str()));
/// assert!(!check_api_key("abcdefghijklmn:123456a1b1234b", "not a hash"));
/// ```
#[must_use]
pub fn check_api_key(presented: &str, stored_hash_hex: &str) -> bool {
    match (
        ApiKey::parse(presented),
        SecretHash::from_hex(stored_hash_hex),
    ) {
        (Ok(key), Some(stored)) => key.matches_hash(&stored),
        _ => false,
    }
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
/// not a password hash. `Debug` is redacted and equality is only constant-time.
///
/// ```
/// use dialnexa_verify::SecretHash;
///
/// let hash = SecretHash::of(b"abc");
/// assert_eq!(
///     hash.to_hex().as_str(),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// assert!(SecretHash::from_hex(hash.to_hex().as_str()).is_some());
/// ```
#[derive(Clone, Copy)]
pub struct SecretHash([u8; 32]);

impl SecretHash {
    /// Hashes a secret.
    #[must_use]
    pub fn of(secret: &[u8]) -> Self {
        Self(Sha256::digest(secret).into())
    }

    /// Reads a stored hash: 64 hex digits in either case, surrounding ASCII whitespace trimmed.
    /// `None` for anything else.
    #[must_use]
    pub fn from_hex(hex: &str) -> Option<Self> {
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

impl ConstantTimeEq for SecretHash {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash(****)")
    }
}

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
/// Shows the key ID only when the part before the first `:` is a well-formed key ID; otherwise
/// shows `****`. It never fails and never shows any character after the `:`.
///
/// ```
/// use dialnexa_verify::redact;
///
/// assert_eq!(redact("  Bearer abcdefghijklmn:123456a1b1234b\n").to_string(), "abcdefghijklmn:****");
/// assert_eq!(redact("not a key at all").to_string(), "****");
/// ```
#[must_use]
pub fn redact(key: &str) -> Redacted<'_> {
    let key = trim(key);
    let key = match key.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => trim(rest),
        _ => key,
    };
    let key_id = key
        .split_once(':')
        .map(|(key_id, _)| key_id)
        .filter(|key_id| !key_id.is_empty() && check_part(key_id, KeyPart::KeyId).is_ok());
    Redacted { key_id }
}

fn trim(value: &str) -> &str {
    value.trim_ascii()
}

fn starts_with_bearer(key: &str) -> bool {
    match key.as_bytes().split_at_checked(7) {
        Some((prefix, _)) => {
            prefix[..6].eq_ignore_ascii_case(b"bearer") && matches!(prefix[6], b' ' | b'\t')
        }
        None => false,
    }
}

// Not inlined: parsing checks two parts and redaction one, and API keys are not a hot path.
#[inline(never)]
fn check_part(part: &str, which: KeyPart) -> Result<(), ApiKeyError> {
    if part.len() > MAX_PART_LEN {
        return Err(ApiKeyError::TooLong { part: which });
    }
    match part.bytes().position(|b| !is_key_byte(b)) {
        Some(position) => Err(ApiKeyError::InvalidCharacter {
            part: which,
            position,
        }),
        None => Ok(()),
    }
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
}
