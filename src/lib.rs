//! Constant-time checks for the two security surfaces of the DialNexa API, `no_std`, with no
//! `unsafe` code:
//!
//! - **Webhooks**: DialNexa signs each delivery with HMAC-SHA256 over the raw body, keyed with the
//!   secret you registered, and sends the lowercase hex in `X-DialNexa-Signature`. A [`Verifier`]
//!   prepares the key once and checks the header in constant time.
//! - **API keys**: `keyid:secret`, sent as `Authorization: Bearer keyid:secret`. [`ApiKey`] parses
//!   both forms strictly, with errors that never echo the key, redacts it for logs, and checks it
//!   against a [`StoredKey`] (the key ID and the SHA-256 of the secret) in constant time.
//!
//! # Verifying a webhook
//!
//! Pass the raw body exactly as received (not re-serialized JSON) and the header value as
//! received: a `&str`, a `String`, bytes or an `http::HeaderValue` all work.
//!
//! ```
//! use dialnexa_verify::{Verifier, VerifyError};
//!
//! let verifier = Verifier::new("whsec_registered_secret")?; // once, at start-up
//!
//! let body = br#"{"event":"call.completed","call_id":"call_8f2a"}"#;
//! let header = "9e39406d10b7d60e9a3951634a3264bd54f381649a766f94b4d89c6afec49c56"; // as received
//!
//! match verifier.verify(body, header) {
//!     Ok(()) => { /* process the event */ }
//!     Err(VerifyError::MissingSignature) => panic!("401: no signature header"),
//!     Err(e) => panic!("401: {e}"), // the message never contains the header or the secret
//! }
//! assert_eq!(
//!     verifier.verify(br#"{"event":"call.completed","call_id":"call_8f2b"}"#, header),
//!     Err(VerifyError::SignatureMismatch)
//! );
//! # Ok::<(), dialnexa_verify::SecretError>(())
//! ```
//!
//! The header may be upper- or lowercase hex, may carry a `sha256=` prefix and surrounding
//! whitespace; anything else (a truncated tag, inner whitespace, a non-hex byte) is
//! [`VerifyError::MalformedSignature`]. A header parsed once into a [`Signature`] can be checked
//! with [`Verifier::verify_signature`]. Bodies that arrive in chunks: [`Verifier::stream`] gives
//! the same result as the one-shot call.
//!
//! Rotating secrets: [`verify_any`] checks the new and the old secret together, in constant time,
//! and tells which one matched. It takes anything that yields `&Verifier` (a slice, `[&a, &b]`,
//! `Arc`s through `.iter().map(AsRef::as_ref)`); no verifier at all is
//! [`VerifyError::NoSecrets`], a configuration error rather than a mismatch.
//!
//! ```
//! use dialnexa_verify::{verify_any, Verifier};
//!
//! let current = Verifier::new("whsec_new")?;
//! let previous = Verifier::new("whsec_old")?;
//! let header = previous.sign(b"{}").to_hex(); // a delivery still signed with the old secret
//! assert_eq!(verify_any([&current, &previous], b"{}", &header), Ok(1));
//! # Ok::<(), dialnexa_verify::SecretError>(())
//! ```
//!
//! When a signature does not match during development, [`diagnose`] (given the secret) names the
//! integration mistake that explains it: a secret with a trailing newline, a re-serialized JSON
//! body, a body delivered in base64, and so on.
//!
//! With the `http` feature, [`Verifier::verify_headers`] reads the header from an
//! `http::HeaderMap` (as axum, hyper and tower give it) and rejects a header sent twice;
//! the repository's `examples/axum` crate is a complete receiver.
//!
//! # Checking an API key
//!
//! ```
//! use dialnexa_verify::{ApiKey, ApiKeyError, StoredKey, UNAUTHORIZED_BODY};
//!
//! // At key creation: store the key ID and the hash of the secret, never the secret.
//! let created = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
//! let (key_id, hash_hex) = (created.key_id().to_owned(), created.secret_hash().to_hex());
//!
//! // On each request: parse, look the record up by key ID, check key ID and secret together.
//! let key = ApiKey::from_authorization("Bearer abcdefghijklmn:123456a1b1234b")?;
//! let stored = StoredKey::from_hex(&key_id, hash_hex.as_str()).expect("stored hash is valid");
//! assert!(key.matches(&stored));
//! assert_eq!(key.redacted().to_string(), "abcdefghijklmn:****"); // safe to log
//!
//! // A bad key gets DialNexa's exact 401 body, and an error that names no part of the key.
//! let err = ApiKey::from_authorization("Basic dXNlcjpwYXNz").unwrap_err();
//! assert_eq!(err, ApiKeyError::WrongScheme);
//! assert_eq!(UNAUTHORIZED_BODY, r#"{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}"#);
//! # Ok::<(), ApiKeyError>(())
//! ```
//!
//! [`ApiKey`] borrows from the header. With the `alloc` feature, [`OwnedApiKey`] owns its text
//! and can go into a request's extensions; with `http`, [`ApiKey::from_headers`] reads the
//! `Authorization` header from a `HeaderMap`; with `rand_core`, [`generate_api_key`] issues new
//! keys from your cryptographic RNG (a server stores only [`GeneratedApiKey::to_stored`]).
//!
//! Secret lengths: DialNexa's API-key secrets are 14 characters. The parser checks the format,
//! not the strength, and accepts 1 to [`MAX_PART_LEN`] characters; keys you issue yourself should
//! have secrets of at least 14 random characters. A webhook secret is whatever you registered;
//! choose at least 32 random bytes.
//!
//! # What constant time means here
//!
//! Secret comparisons ([`Verifier::verify`], [`verify_any`], [`ApiKey::matches`], `==` on
//! [`Signature`], [`SecretHash`] and [`HexDigest`]) go through [`subtle`]'s `ConstantTimeEq`, and
//! hex encoding and decoding of tags and hashes use RustCrypto's `base16ct`, which has no
//! data-dependent branches or table look-ups. [`verify_any`] computes every candidate before it
//! answers. This is best effort, as `subtle` says: the compiler promises nothing.
//!
//! The repository's `tests/constant_time.sh` counts the instructions executed (valgrind's
//! callgrind) by `verify` and by the API-key check for one fixed set of inputs in which the
//! compared value is right, or differs in its first or in its last byte: the counts are
//! identical, while a plain `==` control differs. That is evidence for those inputs and this
//! build on x86-64, not a proof for every input, compiler or CPU.
//!
//! What is *not* secret and may take input-dependent time: the length and shape of a received
//! signature header, API-key format checks (a malformed key is rejected whatever its secret), and
//! the *length* of the secrets hashed by [`ApiKey::matches_secret`] (see there).
//!
//! # Secrets in memory
//!
//! Every type that holds a secret or a value derived from one has a redacted `Debug` and no
//! `Display`: a [`Verifier`] prints `Verifier { .. }`, a [`Signature`] `Signature(****)`.
//! [`Signature`], [`SecretHash`] and [`HexDigest`] are `Clone` but not `Copy`, so a copy is
//! always written out:
//!
//! ```compile_fail,E0382
//! # let verifier = dialnexa_verify::Verifier::new(b"whsec_example").unwrap();
//! let signature = verifier.sign(b"{}");
//! let first = signature;
//! let second = signature; // error: use of moved value (write `signature.clone()`)
//! ```
//!
//! With the `zeroize` feature (on by default) [`Verifier`], [`WebhookStream`], [`Signature`],
//! [`SecretHash`], [`HexDigest`], [`OwnedApiKey`] and [`GeneratedApiKey`] implement
//! `ZeroizeOnDrop`: their bytes are overwritten when they are dropped. Measured cost of the whole feature (callgrind, x86-64,
//! `--release`): 1.0% more instructions per [`Verifier::verify`] of a 72-byte body (11,346
//! against 11,234) and 1.2% per [`check_api_key`] (4,934 against 4,874); in wall time the
//! difference is below this machine's run-to-run noise. In the npm package's WebAssembly module,
//! the wipes of `Signature`, `SecretHash` and `HexDigest` add 497 bytes (about 140 gzipped).
//!
//! # Crate features
//!
//! - `zeroize` (default): wipe secrets and derived states on drop (above). Turn it off only to
//!   drop the `zeroize` dependency.
//! - `alloc`: [`OwnedApiKey`].
//! - `http`: `http` 1.x integration: [`Verifier::verify_headers`], [`Signature::from_headers`],
//!   [`ApiKey::from_headers`]. Implies `alloc`; `http` itself needs `std`.
//! - `rand_core`: [`generate_api_key`] (any `rand_core` 0.10 `CryptoRng`),
//!   [`try_generate_api_key`] (an RNG that can fail) and [`GeneratedApiKey`]; `no_std`, no
//!   allocation.
//!
//! With no features the crate needs neither `std` nor `alloc` and builds for targets such as
//! `thumbv7em-none-eabihf` and `wasm32-unknown-unknown`; a `no_std` crate can depend on it with
//! `default-features = false` and run its own tests on the host.
//!
//! # Why `base16ct` for hex
//!
//! The crate had its own branch-free hex codec. RustCrypto's `base16ct` 1.0 uses the same
//! arithmetic and is maintained with the crates used here, so it replaced ours after measuring
//! both: natively (x86-64, `--release`, callgrind) encoding 32 bytes takes 106 instructions with
//! `base16ct` against 102 with ours and decoding 64 digits 453 against 467, each well under 1% of
//! one verification; in the npm package's WebAssembly module (`wasm-opt -O3`) `base16ct` makes the
//! module 282 bytes smaller raw (33,066 against 33,348) and 75 bytes larger gzipped (12,975
//! against 12,900). Neither is a measurable difference.
//!
//! # Minimum supported Rust version
//!
//! Rust 1.85, checked by building and testing with that toolchain (with Cargo's MSRV-aware
//! resolver, which picks `sha2` 0.11.0 there; `sha2` 0.11.1 needs Rust 1.88). Raising it is a
//! minor-version change.
//!
//! # Not stable API
//!
//! Items marked `#[doc(hidden)]` (`Verifier::prepared_key`, `WebhookStream::to_state`, the
//! `__engine` module) exist for the npm package's WebAssembly engine and may change in any
//! release.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The crate docs link to items of the `alloc`, `http` and `rand_core` features; a documentation
// build without them cannot resolve those links. The all-features build (docs.rs, and CI with
// `--all-features`) still rejects any broken link.
#![cfg_attr(
    not(all(feature = "alloc", feature = "http", feature = "rand_core")),
    allow(rustdoc::broken_intra_doc_links)
)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod api_key;
mod diagnose;
mod encoding;
mod error;
#[cfg(feature = "rand_core")]
mod generate;
#[cfg(feature = "alloc")]
mod owned;
mod webhook;

pub use api_key::{
    check_api_key, redact, ApiKey, Redacted, SecretHash, SecretStr, StoredKey, MAX_PART_LEN,
    UNAUTHORIZED_BODY,
};
pub use diagnose::{
    diagnose, Cause, Diagnosis, MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_HMACS, MAX_DIAGNOSIS_SECRETS,
};
pub use encoding::HexDigest;
pub use error::{ApiKeyError, HexError, KeyPart, SecretError, VerifyError};
#[cfg(feature = "rand_core")]
#[cfg_attr(docsrs, doc(cfg(feature = "rand_core")))]
pub use generate::{generate_api_key, try_generate_api_key, GeneratedApiKey};
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub use owned::OwnedApiKey;
pub use webhook::{verify_any, Signature, Verifier, WebhookStream, SIGNATURE_HEADER};

/// What the npm package's WebAssembly engine (`pkg-template/wasm`) needs beyond the public API.
/// Not part of the stable API: it may change in any release.
#[doc(hidden)]
pub mod __engine {
    pub use crate::encoding::encode as hex;
    pub use crate::webhook::{first_match, sane_block_count, PREPARED_KEY_LEN, STREAM_STATE_LEN};
}

/// The Rust examples in the repository's README, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
