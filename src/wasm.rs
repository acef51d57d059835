//! The WebAssembly exports the npm package is built from (feature `wasm`).
//!
//! These are deliberately thin and typed: bytes and strings in, numbers, strings and plain
//! objects out. The package's JavaScript layer (`pkg-template/src/api.js`) turns JavaScript values
//! into these calls, throws the documented `TypeError`s and `ApiKeyError`s, and builds `Response`s.
//! Nothing here panics on any input: a trap would leave the module unusable.

use std::string::String;
use std::vec::Vec;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{
    check_api_key, redact, ApiKey, SecretHash, Signature, Verifier, VerifyError, WebhookStream,
};

/// Result codes of [`WebhookKeys::check`] and friends below zero; zero and up is the index of the
/// secret that matched.
const MISSING_SIGNATURE: i32 = -1;
const MALFORMED_SIGNATURE: i32 = -2;
const SIGNATURE_MISMATCH: i32 = -3;

fn code(error: VerifyError) -> i32 {
    match error {
        VerifyError::MissingSignature => MISSING_SIGNATURE,
        VerifyError::MalformedSignature => MALFORMED_SIGNATURE,
        _ => SIGNATURE_MISMATCH,
    }
}

/// One or more prepared webhook secrets (the first is the current one), with an optional
/// streaming computation in progress for bodies fed in chunks.
#[wasm_bindgen]
pub struct WebhookKeys {
    verifiers: Vec<Verifier>,
    streams: Vec<WebhookStream>,
}

#[wasm_bindgen]
impl WebhookKeys {
    /// An empty set; add secrets with `addSecret`.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self {
            verifiers: Vec::new(),
            streams: Vec::new(),
        }
    }

    /// Prepares one more secret (its UTF-8 bytes, or raw bytes). Returns `false` if it is empty.
    #[wasm_bindgen(js_name = addSecret)]
    pub fn add_secret(&mut self, secret: &[u8]) -> bool {
        match Verifier::new(secret) {
            Ok(verifier) => {
                self.verifiers.push(verifier);
                true
            }
            Err(_) => false,
        }
    }

    /// How many secrets are prepared.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn count(&self) -> usize {
        self.verifiers.len()
    }

    /// Checks a signature header against a body: the index of the matching secret, or -1
    /// (missing), -2 (malformed), -3 (mismatch). Every secret is computed, with no early exit.
    #[must_use]
    pub fn check(&self, payload: &[u8], signature: &str) -> i32 {
        match crate::verify_any(&self.verifiers, payload, signature.as_bytes()) {
            Ok(index) => i32::try_from(index).unwrap_or(SIGNATURE_MISMATCH),
            Err(error) => code(error),
        }
    }

    /// Like `check`, with the body as a string hashed as its UTF-8 bytes.
    #[wasm_bindgen(js_name = checkString)]
    #[must_use]
    pub fn check_string(&self, payload: &str, signature: &str) -> i32 {
        self.check(payload.as_bytes(), signature)
    }

    /// The signature under the first secret, as 64 lowercase hex digits.
    #[must_use]
    pub fn sign(&self, payload: &[u8]) -> String {
        self.verifiers
            .first()
            .map(|verifier| verifier.sign(payload).to_hex().as_str().into())
            .unwrap_or_default()
    }

    /// Like `sign`, with the body as a string hashed as its UTF-8 bytes.
    #[wasm_bindgen(js_name = signString)]
    #[must_use]
    pub fn sign_string(&self, payload: &str) -> String {
        self.sign(payload.as_bytes())
    }

    /// Starts a chunked computation (for large bodies): one stream per secret.
    #[wasm_bindgen(js_name = streamStart)]
    pub fn stream_start(&mut self) {
        self.streams = self.verifiers.iter().map(Verifier::stream).collect();
    }

    /// Feeds the next chunk to every stream.
    #[wasm_bindgen(js_name = streamUpdate)]
    pub fn stream_update(&mut self, chunk: &[u8]) {
        for stream in &mut self.streams {
            stream.update(chunk);
        }
    }

    /// Finishes the chunked computation and checks the header, with the codes of `check`.
    #[wasm_bindgen(js_name = streamCheck)]
    pub fn stream_check(&mut self, signature: &str) -> i32 {
        let streams = core::mem::take(&mut self.streams);
        let received = match Signature::from_header(signature.as_bytes()) {
            Ok(received) => received,
            Err(error) => return code(error),
        };
        let signatures = streams.into_iter().map(WebhookStream::sign);
        match crate::webhook::first_match(signatures, &received) {
            Some(index) => i32::try_from(index).unwrap_or(SIGNATURE_MISMATCH),
            None => SIGNATURE_MISMATCH,
        }
    }

    /// Finishes the chunked computation and returns the signature under the first secret.
    #[wasm_bindgen(js_name = streamSign)]
    pub fn stream_sign(&mut self) -> String {
        core::mem::take(&mut self.streams)
            .into_iter()
            .next()
            .map(|stream| stream.sign().to_hex().as_str().into())
            .unwrap_or_default()
    }
}

impl Default for WebhookKeys {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for WebhookKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WebhookKeys")
            .field("count", &self.verifiers.len())
            .finish_non_exhaustive()
    }
}

/// What `parseApiKey` and `parseAuthorization` hand to JavaScript.
#[derive(Serialize)]
#[serde(untagged)]
enum Parsed<'a> {
    #[serde(rename_all = "camelCase")]
    Key {
        key_id: &'a str,
        secret: &'a str,
    },
    Error {
        code: &'static str,
        message: String,
    },
}

fn parsed(result: Result<ApiKey<'_>, crate::ApiKeyError>) -> JsValue {
    let value = match &result {
        Ok(key) => Parsed::Key {
            key_id: key.key_id(),
            secret: key.secret().expose(),
        },
        Err(error) => Parsed::Error {
            code: error.code(),
            message: std::format!("dialnexa-verify: {error}"),
        },
    };
    serde_wasm_bindgen::to_value(&value).unwrap_or(JsValue::NULL)
}

/// Parses `keyid:secret`: `{ keyId, secret }`, or `{ code, message }` for an invalid key.
#[wasm_bindgen(js_name = parseApiKey)]
#[must_use]
pub fn parse_api_key(key: &str) -> JsValue {
    parsed(ApiKey::parse(key))
}

/// Parses an `Authorization: Bearer keyid:secret` value, with the results of `parseApiKey`.
#[wasm_bindgen(js_name = parseAuthorization)]
#[must_use]
pub fn parse_authorization(header: &str) -> JsValue {
    parsed(ApiKey::from_authorization(header))
}

/// `keyid:****` for logs, or `****` when no key ID can be shown.
#[wasm_bindgen(js_name = redactApiKey)]
#[must_use]
pub fn redact_api_key(key: &str) -> String {
    std::format!("{}", redact(key))
}

/// The SHA-256 of an API-key secret as 64 lowercase hex digits, for storage.
#[wasm_bindgen(js_name = hashApiKeySecret)]
#[must_use]
pub fn hash_api_key_secret(secret: &str) -> String {
    SecretHash::of(secret.as_bytes()).to_hex().as_str().into()
}

/// Checks a presented `keyid:secret` against a stored secret hash in constant time; `false` for
/// any malformed input.
#[wasm_bindgen(js_name = checkApiKey)]
#[must_use]
pub fn check_api_key_js(presented: &str, stored_secret_hash: &str) -> bool {
    check_api_key(presented, stored_secret_hash)
}
