#![doc = include_str!("../README.md")]
#![no_std]

#[cfg(feature = "std")]
extern crate std;

mod api_key;
mod encoding;
mod error;
mod webhook;

#[cfg(feature = "wasm")]
pub mod wasm;

pub use api_key::{
    check_api_key, redact, ApiKey, Redacted, SecretHash, SecretStr, MAX_PART_LEN, UNAUTHORIZED_BODY,
};
pub use encoding::HexDigest;
pub use error::{ApiKeyError, KeyPart, SecretError, VerifyError};
pub use webhook::{verify_any, Signature, Verifier, WebhookStream, SIGNATURE_HEADER};
