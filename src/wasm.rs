//! The WebAssembly exports the npm package is built from (feature `wasm`).
//!
//! These are deliberately thin: numbers in and out. The package's JavaScript layer
//! (`pkg-template/src/api.js`) writes secrets, bodies and signature headers straight into the
//! [`Engine`]'s scratch buffer in wasm memory and passes lengths, so a check allocates nothing and
//! converts no strings. It also throws the documented `TypeError`s and `ApiKeyError`s and builds
//! `Response`s. No js-sys: its always-compiled futures support alone added 700 bytes of gzipped
//! module for nothing this crate uses. Nothing here panics on any input: a trap would leave the module unusable.
//!
//! Result codes: zero and up is the index of the secret that matched; below zero is one of the
//! constants below.

use std::vec::Vec;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use wasm_bindgen::prelude::*;

use crate::webhook::first_match;
use crate::{
    check_api_key, redact, ApiKey, SecretHash, Signature, Verifier, VerifyError, WebhookStream,
};

/// The header was empty.
pub const MISSING_SIGNATURE: i32 = -1;
/// The header was not a signature.
pub const MALFORMED_SIGNATURE: i32 = -2;
/// The signature did not match (also: no secrets, or lengths outside the scratch buffer).
pub const SIGNATURE_MISMATCH: i32 = -3;
/// The secret was empty.
pub const EMPTY_SECRET: i32 = -4;

/// How many string secrets keep their prepared key state between calls.
const CACHE_SIZE: usize = 8;

fn code(result: Result<usize, VerifyError>) -> i32 {
    match result {
        Ok(index) => i32::try_from(index).unwrap_or(SIGNATURE_MISMATCH),
        Err(VerifyError::MissingSignature) => MISSING_SIGNATURE,
        Err(VerifyError::MalformedSignature) => MALFORMED_SIGNATURE,
        Err(_) => SIGNATURE_MISMATCH,
    }
}

/// One or more prepared webhook secrets, the current one first (a `WebhookVerifier`).
#[wasm_bindgen]
pub struct WebhookKeys {
    verifiers: Vec<Verifier>,
}

#[wasm_bindgen]
impl WebhookKeys {
    /// An empty set; add secrets with `addSecret`.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self {
            verifiers: Vec::new(),
        }
    }

    /// Prepares one more secret (its UTF-8 bytes, or raw bytes). Returns `false` if it is empty.
    #[wasm_bindgen(js_name = addSecret)]
    pub fn add_secret(&mut self, secret: &[u8]) -> bool {
        Verifier::new(secret)
            .map(|verifier| self.verifiers.push(verifier))
            .is_ok()
    }
}

impl WebhookKeys {
    /// How many secrets are prepared (the JavaScript side counts for itself).
    #[must_use]
    pub fn count(&self) -> usize {
        self.verifiers.len()
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

struct CachedSecret {
    secret: Vec<u8>,
    verifier: Verifier,
}

impl Drop for CachedSecret {
    fn drop(&mut self) {
        // Best effort: clear the copy of the secret before its memory is reused.
        self.secret.fill(0);
        core::hint::black_box(&mut self.secret);
    }
}

/// The module's working state: a scratch buffer that JavaScript fills, the prepared keys of
/// recently used string secrets, and the streams of a chunked computation in progress.
#[wasm_bindgen]
pub struct Engine {
    scratch: Vec<u8>,
    cache: Vec<CachedSecret>,
    next: usize,
    streams: Vec<WebhookStream>,
}

#[wasm_bindgen]
impl Engine {
    /// A new engine with an empty scratch buffer.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self {
            scratch: Vec::new(),
            cache: Vec::new(),
            next: 0,
            streams: Vec::new(),
        }
    }

    /// Makes the scratch buffer at least `len` bytes long and returns its address in wasm memory.
    pub fn reserve(&mut self, len: usize) -> usize {
        if self.scratch.len() < len {
            self.scratch.resize(len, 0);
        }
        self.scratch.as_ptr() as usize
    }

    /// Scratch holds `secret | body | signature`: checks the signature with that one secret,
    /// whose prepared key state is kept for the next calls.
    #[wasm_bindgen(js_name = verifyWithSecret)]
    pub fn verify_with_secret(
        &mut self,
        secret_len: usize,
        body_len: usize,
        sig_len: usize,
    ) -> i32 {
        let Some((secret, body, signature)) = split3(&self.scratch, secret_len, body_len, sig_len)
        else {
            return SIGNATURE_MISMATCH;
        };
        match cached(&mut self.cache, &mut self.next, secret) {
            Some(verifier) => code(verifier.verify(body, signature).map(|()| 0)),
            None => EMPTY_SECRET,
        }
    }

    /// Scratch holds `secret | body`: writes the signature's 64 hex digits to the start of the
    /// scratch buffer.
    #[wasm_bindgen(js_name = signWithSecret)]
    pub fn sign_with_secret(&mut self, secret_len: usize, body_len: usize) -> i32 {
        let Some((secret, body, _)) = split3(&self.scratch, secret_len, body_len, 0) else {
            return SIGNATURE_MISMATCH;
        };
        match cached(&mut self.cache, &mut self.next, secret) {
            Some(verifier) => {
                let signature = verifier.sign(body);
                self.write_hex(&signature)
            }
            None => EMPTY_SECRET,
        }
    }

    /// Scratch holds `body | signature`: checks against every secret of `keys`.
    #[wasm_bindgen(js_name = verifyWithKeys)]
    #[must_use]
    pub fn verify_with_keys(&self, keys: &WebhookKeys, body_len: usize, sig_len: usize) -> i32 {
        match split3(&self.scratch, 0, body_len, sig_len) {
            Some((_, body, signature)) => code(crate::verify_any(&keys.verifiers, body, signature)),
            None => SIGNATURE_MISMATCH,
        }
    }

    /// Scratch holds the body: writes its signature under the first secret of `keys`.
    #[wasm_bindgen(js_name = signWithKeys)]
    pub fn sign_with_keys(&mut self, keys: &WebhookKeys, body_len: usize) -> i32 {
        let signature = match (keys.verifiers.first(), self.scratch.get(..body_len)) {
            (Some(verifier), Some(body)) => verifier.sign(body),
            _ => return EMPTY_SECRET,
        };
        self.write_hex(&signature)
    }

    /// Starts a chunked computation with the secret in the scratch buffer.
    #[wasm_bindgen(js_name = streamWithSecret)]
    pub fn stream_with_secret(&mut self, secret_len: usize) -> i32 {
        self.streams.clear();
        let Some(secret) = self.scratch.get(..secret_len) else {
            return SIGNATURE_MISMATCH;
        };
        match cached(&mut self.cache, &mut self.next, secret) {
            Some(verifier) => {
                self.streams.push(verifier.stream());
                0
            }
            None => EMPTY_SECRET,
        }
    }

    /// Starts a chunked computation with every secret of `keys`.
    #[wasm_bindgen(js_name = streamWithKeys)]
    pub fn stream_with_keys(&mut self, keys: &WebhookKeys) {
        self.streams = keys.verifiers.iter().map(Verifier::stream).collect();
    }

    /// Feeds the first `len` bytes of the scratch buffer to every stream.
    #[wasm_bindgen(js_name = streamUpdate)]
    pub fn stream_update(&mut self, len: usize) {
        if let Some(chunk) = self.scratch.get(..len) {
            for stream in &mut self.streams {
                update_in_pieces(stream, chunk);
            }
        }
    }

    /// Finishes the chunked computation; the scratch buffer holds the signature header.
    #[wasm_bindgen(js_name = streamVerify)]
    pub fn stream_verify(&mut self, sig_len: usize) -> i32 {
        let streams = core::mem::take(&mut self.streams);
        let Some(header) = self.scratch.get(..sig_len) else {
            return SIGNATURE_MISMATCH;
        };
        let received = match Signature::from_header(header) {
            Ok(received) => received,
            Err(error) => return code(Err(error)),
        };
        let signatures = streams.into_iter().map(WebhookStream::sign);
        code(first_match(signatures, &received).ok_or(VerifyError::SignatureMismatch))
    }

    /// Finishes the chunked computation and writes the signature under the first secret.
    #[wasm_bindgen(js_name = streamSign)]
    pub fn stream_sign(&mut self) -> i32 {
        match core::mem::take(&mut self.streams).into_iter().next() {
            Some(stream) => {
                let signature = stream.sign();
                self.write_hex(&signature)
            }
            None => EMPTY_SECRET,
        }
    }

    /// Parses an API key (or, with `authorization`, an `Authorization` header value). On success
    /// returns 0 and writes the byte ranges of the key ID and of the secret within `input` as four
    /// little-endian `u32`s at the start of the scratch buffer; on failure writes `code\nmessage`
    /// there and returns minus its length. Neither ever contains any part of the key.
    #[wasm_bindgen(js_name = parseKey)]
    pub fn parse_key(&mut self, input: &str, authorization: bool) -> i32 {
        let parsed = if authorization {
            ApiKey::from_authorization(input)
        } else {
            ApiKey::parse(input)
        };
        let start = input.as_ptr() as usize;
        match parsed {
            Ok(key) => {
                let (id, secret) = (key.key_id(), key.secret().expose());
                let id_at = id.as_ptr() as usize - start;
                let secret_at = secret.as_ptr() as usize - start;
                self.write_ranges(&[id_at, id_at + id.len(), secret_at, secret_at + secret.len()]);
                0
            }
            Err(error) => {
                let text = std::format!("{}\ndialnexa-verify: {error}", error.code());
                match self.scratch.get_mut(..text.len()) {
                    Some(out) => {
                        out.copy_from_slice(text.as_bytes());
                        i32::try_from(text.len()).map_or(SIGNATURE_MISMATCH, |n| -n)
                    }
                    None => SIGNATURE_MISMATCH,
                }
            }
        }
    }

    /// For `keyid:****` in logs: if `input` shows a well-formed key ID, writes its byte range
    /// within `input` as two little-endian `u32`s at the start of the scratch buffer and returns
    /// `true`; otherwise returns `false` (show `****`).
    pub fn redact(&mut self, input: &str) -> bool {
        let Some(key_id) = redact(input).key_id() else {
            return false;
        };
        let at = key_id.as_ptr() as usize - input.as_ptr() as usize;
        self.write_ranges(&[at, at + key_id.len()]);
        true
    }

    /// The SHA-256 of the first `len` bytes of the scratch buffer, written back as hex: an API-key
    /// secret's stored hash. The benchmarks also measure it as the module's software SHA-256 speed.
    #[wasm_bindgen(js_name = sha256)]
    pub fn sha256(&mut self, len: usize) -> i32 {
        let Some(data) = self.scratch.get(..len) else {
            return SIGNATURE_MISMATCH;
        };
        let digest = SecretHash::of(data);
        self.write_hex_bytes(digest.as_bytes())
    }
}

impl Engine {
    /// The scratch buffer, for Rust callers (tests) that fill it the way JavaScript does.
    pub fn scratch_mut(&mut self) -> &mut [u8] {
        &mut self.scratch
    }

    /// Byte offsets for JavaScript, as little-endian `u32`s at the start of the scratch buffer.
    fn write_ranges(&mut self, ranges: &[usize]) {
        for (slot, &value) in self.scratch.chunks_exact_mut(4).zip(ranges) {
            slot.copy_from_slice(&u32::try_from(value).unwrap_or(0).to_le_bytes());
        }
    }

    fn write_hex(&mut self, signature: &Signature) -> i32 {
        self.write_hex_bytes(signature.as_bytes())
    }

    // The scratch buffer is never resized here: JavaScript holds a view of it and has reserved
    // room (at least 1 KiB) before any call.
    #[inline(never)]
    fn write_hex_bytes(&mut self, bytes: &[u8; 32]) -> i32 {
        match self.scratch.first_chunk_mut::<64>() {
            Some(out) => {
                crate::encoding::encode_into(bytes, out);
                0
            }
            None => SIGNATURE_MISMATCH,
        }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine")
            .field("scratch_len", &self.scratch.len())
            .field("cached_secrets", &self.cache.len())
            .finish_non_exhaustive()
    }
}

/// Splits the scratch buffer into three consecutive parts, or `None` if they do not fit.
fn split3(scratch: &[u8], a: usize, b: usize, c: usize) -> Option<(&[u8], &[u8], &[u8])> {
    let (first, rest) = scratch.split_at_checked(a)?;
    let (second, rest) = rest.split_at_checked(b)?;
    Some((first, second, rest.get(..c)?))
}

/// The prepared verifier for `secret`, from the cache or newly made. The secret is compared with
/// every cached one in constant time (lengths aside).
fn cached<'c>(
    cache: &'c mut Vec<CachedSecret>,
    next: &mut usize,
    secret: &[u8],
) -> Option<&'c Verifier> {
    let mut found = Choice::from(0);
    let mut index = 0u32;
    for (i, entry) in (0u32..).zip(cache.iter()) {
        let matched = entry.secret.as_slice().ct_eq(secret);
        index.conditional_assign(&i, matched & !found);
        found |= matched;
    }
    let mut index = usize::try_from(index).ok()?;
    if !bool::from(found) {
        let entry = CachedSecret {
            secret: secret.to_vec(),
            verifier: Verifier::new(secret).ok()?,
        };
        // Replace entries in turn once the cache is full (a server rarely has more than two).
        index = *next % CACHE_SIZE;
        *next = next.wrapping_add(1);
        match cache.get_mut(index) {
            Some(slot) => *slot = entry,
            None => {
                index = cache.len();
                cache.push(entry);
            }
        }
    }
    cache.get(index).map(|entry| &entry.verifier)
}

/// Feeds a chunk through a function that is not inlined, a few KiB at a time: a WebAssembly
/// engine can only switch a function to optimised code between calls, so the first large body
/// after start-up does not run entirely in the baseline tier.
fn update_in_pieces(stream: &mut WebhookStream, chunk: &[u8]) {
    for piece in chunk.chunks(4096) {
        update_piece(stream, piece);
    }
}

#[inline(never)]
fn update_piece(stream: &mut WebhookStream, piece: &[u8]) {
    stream.update(piece);
}

/// Checks a presented `keyid:secret` against a stored secret hash in constant time; `false` for
/// any malformed input.
#[wasm_bindgen(js_name = checkApiKey)]
#[must_use]
pub fn check_api_key_js(presented: &str, stored_secret_hash: &str) -> bool {
    check_api_key(presented, stored_secret_hash)
}
