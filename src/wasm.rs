//! The WebAssembly exports the npm package is built from (feature `wasm`).
//!
//! These are deliberately thin: numbers in and out. The package's JavaScript layer
//! (`pkg-template/src/api.js`) writes secrets, bodies and signature headers straight into the
//! [`Engine`]'s scratch buffer in wasm memory and passes lengths, so a check allocates nothing and
//! converts no strings. It also throws the documented `TypeError`s and `ApiKeyError`s and builds
//! `Response`s. No js-sys: its always-compiled futures support alone added 700 bytes of gzipped
//! module for nothing this crate uses. Nothing here panics on any input: a trap would leave the
//! module unusable.
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
/// The slot behind a handle was reused since: prepare the secrets again.
pub const STALE_SLOT: i32 = -5;

/// How many string secrets keep their prepared key state between calls.
const CACHE_SIZE: usize = 8;
/// How many prepared secret sets (`WebhookVerifier`s) are kept; the last slot is for one call.
const SLOTS: usize = 64;
const SLOTS_U64: u64 = 64;
const TEMPORARY_SLOT: usize = SLOTS - 1;

fn code(result: Result<usize, VerifyError>) -> i32 {
    match result {
        Ok(index) => i32::try_from(index).unwrap_or(SIGNATURE_MISMATCH),
        Err(VerifyError::MissingSignature) => MISSING_SIGNATURE,
        Err(VerifyError::MalformedSignature) => MALFORMED_SIGNATURE,
        Err(_) => SIGNATURE_MISMATCH,
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

/// The prepared secrets of one `WebhookVerifier` (or of one call with a list of secrets). The
/// default, id 0, is an empty slot that no handle names.
#[derive(Default)]
struct Slot {
    id: u64,
    verifiers: Vec<Verifier>,
}

/// The module's working state: a scratch buffer that JavaScript fills, the prepared keys of
/// recently used string secrets, a bounded table of prepared secret sets addressed by handle,
/// and the streams of a chunked computation in progress.
///
/// Nothing here grows with the number of `WebhookVerifier`s a program creates: a set that has
/// been evicted (or was never used) is prepared again from the secrets JavaScript keeps, so wasm
/// memory stays bounded whether or not the garbage collector ever runs.
#[wasm_bindgen]
#[derive(Default)]
pub struct Engine {
    scratch: Vec<u8>,
    cache: Vec<CachedSecret>,
    next: usize,
    slots: Vec<Slot>,
    issued: u64,
    hand: usize,
    streams: Vec<WebhookStream>,
}

#[wasm_bindgen]
impl Engine {
    /// A new engine with an empty scratch buffer.
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Self {
        Self::default()
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

    /// Opens a slot for a set of secrets and returns its handle. The last of the `SLOTS` slots
    /// is for one call (`temporary`); the others are reused in turn once all are taken.
    #[wasm_bindgen(js_name = slotOpen)]
    pub fn slot_open(&mut self, temporary: bool) -> f64 {
        self.issued += 1;
        let slot = Slot {
            id: self.issued,
            verifiers: Vec::new(),
        };
        let index = if temporary {
            TEMPORARY_SLOT
        } else {
            let index = self.hand % TEMPORARY_SLOT;
            self.hand = self.hand.wrapping_add(1);
            index
        };
        if self.slots.len() <= index {
            self.slots.resize_with(index + 1, Slot::default);
        }
        self.slots[index] = slot;
        // Exact in an f64 for the first 2^47 slots ever opened.
        (self.issued * SLOTS_U64 + index as u64) as f64
    }

    /// Adds the secret at the start of the scratch buffer to a slot: 0, [`EMPTY_SECRET`], or
    /// [`STALE_SLOT`] if the slot was reused since.
    #[wasm_bindgen(js_name = slotAdd)]
    pub fn slot_add(&mut self, handle: f64, secret_len: usize) -> i32 {
        let Some(secret) = self.scratch.get(..secret_len) else {
            return SIGNATURE_MISMATCH;
        };
        let Some(verifier) = cached(&mut self.cache, &mut self.next, secret).cloned() else {
            return EMPTY_SECRET;
        };
        match slot_mut(&mut self.slots, handle) {
            Some(slot) => {
                slot.verifiers.push(verifier);
                0
            }
            None => STALE_SLOT,
        }
    }

    /// Releases a slot now (`WebhookVerifier.free()`); a stale handle is ignored.
    #[wasm_bindgen(js_name = slotClose)]
    pub fn slot_close(&mut self, handle: f64) {
        if let Some(slot) = slot_mut(&mut self.slots, handle) {
            *slot = Slot::default();
        }
    }

    /// Scratch holds `body | signature`: checks against every secret of a slot, or returns
    /// [`STALE_SLOT`].
    #[wasm_bindgen(js_name = verifyWithSlot)]
    #[must_use]
    pub fn verify_with_slot(&self, handle: f64, body_len: usize, sig_len: usize) -> i32 {
        let Some(slot) = slot_ref(&self.slots, handle) else {
            return STALE_SLOT;
        };
        match split3(&self.scratch, 0, body_len, sig_len) {
            Some((_, body, signature)) => code(crate::verify_any(&slot.verifiers, body, signature)),
            None => SIGNATURE_MISMATCH,
        }
    }

    /// Scratch holds the body: writes its signature under the first secret of a slot.
    #[wasm_bindgen(js_name = signWithSlot)]
    pub fn sign_with_slot(&mut self, handle: f64, body_len: usize) -> i32 {
        let Some(slot) = slot_ref(&self.slots, handle) else {
            return STALE_SLOT;
        };
        let signature = match (slot.verifiers.first(), self.scratch.get(..body_len)) {
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

    /// Starts a chunked computation with every secret of a slot, or returns [`STALE_SLOT`].
    #[wasm_bindgen(js_name = streamWithSlot)]
    pub fn stream_with_slot(&mut self, handle: f64) -> i32 {
        match slot_ref(&self.slots, handle) {
            Some(slot) => {
                self.streams = slot.verifiers.iter().map(Verifier::stream).collect();
                0
            }
            None => STALE_SLOT,
        }
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

impl core::fmt::Debug for Engine {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine")
            .field("scratch_len", &self.scratch.len())
            .field("cached_secrets", &self.cache.len())
            .field("slots", &self.slots.len())
            .finish_non_exhaustive()
    }
}

/// A handle's slot index and slot id. Handles that are not whole numbers, or out of range,
/// convert (saturating) to values that name no live slot.
fn locate(handle: f64) -> (usize, u64) {
    let handle = handle as u64;
    let index = usize::try_from(handle % SLOTS_U64).unwrap_or(TEMPORARY_SLOT);
    (index, handle / SLOTS_U64)
}

/// The slot a handle names, if it has not been reused since the handle was issued.
fn slot_ref(slots: &[Slot], handle: f64) -> Option<&Slot> {
    let (index, id) = locate(handle);
    slots
        .get(index)
        .filter(|slot| slot.id != 0 && slot.id == id)
}

fn slot_mut(slots: &mut [Slot], handle: f64) -> Option<&mut Slot> {
    let (index, id) = locate(handle);
    slots
        .get_mut(index)
        .filter(|slot| slot.id != 0 && slot.id == id)
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
