//! [`OwnedApiKey`]: an API key that owns its text (feature `alloc`), for when a parsed key must
//! outlive the header it came from, such as in a request's extensions.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use crate::api_key::{ApiKey, Redacted, SecretStr, StoredKey};
use crate::error::ApiKeyError;

/// A parsed API key that owns its text: `Clone + Send + Sync + 'static`, so a middleware can put
/// it into a request's extensions for the handlers after it.
///
/// It is built only from a parsed [`ApiKey`], so it is always well formed. `Debug` shows the key
/// ID and `****`; with the `zeroize` feature the text is wiped when it is dropped.
///
/// ```
/// use dialnexa_verify::{ApiKey, OwnedApiKey};
///
/// let header = String::from("Bearer abcdefghijklmn:123456a1b1234b");
/// let owned = OwnedApiKey::from(ApiKey::from_authorization(&header)?);
/// drop(header);
/// assert_eq!(owned.key_id(), "abcdefghijklmn");
/// assert_eq!(owned.as_key().secret().expose(), "123456a1b1234b");
/// assert_eq!(format!("{owned:?}"), r#"OwnedApiKey { key_id: "abcdefghijklmn", secret: SecretStr(****) }"#);
///
/// let parsed: OwnedApiKey = "abcdefghijklmn:123456a1b1234b".parse()?;
/// assert_eq!(parsed.redacted().to_string(), "abcdefghijklmn:****");
/// # Ok::<(), dialnexa_verify::ApiKeyError>(())
/// ```
#[derive(Clone)]
pub struct OwnedApiKey {
    /// `keyid:secret`, as [`ApiKey::parse`] accepted it (trimmed).
    text: String,
    /// The byte length of the key ID (the offset of the `:`).
    id_len: usize,
}

impl OwnedApiKey {
    /// The key as a borrowed [`ApiKey`], for every check it offers.
    #[must_use]
    pub fn as_key(&self) -> ApiKey<'_> {
        let (key_id, rest) = self.text.split_at(self.id_len);
        ApiKey::from_parts(key_id, rest.get(1..).unwrap_or_default())
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

    /// A form for logs: `keyid:****`.
    #[must_use]
    pub fn redacted(&self) -> Redacted<'_> {
        self.as_key().redacted()
    }

    /// As [`ApiKey::matches`].
    #[must_use]
    pub fn matches(&self, stored: &StoredKey<'_>) -> bool {
        self.as_key().matches(stored)
    }
}

impl From<ApiKey<'_>> for OwnedApiKey {
    fn from(key: ApiKey<'_>) -> Self {
        let (key_id, secret) = (key.key_id(), key.secret().expose());
        let mut text = String::with_capacity(key_id.len() + 1 + secret.len());
        text.push_str(key_id);
        text.push(':');
        text.push_str(secret);
        Self {
            text,
            id_len: key_id.len(),
        }
    }
}

/// Parses `keyid:secret`, as [`ApiKey::parse`].
impl FromStr for OwnedApiKey {
    type Err = ApiKeyError;

    fn from_str(key: &str) -> Result<Self, ApiKeyError> {
        ApiKey::parse(key).map(Self::from)
    }
}

impl fmt::Debug for OwnedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_key().debug_as("OwnedApiKey", f)
    }
}

#[cfg(feature = "zeroize")]
impl Drop for OwnedApiKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.text);
    }
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for OwnedApiKey {}
