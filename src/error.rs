//! Error types. Every variant has a fixed message and carries no input bytes: an error can be logged
//! or returned to a client without leaking a secret, a signature or any part of an API key.
//!
//! Every error has a `code()`: a stable snake_case string, distinct across all four types, for
//! logs, metrics and JSON answers.

use core::fmt;

/// Why a webhook signature was rejected (or, for [`NoSecrets`](Self::NoSecrets), could not be
/// checked).
///
/// The cases are kept apart so a receiver can log *why* a delivery failed; none of them carries
/// the received header, the body or the expected signature.
///
/// ```
/// use dialnexa_verify::{Verifier, VerifyError};
///
/// let verifier = Verifier::new(b"whsec_example")?;
/// assert_eq!(verifier.verify(b"{}", ""), Err(VerifyError::MissingSignature));
/// assert_eq!(verifier.verify(b"{}", "abc"), Err(VerifyError::MalformedSignature));
/// assert_eq!(verifier.verify(b"{}", "0".repeat(64)), Err(VerifyError::SignatureMismatch));
/// assert_eq!(VerifyError::SignatureMismatch.to_string(), "the webhook signature does not match the payload");
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VerifyError {
    /// The `X-DialNexa-Signature` header was absent, empty or held only whitespace.
    MissingSignature,
    /// The header was not 64 hex digits (optionally after `sha256=`): a truncated, overlong or
    /// otherwise garbled value, or (through a header map) the header appeared more than once.
    /// A truncated tag is never accepted.
    MalformedSignature,
    /// The header was well formed but is not the HMAC-SHA256 of this payload under this secret
    /// (under any of the secrets, for [`verify_any`](crate::verify_any)).
    SignatureMismatch,
    /// [`verify_any`](crate::verify_any) was given no verifier at all. This is the server's
    /// configuration, not the sender's fault: answer 500, not 401, and fix the configuration.
    NoSecrets,
}

impl VerifyError {
    /// A stable machine-readable code: `missing_signature`, `malformed_signature`,
    /// `signature_mismatch` or `no_secrets`.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::VerifyError::MalformedSignature.code(), "malformed_signature");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::MissingSignature => "missing_signature",
            Self::MalformedSignature => "malformed_signature",
            Self::SignatureMismatch => "signature_mismatch",
            Self::NoSecrets => "no_secrets",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::MissingSignature => "the webhook signature header is missing or empty",
            Self::MalformedSignature => {
                "the webhook signature header is not 64 hexadecimal digits (optionally prefixed by `sha256=`)"
            }
            Self::SignatureMismatch => "the webhook signature does not match the payload",
            Self::NoSecrets => {
                "no webhook secret is configured: verify_any needs at least one verifier"
            }
        })
    }
}

impl core::error::Error for VerifyError {}

/// A webhook secret that cannot be used. This is a configuration mistake, not an attack.
///
/// ```
/// use dialnexa_verify::{SecretError, Verifier};
///
/// let error = Verifier::new(b"").unwrap_err();
/// assert_eq!(error, SecretError::Empty);
/// assert_eq!(error.code(), "empty_webhook_secret");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret was empty: every signature would be forgeable. Pass the secret you registered
    /// with the DialNexa webhook.
    Empty,
}

impl SecretError {
    /// A stable machine-readable code: `empty_webhook_secret`.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::SecretError::Empty.code(), "empty_webhook_secret");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty_webhook_secret",
        }
    }
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => {
                "the webhook secret is empty: pass the secret registered with the webhook"
            }
        })
    }
}

impl core::error::Error for SecretError {}

/// Why a stored value of 64 hex digits (a [`SecretHash`](crate::SecretHash) or a
/// [`HexDigest`](crate::HexDigest)) could not be read.
///
/// ```
/// use dialnexa_verify::{HexError, SecretHash};
///
/// assert_eq!(SecretHash::from_hex("abc").unwrap_err(), HexError::WrongLength);
/// assert_eq!(SecretHash::from_hex(&"g".repeat(64)).unwrap_err(), HexError::InvalidDigit);
/// assert_eq!(HexError::InvalidDigit.code(), "invalid_hex_digit");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HexError {
    /// The value (after trimming surrounding whitespace) is not exactly 64 characters long.
    WrongLength,
    /// The value is 64 characters long but not all of them are hex digits.
    InvalidDigit,
}

impl HexError {
    /// A stable machine-readable code: `wrong_hex_length` or `invalid_hex_digit`.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::HexError::WrongLength.code(), "wrong_hex_length");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::WrongLength => "wrong_hex_length",
            Self::InvalidDigit => "invalid_hex_digit",
        }
    }
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WrongLength => "the value is not 64 hexadecimal digits long",
            Self::InvalidDigit => "the value has a character that is not a hexadecimal digit",
        })
    }
}

impl core::error::Error for HexError {}

/// Which half of a `keyid:secret` API key an error is about.
///
/// ```
/// use dialnexa_verify::{ApiKey, ApiKeyError, KeyPart};
///
/// let error = ApiKey::parse("bad id:secret").unwrap_err();
/// assert!(matches!(error, ApiKeyError::InvalidCharacter { part: KeyPart::KeyId, position: 3, .. }));
/// assert_eq!(KeyPart::Secret.to_string(), "secret");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyPart {
    /// The public identifier before the colon.
    KeyId,
    /// The secret after the colon.
    Secret,
}

impl KeyPart {
    /// The part's name as messages use it: `key ID` or `secret`.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::KeyPart::KeyId.as_str(), "key ID");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::KeyId => "key ID",
            Self::Secret => "secret",
        }
    }
}

impl fmt::Display for KeyPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an API key or an `Authorization` header was rejected.
///
/// Messages name the part and the byte position of a problem but never contain any character of
/// the key, so they are safe to log and to return to a client. The two struct variants are
/// `#[non_exhaustive]`: match them with `..`.
///
/// ```
/// use dialnexa_verify::{ApiKey, ApiKeyError, KeyPart};
///
/// assert_eq!(ApiKey::parse("abc").unwrap_err(), ApiKeyError::MissingSeparator);
/// let err = ApiKey::parse("abc:s3cr%t").unwrap_err();
/// assert!(matches!(err, ApiKeyError::InvalidCharacter { part: KeyPart::Secret, position: 4, .. }));
/// assert!(!err.to_string().contains("s3cr"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiKeyError {
    /// The key was empty or only whitespace.
    Empty,
    /// The key has no `:` between the key ID and the secret.
    MissingSeparator,
    /// The key has more than one `:`.
    TooManySeparators,
    /// Nothing before the `:`.
    EmptyKeyId,
    /// Nothing after the `:`.
    EmptySecret,
    /// A part is longer than [`MAX_PART_LEN`](crate::MAX_PART_LEN) bytes.
    #[non_exhaustive]
    TooLong {
        /// The part that is too long.
        part: KeyPart,
    },
    /// A part has a byte outside the documented character set (see [`ApiKey`](crate::ApiKey)).
    #[non_exhaustive]
    InvalidCharacter {
        /// The part with the bad character.
        part: KeyPart,
        /// Zero-based byte offset of the first bad byte within that part.
        position: usize,
    },
    /// The value starts with `Bearer `: the whole `Authorization` header value was pasted where
    /// only the key belongs.
    StartsWithBearer,
    /// The `Authorization` header is absent or empty.
    MissingHeader,
    /// The `Authorization` header uses a scheme other than `Bearer` (for example `Basic`).
    WrongScheme,
    /// The `Authorization` header says `Bearer` but carries no token.
    MissingToken,
    /// The request carries more than one `Authorization` header (only
    /// `ApiKey::from_headers`, feature `http`, can see that).
    DuplicateHeader,
}

impl ApiKeyError {
    /// A stable machine-readable code, such as `missing_separator` or `wrong_scheme`.
    ///
    /// ```
    /// use dialnexa_verify::ApiKeyError;
    ///
    /// assert_eq!(ApiKeyError::EmptySecret.code(), "empty_secret");
    /// assert_eq!(ApiKeyError::Empty.code(), "empty_key");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Empty => "empty_key",
            Self::MissingSeparator => "missing_separator",
            Self::TooManySeparators => "too_many_separators",
            Self::EmptyKeyId => "empty_key_id",
            Self::EmptySecret => "empty_secret",
            Self::TooLong { .. } => "too_long",
            Self::InvalidCharacter { .. } => "invalid_character",
            Self::StartsWithBearer => "starts_with_bearer",
            Self::MissingHeader => "missing_header",
            Self::WrongScheme => "wrong_scheme",
            Self::MissingToken => "missing_token",
            Self::DuplicateHeader => "duplicate_header",
        }
    }

    /// The part of the key a [`TooLong`](Self::TooLong) or
    /// [`InvalidCharacter`](Self::InvalidCharacter) error is about; `None` for the others.
    ///
    /// ```
    /// use dialnexa_verify::{ApiKey, KeyPart};
    ///
    /// let error = ApiKey::parse("abc:s3cr%t").unwrap_err();
    /// assert_eq!((error.part(), error.position()), (Some(KeyPart::Secret), Some(4)));
    /// assert_eq!(ApiKey::parse("abc").unwrap_err().part(), None);
    /// ```
    #[must_use]
    pub const fn part(self) -> Option<KeyPart> {
        match self {
            Self::TooLong { part } | Self::InvalidCharacter { part, .. } => Some(part),
            _ => None,
        }
    }

    /// The byte offset, within its [`part`](Self::part), of the first bad byte of an
    /// [`InvalidCharacter`](Self::InvalidCharacter) error; `None` for the others.
    #[must_use]
    pub const fn position(self) -> Option<usize> {
        match self {
            Self::InvalidCharacter { position, .. } => Some(position),
            _ => None,
        }
    }

    pub(crate) const fn too_long(part: KeyPart) -> Self {
        Self::TooLong { part }
    }

    pub(crate) const fn invalid_character(part: KeyPart, position: usize) -> Self {
        Self::InvalidCharacter { part, position }
    }
}

/// The end of the `too_long` message, with [`MAX_PART_LEN`](crate::MAX_PART_LEN) written out (a
/// const cannot be formatted into a `&'static str`; the assertion keeps the two in step).
const TOO_LONG_SUFFIX: &str = " is longer than 256 bytes";
const _: () = assert!(crate::MAX_PART_LEN == 256);

impl ApiKeyError {
    /// The message as fixed pieces: text, the part's name (or `""`), text, and the byte position
    /// to write after them, if any. `Display` writes exactly these; the npm package's engine
    /// writes them without `core::fmt` (which would cost the WebAssembly module 2 KB gzipped).
    #[doc(hidden)]
    #[must_use]
    pub const fn message_parts(self) -> (&'static str, &'static str, &'static str, Option<usize>) {
        match self {
            Self::Empty => ("the API key is empty", "", "", None),
            Self::MissingSeparator => ("the API key has no `:`: expected `keyid:secret`", "", "", None),
            Self::TooManySeparators => ("the API key has more than one `:`: expected `keyid:secret`", "", "", None),
            Self::EmptyKeyId => ("the API key has no key ID before the `:`", "", "", None),
            Self::EmptySecret => ("the API key has no secret after the `:`", "", "", None),
            Self::TooLong { part } => ("the API key's ", part.as_str(), TOO_LONG_SUFFIX, None),
            Self::InvalidCharacter { part, position } => (
                "the API key's ",
                part.as_str(),
                " has a character outside `A-Z a-z 0-9 - . _ ~ + / =` at byte ",
                Some(position),
            ),
            Self::StartsWithBearer => (
                "the API key starts with `Bearer `: pass only `keyid:secret`, or parse the whole header as an Authorization header",
                "",
                "",
                None,
            ),
            Self::MissingHeader => ("the Authorization header is missing or empty", "", "", None),
            Self::WrongScheme => (
                "the Authorization header does not use the Bearer scheme: expected `Bearer keyid:secret`",
                "",
                "",
                None,
            ),
            Self::MissingToken => ("the Authorization header says `Bearer` but has no API key after it", "", "", None),
            Self::DuplicateHeader => ("the request has more than one Authorization header", "", "", None),
        }
    }
}

impl fmt::Display for ApiKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, part, tail, position) = self.message_parts();
        f.write_str(head)?;
        f.write_str(part)?;
        f.write_str(tail)?;
        match position {
            Some(position) => write!(f, "{position}"),
            None => Ok(()),
        }
    }
}

impl core::error::Error for ApiKeyError {}
