#![doc = include_str!("../README.md")]
#![no_std]

mod api_key;
mod diagnose;
mod encoding;
mod error;
mod webhook;

pub use api_key::{
    check_api_key, redact, ApiKey, Redacted, SecretHash, SecretStr, MAX_PART_LEN, UNAUTHORIZED_BODY,
};
pub use diagnose::{
    diagnose, Cause, Diagnosis, MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_HMACS, MAX_DIAGNOSIS_SECRETS,
};
pub use encoding::HexDigest;
pub use error::{ApiKeyError, KeyPart, SecretError, VerifyError};
pub use webhook::{verify_any, Signature, Verifier, WebhookStream, SIGNATURE_HEADER};

/// What the npm package's WebAssembly engine (`pkg-template/wasm`) needs beyond the public API.
/// Not part of the stable API: it may change in any release.
#[doc(hidden)]
pub mod __engine {
    pub use crate::encoding::encode as hex;
    pub use crate::webhook::{first_match, PREPARED_KEY_LEN, STREAM_STATE_LEN};
}
