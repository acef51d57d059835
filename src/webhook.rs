//! Webhook signatures: HMAC-SHA256 over the raw body, lowercase hex in `X-DialNexa-Signature`.
//!
//! A [`Verifier`] holds the HMAC key state prepared once from the secret; every check clones that
//! state, hashes the body and compares the 32-byte tags with [`subtle`], never with `==`.
//!
//! HMAC (RFC 2104) is composed here from RustCrypto's `sha2` rather than taken from the `hmac`
//! crate, for one reason: the npm package keeps each prepared key in JavaScript as the two
//! SHA-256 midstates (`K ^ ipad`, `K ^ opad`) and hands them to the WebAssembly module per call, so
//! that the module holds no per-verifier state at all. `hmac` 0.13 keeps those midstates private;
//! `sha2` exposes them through `SerializableState`. The composition is checked against the RFC 4231
//! vectors and, by a property test and a fuzz target, against the `hmac` crate itself.

use core::array::TryFromSliceError;
use core::fmt;
use core::str::FromStr;

use sha2::digest::common::hazmat::{SerializableState, SerializedState};
use sha2::{Digest, Sha256};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use crate::encoding::{self, wipe, HexDigest};
use crate::error::{SecretError, VerifyError};

/// The name of the header that carries the signature, in lowercase as HTTP/2 and most frameworks
/// expose it. Header names are case-insensitive: DialNexa's documentation writes
/// `X-DialNexa-Signature`.
///
/// ```
/// assert!(dialnexa_verify::SIGNATURE_HEADER.eq_ignore_ascii_case("X-DialNexa-Signature"));
/// ```
pub const SIGNATURE_HEADER: &str = "x-dialnexa-signature";

/// SHA-256's block size, the length of an HMAC key block.
const BLOCK: usize = 64;
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5c;

/// The length of [`Verifier::prepared_key`]: the inner and the outer SHA-256 midstate.
#[doc(hidden)]
pub const PREPARED_KEY_LEN: usize = 64;

/// The 32-byte HMAC-SHA256 of a payload: what a sender puts, hex encoded, in
/// `X-DialNexa-Signature`.
///
/// Equality (`==`, and [`ConstantTimeEq`]) compares in constant time, so `assert_eq!` works and
/// cannot become a timing leak; `Debug` is redacted, so a failing assertion shows no byte. It is
/// `Clone` but not `Copy`, and with the `zeroize` feature its bytes are wiped when it is dropped.
///
/// ```
/// use dialnexa_verify::{Signature, Verifier};
///
/// let verifier = Verifier::new(b"whsec_example")?;
/// let signature = verifier.sign(br#"{"event":"call.completed"}"#);
/// assert_eq!(signature, verifier.sign(br#"{"event":"call.completed"}"#));
/// assert_eq!(format!("{signature:?}"), "Signature(****)");
///
/// // From a header value, from raw bytes, and back.
/// let parsed: Signature = signature.to_hex().as_str().parse()?;
/// assert_eq!(parsed, Signature::from(*signature.as_bytes()));
/// assert_eq!(Signature::try_from(&signature.as_bytes()[..]).ok(), Some(parsed));
/// assert!(Signature::try_from(&signature.as_bytes()[..31]).is_err());
/// # Ok::<(), Box<dyn core::error::Error>>(())
/// ```
///
/// There is deliberately no `AsRef<[u8]>`: [`Verifier::verify`] takes the *header* as
/// `impl AsRef<[u8]>`, and passing a parsed signature there must not compile. Use
/// [`Verifier::verify_signature`] for a parsed one:
///
/// ```compile_fail,E0277
/// # let verifier = dialnexa_verify::Verifier::new(b"whsec_example").unwrap();
/// let signature = verifier.sign(b"{}");
/// let _ = verifier.verify(b"{}", &signature); // error: `Signature: AsRef<[u8]>` is not satisfied
/// ```
#[derive(Clone)]
pub struct Signature([u8; 32]);

impl Signature {
    /// Parses an `X-DialNexa-Signature` header value as received (a `&str`, a `String`, a
    /// `&[u8]`, an `http::HeaderValue`...).
    ///
    /// Accepts 64 hex digits in either case, optionally prefixed by `sha256=` (in any case), with
    /// surrounding ASCII whitespace trimmed. Nothing else is accepted: no inner whitespace, no
    /// truncated or overlong tag. The time taken depends on the header's length and shape, which
    /// are public, but not on the value of its digits.
    ///
    /// # Errors
    /// [`VerifyError::MissingSignature`] for an empty or all-whitespace value,
    /// [`VerifyError::MalformedSignature`] for anything else that is not a signature.
    ///
    /// ```
    /// use dialnexa_verify::{Signature, VerifyError};
    ///
    /// let hex = "F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8";
    /// assert!(Signature::from_header(format!(" sha256={hex}\r\n")).is_ok());
    /// assert_eq!(Signature::from_header(&hex[..32]).unwrap_err(), VerifyError::MalformedSignature);
    /// assert_eq!(Signature::from_header(" \t").unwrap_err(), VerifyError::MissingSignature);
    /// ```
    pub fn from_header(header: impl AsRef<[u8]>) -> Result<Self, VerifyError> {
        let value = header.as_ref().trim_ascii();
        if value.is_empty() {
            return Err(VerifyError::MissingSignature);
        }
        let digits = match value.split_at_checked(7) {
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case(b"sha256=") => rest,
            _ => value,
        };
        encoding::decode(digits)
            .map(Self)
            .map_err(|_| VerifyError::MalformedSignature)
    }

    /// Reads the `X-DialNexa-Signature` header from a request's headers (feature `http`).
    ///
    /// # Errors
    /// [`VerifyError::MissingSignature`] when the header is absent, and
    /// [`VerifyError::MalformedSignature`] when it appears more than once (`HeaderMap::get`
    /// would silently take the first), then the errors of [`Signature::from_header`].
    ///
    /// ```
    /// use dialnexa_verify::{Signature, VerifyError, SIGNATURE_HEADER};
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let mut headers = HeaderMap::new();
    /// assert_eq!(Signature::from_headers(&headers).unwrap_err(), VerifyError::MissingSignature);
    /// headers.insert(SIGNATURE_HEADER, HeaderValue::from_static("sha256=00"));
    /// assert_eq!(Signature::from_headers(&headers).unwrap_err(), VerifyError::MalformedSignature);
    /// ```
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn from_headers(headers: &http::HeaderMap) -> Result<Self, VerifyError> {
        let mut values = headers.get_all(SIGNATURE_HEADER).iter();
        let header = values.next().ok_or(VerifyError::MissingSignature)?;
        if values.next().is_some() {
            return Err(VerifyError::MalformedSignature);
        }
        Self::from_header(header)
    }

    /// The raw 32 bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lowercase hex digits for the `X-DialNexa-Signature` header, without allocating.
    #[must_use]
    pub fn to_hex(&self) -> HexDigest {
        encoding::encode(&self.0)
    }
}

/// The raw 32-byte tag.
impl From<[u8; 32]> for Signature {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

/// The raw tag from a slice of exactly 32 bytes (not hex: for a header value use
/// [`Signature::from_header`] or `parse`).
impl TryFrom<&[u8]> for Signature {
    type Error = TryFromSliceError;

    fn try_from(bytes: &[u8]) -> Result<Self, TryFromSliceError> {
        <[u8; 32]>::try_from(bytes).map(Self)
    }
}

/// Parses a header value, as [`Signature::from_header`].
impl FromStr for Signature {
    type Err = VerifyError;

    fn from_str(header: &str) -> Result<Self, VerifyError> {
        Self::from_header(header)
    }
}

impl ConstantTimeEq for Signature {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

/// Constant time, through [`ConstantTimeEq`].
impl PartialEq for Signature {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Signature {}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(****)")
    }
}

#[cfg(feature = "zeroize")]
impl Drop for Signature {
    fn drop(&mut self) {
        encoding::wipe_on_drop(&mut self.0);
    }
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for Signature {}

/// Signs and verifies DialNexa webhooks with one secret.
///
/// The HMAC key schedule is computed once in [`Verifier::new`]; keep the verifier (it is
/// `Send + Sync + 'static`, so a `static`, an `Arc` or your application state can hold it) and
/// reuse it for every request. Cloning is cheap (two SHA-256 states). It holds what is needed to
/// forge signatures: its `Debug` shows nothing of it, and with the `zeroize` feature (on by
/// default) the states are wiped when it is dropped.
///
/// ```
/// use dialnexa_verify::Verifier;
///
/// let verifier = Verifier::new("whsec_example")?;
/// let body = br#"{"event":"call.completed","call_id":"c_123"}"#;
/// let header: String = verifier.sign(body).to_hex().as_str().to_owned(); // what DialNexa sends
///
/// assert!(verifier.verify(body, &header).is_ok());
/// assert!(verifier.verify(b"{\"event\":\"call.failed\"}", &header).is_err());
/// assert_eq!(format!("{verifier:?}"), "Verifier { .. }");
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    /// SHA-256 after one block, `K ^ ipad`.
    inner: Sha256,
    /// SHA-256 after one block, `K ^ opad`.
    outer: Sha256,
}

impl Verifier {
    /// Prepares a verifier for the webhook secret registered with DialNexa: its UTF-8 bytes, as
    /// the spec's `secret.encode()` (a `&str`, a `String` or bytes).
    ///
    /// Any non-empty secret is accepted, because the secret is whatever was registered. When you
    /// choose one, use at least 32 random bytes (HMAC-SHA256's full strength); a short or guessable
    /// secret can be found offline from a single signed delivery.
    ///
    /// # Errors
    /// [`SecretError::Empty`] if `secret` is empty.
    ///
    /// ```
    /// use dialnexa_verify::{SecretError, Verifier};
    ///
    /// assert!(Verifier::new(b"whsec_example").is_ok());
    /// assert!(Verifier::new(String::from("whsec_example")).is_ok());
    /// assert_eq!(Verifier::new("").unwrap_err(), SecretError::Empty);
    /// ```
    pub fn new(secret: impl AsRef<[u8]>) -> Result<Self, SecretError> {
        let secret = secret.as_ref();
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        // RFC 2104: a key longer than the block is replaced by its hash; shorter keys are padded
        // with zeros (so `k` and `k\0` are the same key).
        let mut block = [0u8; BLOCK];
        if secret.len() > BLOCK {
            block[..32].copy_from_slice(&Sha256::digest(secret));
        } else {
            block[..secret.len()].copy_from_slice(secret);
        }
        block.iter_mut().for_each(|b| *b ^= IPAD);
        let inner = Sha256::new_with_prefix(block);
        block.iter_mut().for_each(|b| *b ^= IPAD ^ OPAD);
        let outer = Sha256::new_with_prefix(block);
        wipe(&mut block);
        Ok(Self { inner, outer })
    }

    /// Computes the signature of `payload`, the raw request body.
    ///
    /// ```
    /// use dialnexa_verify::Verifier;
    ///
    /// // RFC 4231 test case 2.
    /// let signature = Verifier::new(b"Jefe")?.sign(b"what do ya want for nothing?");
    /// assert_eq!(
    ///     signature.to_hex().as_str(),
    ///     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    /// );
    /// # Ok::<(), dialnexa_verify::SecretError>(())
    /// ```
    #[must_use]
    pub fn sign(&self, payload: &[u8]) -> Signature {
        let mut stream = self.stream();
        stream.update(payload);
        stream.sign()
    }

    /// Checks an `X-DialNexa-Signature` header value as received (a `&str`, a `String`, bytes, an
    /// `http::HeaderValue`) against `payload`, the raw request body, comparing the tags in
    /// constant time.
    ///
    /// # Errors
    /// [`VerifyError::MissingSignature`] or [`VerifyError::MalformedSignature`] when the header is
    /// not a signature (see [`Signature::from_header`]), [`VerifyError::SignatureMismatch`] when
    /// it is the signature of something else or under another secret.
    ///
    /// ```
    /// use dialnexa_verify::{Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new(b"whsec_example")?;
    /// let header = verifier.sign(b"{}").to_hex();
    /// assert_eq!(verifier.verify(b"{}", &header), Ok(()));
    /// assert_eq!(verifier.verify(b"{}", header.as_str()), Ok(()));
    /// assert_eq!(verifier.verify(b"{ }", &header), Err(VerifyError::SignatureMismatch));
    /// # Ok::<(), dialnexa_verify::SecretError>(())
    /// ```
    pub fn verify(&self, payload: &[u8], header: impl AsRef<[u8]>) -> Result<(), VerifyError> {
        let received = Signature::from_header(header)?;
        self.verify_signature(payload, &received)
    }

    /// Checks an already parsed [`Signature`] against `payload` in constant time.
    ///
    /// # Errors
    /// [`VerifyError::SignatureMismatch`] when `signature` is not the signature of `payload`
    /// under this secret.
    ///
    /// ```
    /// use dialnexa_verify::{Signature, Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new(b"whsec_example")?;
    /// let signature: Signature = verifier.sign(b"{}").to_hex().as_str().parse()?;
    /// assert_eq!(verifier.verify_signature(b"{}", &signature), Ok(()));
    /// assert_eq!(verifier.verify_signature(b"[]", &signature), Err(VerifyError::SignatureMismatch));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn verify_signature(
        &self,
        payload: &[u8],
        signature: &Signature,
    ) -> Result<(), VerifyError> {
        let mut stream = self.stream();
        stream.update(payload);
        stream.verify_signature(signature)
    }

    /// Checks a request's `X-DialNexa-Signature` header against its raw body (feature `http`).
    /// A header that appears more than once is rejected rather than taking the first.
    ///
    /// # Errors
    /// Those of [`Signature::from_headers`], then [`VerifyError::SignatureMismatch`].
    ///
    /// ```
    /// use dialnexa_verify::{Verifier, VerifyError, SIGNATURE_HEADER};
    /// use http::{HeaderMap, HeaderValue};
    ///
    /// let verifier = Verifier::new(b"whsec_example")?;
    /// let body = br#"{"event":"call.completed"}"#;
    /// let mut headers = HeaderMap::new();
    /// headers.insert(SIGNATURE_HEADER, HeaderValue::from_str(verifier.sign(body).to_hex().as_str())?);
    /// assert_eq!(verifier.verify_headers(&headers, body), Ok(()));
    ///
    /// headers.append(SIGNATURE_HEADER, HeaderValue::from_static("0000"));
    /// assert_eq!(verifier.verify_headers(&headers, body), Err(VerifyError::MalformedSignature));
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn verify_headers(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<(), VerifyError> {
        let received = Signature::from_headers(headers)?;
        self.verify_signature(body, &received)
    }

    /// Starts a streaming computation for a body that arrives in chunks. Feeding the chunks with
    /// [`WebhookStream::update`] gives exactly the result of the one-shot calls.
    ///
    /// ```
    /// use dialnexa_verify::Verifier;
    ///
    /// let verifier = Verifier::new(b"whsec_example")?;
    /// let header = verifier.sign(b"hello, world").to_hex();
    ///
    /// let mut stream = verifier.stream();
    /// for chunk in [&b"hello"[..], b", ", b"world"] {
    ///     stream.update(chunk);
    /// }
    /// assert!(stream.verify(&header).is_ok());
    /// # Ok::<(), dialnexa_verify::SecretError>(())
    /// ```
    #[must_use]
    pub fn stream(&self) -> WebhookStream {
        WebhookStream {
            inner: self.inner.clone(),
            outer: self.outer.clone(),
        }
    }

    /// The prepared key: the inner and outer SHA-256 midstates (as many bytes as a key and as
    /// secret: anyone holding them can sign). For the npm package's WebAssembly engine, which
    /// keeps them in JavaScript between calls; not part of the stable API.
    #[doc(hidden)]
    #[must_use]
    pub fn prepared_key(&self) -> [u8; PREPARED_KEY_LEN] {
        let mut out = [0u8; PREPARED_KEY_LEN];
        let (inner, outer) = out.split_at_mut(PREPARED_KEY_LEN / 2);
        let mut serialized = self.inner.serialize();
        inner.copy_from_slice(&serialized[..32]);
        wipe(&mut serialized);
        let mut serialized = self.outer.serialize();
        outer.copy_from_slice(&serialized[..32]);
        wipe(&mut serialized);
        out
    }

    /// The verifier whose [`prepared_key`](Self::prepared_key) is `key`. Not part of the stable
    /// API (see there).
    #[doc(hidden)]
    #[must_use]
    pub fn from_prepared_key(key: &[u8; PREPARED_KEY_LEN]) -> Self {
        let (inner, outer) = key.split_at(PREPARED_KEY_LEN / 2);
        Self {
            inner: after_one_block(inner),
            outer: after_one_block(outer),
        }
    }
}

/// Whether a serialized SHA-256 state (state words, then the block count, little-endian) counts
/// few enough blocks for `sha2` to finish it: the message length in bits, `512 * blocks` plus the
/// buffered bytes, must fit a `u64`. A state from elsewhere (the npm engine's JavaScript side)
/// could say anything; past this `sha2`'s arithmetic overflows.
#[doc(hidden)]
#[must_use]
pub fn sane_block_count(serialized: &[u8]) -> bool {
    serialized
        .get(32..40)
        .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
        .is_some_and(|bytes| u64::from_le_bytes(bytes) < 1 << 54)
}

/// A SHA-256 state that has hashed exactly one block and holds `midstate` (32 bytes, the eight
/// state words little-endian, as `sha2` serializes them).
fn after_one_block(midstate: &[u8]) -> Sha256 {
    // `sha2`'s serialized state is the state words, the block count (a little-endian u64), then
    // the buffer. A new hasher's, with `midstate` for its words and one block counted, is the
    // state after that block, without hashing one: at 64 bytes a verification is three SHA-256
    // blocks, and hashing a block here for each half made it five (tests/properties.rs checks
    // the result against the `hmac` crate).
    let mut serialized = Sha256::new().serialize();
    serialized[..32].copy_from_slice(midstate);
    serialized[32..40].copy_from_slice(&1u64.to_le_bytes());
    // It cannot fail (the layout is a fresh hasher's, and the test below pins it); if it ever
    // did, a default state would hold no key, so fail loudly instead.
    let Ok(state) = Sha256::deserialize(&serialized) else {
        panic!("a fresh SHA-256 state deserializes");
    };
    wipe(&mut serialized);
    state
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").finish_non_exhaustive()
    }
}

// `sha2`'s `zeroize` feature wipes each `Sha256` when it is dropped, and a `Verifier` or a
// `WebhookStream` holds nothing else.
#[cfg(feature = "zeroize")]
const _: fn() = || {
    fn wipes_itself<T: zeroize::ZeroizeOnDrop>() {}
    wipes_itself::<Sha256>();
};

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for Verifier {}

/// A webhook body being hashed chunk by chunk; created by [`Verifier::stream`].
///
/// Like the [`Verifier`], it holds key material: `Debug` is redacted and, with the `zeroize`
/// feature, it is wiped when dropped.
///
/// ```
/// use dialnexa_verify::Verifier;
///
/// let verifier = Verifier::new(b"whsec_example")?;
/// let mut stream = verifier.stream();
/// stream.update(b"{\"event\":");
/// stream.update(b"\"call.completed\"}");
/// let signature = stream.sign();
/// assert!(verifier.verify(br#"{"event":"call.completed"}"#, signature.to_hex()).is_ok());
/// assert_eq!(format!("{:?}", verifier.stream()), "WebhookStream { .. }");
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[derive(Clone)]
pub struct WebhookStream {
    inner: Sha256,
    outer: Sha256,
}

#[cfg(feature = "zeroize")]
impl zeroize::ZeroizeOnDrop for WebhookStream {}

/// The length of [`WebhookStream::to_state`].
#[doc(hidden)]
pub const STREAM_STATE_LEN: usize = 32 + SERIALIZED_SHA256_LEN;
const SERIALIZED_SHA256_LEN: usize = 104;
const _: () = assert!(
    <<Sha256 as SerializableState>::SerializedStateSize as sha2::digest::typenum::Unsigned>::USIZE
        == SERIALIZED_SHA256_LEN
);

impl WebhookStream {
    /// Feeds the next chunk of the raw body.
    pub fn update(&mut self, chunk: &[u8]) {
        self.inner.update(chunk);
    }

    /// Finishes and returns the signature of everything fed so far.
    #[must_use]
    pub fn sign(self) -> Signature {
        let Self { inner, mut outer } = self;
        outer.update(inner.finalize());
        Signature(outer.finalize().into())
    }

    /// The stream as bytes (the outer midstate, then the serialized inner state), as secret as
    /// the key. For the npm package's WebAssembly engine, which keeps a stream in JavaScript
    /// between chunks; not part of the stable API.
    #[doc(hidden)]
    #[must_use]
    pub fn to_state(&self) -> [u8; STREAM_STATE_LEN] {
        let mut out = [0u8; STREAM_STATE_LEN];
        let (outer, inner) = out.split_at_mut(32);
        let mut serialized = self.outer.serialize();
        outer.copy_from_slice(&serialized[..32]);
        wipe(&mut serialized);
        let mut serialized = self.inner.serialize();
        inner.copy_from_slice(&serialized);
        wipe(&mut serialized);
        out
    }

    /// The stream that [`to_state`](Self::to_state) wrote, or `None` if `state` is not one.
    #[doc(hidden)]
    #[must_use]
    pub fn from_state(state: &[u8; STREAM_STATE_LEN]) -> Option<Self> {
        let (outer, inner) = state.split_at(32);
        if !sane_block_count(inner) {
            return None;
        }
        let inner = SerializedState::<Sha256>::try_from(inner).ok()?;
        Some(Self {
            inner: Sha256::deserialize(&inner).ok()?,
            outer: after_one_block(outer),
        })
    }

    /// Finishes and checks a header value as received, exactly like [`Verifier::verify`].
    ///
    /// # Errors
    /// As [`Verifier::verify`].
    ///
    /// ```
    /// use dialnexa_verify::{Verifier, VerifyError};
    ///
    /// let verifier = Verifier::new(b"whsec_example")?;
    /// let header = verifier.sign(b"hello").to_hex();
    /// let mut stream = verifier.stream();
    /// stream.update(b"hell");
    /// assert_eq!(stream.verify(&header), Err(VerifyError::SignatureMismatch));
    /// # Ok::<(), dialnexa_verify::SecretError>(())
    /// ```
    pub fn verify(self, header: impl AsRef<[u8]>) -> Result<(), VerifyError> {
        let received = Signature::from_header(header)?;
        self.verify_signature(&received)
    }

    /// Finishes and checks an already parsed [`Signature`] in constant time, exactly like
    /// [`Verifier::verify_signature`].
    ///
    /// # Errors
    /// [`VerifyError::SignatureMismatch`] when `signature` is not the signature of what was fed.
    pub fn verify_signature(self, signature: &Signature) -> Result<(), VerifyError> {
        if bool::from(self.sign().ct_eq(signature)) {
            Ok(())
        } else {
            Err(VerifyError::SignatureMismatch)
        }
    }
}

impl fmt::Debug for WebhookStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookStream").finish_non_exhaustive()
    }
}

/// Verifies against several secrets at once, for secret rotation: returns the index (in iteration
/// order) of the verifier whose secret signed `payload`.
///
/// `verifiers` is anything that yields `&Verifier`: a slice or array of verifiers, an array of
/// references such as `[&current, &previous]`, or `arcs.iter().map(AsRef::as_ref)` for
/// `Arc<Verifier>`s. Every candidate is computed and compared, with no early exit, so the time
/// taken does not tell which secret (if any) matched. Put the newest secret first.
///
/// # Errors
/// [`VerifyError::NoSecrets`] if `verifiers` yields nothing (a configuration error, checked
/// first), then as [`Verifier::verify`].
///
/// ```
/// use std::sync::Arc;
/// use dialnexa_verify::{verify_any, Verifier, VerifyError};
///
/// let current = Verifier::new(b"whsec_new")?;
/// let previous = Verifier::new(b"whsec_old")?;
/// let header = previous.sign(b"{}").to_hex();
/// assert_eq!(verify_any([&current, &previous], b"{}", &header), Ok(1));
///
/// let configured = vec![Arc::new(current), Arc::new(previous)];
/// assert_eq!(verify_any(configured.iter().map(AsRef::as_ref), b"{}", &header), Ok(1));
///
/// let none: [&Verifier; 0] = [];
/// assert_eq!(verify_any(none, b"{}", &header), Err(VerifyError::NoSecrets));
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
pub fn verify_any<'v>(
    verifiers: impl IntoIterator<Item = &'v Verifier>,
    payload: &[u8],
    header: impl AsRef<[u8]>,
) -> Result<usize, VerifyError> {
    let mut verifiers = verifiers.into_iter().peekable();
    if verifiers.peek().is_none() {
        return Err(VerifyError::NoSecrets);
    }
    let received = Signature::from_header(header)?;
    first_match(verifiers.map(|verifier| verifier.sign(payload)), &received)
        .ok_or(VerifyError::SignatureMismatch)
}

/// The index of the first candidate equal to `received`, comparing every candidate in constant
/// time with no early exit.
pub fn first_match(
    candidates: impl Iterator<Item = Signature>,
    received: &Signature,
) -> Option<usize> {
    let mut found = Choice::from(0);
    let mut index = 0u64;
    for (i, candidate) in (0u64..).zip(candidates) {
        let matched = candidate.ct_eq(received);
        index.conditional_assign(&i, matched & !found);
        found |= matched;
    }
    if bool::from(found) {
        usize::try_from(index).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{after_one_block, Digest, SerializableState, Sha256, BLOCK};

    #[test]
    fn a_state_after_one_block_is_what_hashing_a_block_leaves() {
        // sha2's serialized layout, pinned: a hasher that hashed one block, its state words
        // replaced, is exactly what after_one_block builds without hashing.
        for fill in [0x00, 0x5a, 0xff] {
            let midstate = [fill; 32];
            let mut expected = Sha256::new_with_prefix([0u8; BLOCK]).serialize();
            expected[..32].copy_from_slice(&midstate);
            assert_eq!(after_one_block(&midstate).serialize(), expected);
        }
    }
}
