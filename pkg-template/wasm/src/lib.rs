//! The WebAssembly engine of the `dialnexa-verify` npm package.
//!
//! Numbers in, numbers out, over one scratch buffer in linear memory: JavaScript writes secrets,
//! prepared keys, bodies and headers into it and passes lengths; results come back as a return
//! code and, where there is more to say, bytes at the start of the buffer. There is no glue code
//! and no per-object state: a `WebhookVerifier` keeps its prepared keys (two SHA-256 midstates per
//! secret, [`KEY_LEN`] bytes) in JavaScript and writes them in front of each body, and a body that
//! arrives in chunks keeps its stream states ([`STATE_LEN`] bytes per secret) in JavaScript between
//! chunks. So the module's memory never depends on how many verifiers or requests exist, and
//! nothing secret outlives the call that used it: every call zeroes the secret bytes it was given
//! before it returns.
//!
//! All the logic is in [`Engine`], safe Rust that the native tests drive directly; the exports at
//! the bottom only move numbers between JavaScript and one `Engine`. Nothing here panics on any
//! input (lengths are checked, never trusted); should the module ever trap anyway, the JavaScript
//! layer instantiates a fresh one, so a trap cannot poison later calls.
//!
//! Return codes: zero and up is a success (for a verification, the index of the secret that
//! matched); below zero is one of the constants below.

// The module links no standard library (no allocator, no panic formatting); native builds for
// the tests use std.
#![cfg_attr(target_arch = "wasm32", no_std)]

use dialnexa_verify::__engine::{first_match, hex, PREPARED_KEY_LEN, STREAM_STATE_LEN};
use dialnexa_verify::{
    diagnose, redact, ApiKey, Cause, SecretHash, Signature, Verifier, VerifyError, WebhookStream,
    MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_SECRETS,
};
use subtle::ConstantTimeEq;

/// The signature header was empty.
pub const MISSING_SIGNATURE: i32 = -1;
/// The signature header was not a signature.
pub const MALFORMED_SIGNATURE: i32 = -2;
/// The signature did not match.
pub const SIGNATURE_MISMATCH: i32 = -3;
/// The secret was empty.
pub const EMPTY_SECRET: i32 = -4;
/// The call was malformed: lengths outside the scratch buffer, no keys, too many keys, a state
/// that is not one. JavaScript never makes such a call; it throws an internal error if it sees
/// this code and never reads the scratch buffer after it.
pub const BAD_CALL: i32 = -5;

/// Bytes of one prepared key (the inner and outer SHA-256 midstates of one secret).
pub const KEY_LEN: usize = PREPARED_KEY_LEN;
/// Bytes of one stream state (one secret's HMAC in progress).
pub const STATE_LEN: usize = STREAM_STATE_LEN;
/// The most secrets one check may try (rotation needs two or three).
pub const MAX_KEYS: usize = 64;
/// The largest piece of a body JavaScript writes at once; longer bodies are streamed.
pub const CHUNK: usize = 64 * 1024;
/// Room for the secrets and the header of a diagnosis, beside a body of up to
/// [`MAX_DIAGNOSIS_BODY`] bytes.
pub const DIAGNOSIS_SLACK: usize = 64 * 1024;
/// The scratch buffer's size: room for a diagnosis (the whole body, up to
/// [`MAX_DIAGNOSIS_BODY`], with the raw secrets and the header). Verification uses only its first
/// `MAX_KEYS` stream states and a [`CHUNK`]; the rest is zero pages until a diagnosis touches it.
pub const SCRATCH: usize = MAX_DIAGNOSIS_BODY + DIAGNOSIS_SLACK;

const _: () = assert!(CHUNK + MAX_KEYS * STATE_LEN + 4096 <= SCRATCH);

fn code(result: Result<usize, VerifyError>) -> i32 {
    match result {
        Ok(index) => i32::try_from(index).unwrap_or(BAD_CALL),
        Err(VerifyError::MissingSignature) => MISSING_SIGNATURE,
        Err(VerifyError::MalformedSignature) => MALFORMED_SIGNATURE,
        Err(_) => SIGNATURE_MISMATCH,
    }
}

/// Overwrites bytes that held a secret, a prepared key or a stream state.
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    core::hint::black_box(bytes);
}

/// The engine: calls over one scratch buffer of [`SCRATCH`] bytes. In the module the buffer is
/// static and never grows (the module needs no allocator), so JavaScript's view of it stays valid
/// for the life of the instance; the native tests lend it a `Vec`.
pub struct Engine<'a> {
    scratch: &'a mut [u8; SCRATCH],
}

impl core::fmt::Debug for Engine<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Engine")
            .field("scratch_len", &self.scratch.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Engine<'a> {
    /// The engine over `scratch`.
    #[must_use]
    pub fn new(scratch: &'a mut [u8; SCRATCH]) -> Self {
        Self { scratch }
    }

    /// The scratch buffer, where JavaScript (or a test) writes its inputs.
    pub fn scratch(&mut self) -> &mut [u8] {
        self.scratch
    }

    /// Zeroes the whole scratch buffer: what the module does after any call it refused
    /// ([`BAD_CALL`]), since such a call may have been given secret bytes anywhere.
    pub fn wipe_all(&mut self) {
        wipe(self.scratch);
    }

    /// Scratch holds a signature header of `sig_len` bytes: 0 if it has the shape of a signature,
    /// else [`MISSING_SIGNATURE`] or [`MALFORMED_SIGNATURE`]. Lets JavaScript answer without
    /// reading a body whose signature can never match.
    pub fn header_shape(&self, sig_len: usize) -> i32 {
        match self.scratch.get(..sig_len).map(Signature::from_header) {
            Some(Ok(_)) => 0,
            Some(Err(error)) => code(Err(error)),
            None => BAD_CALL,
        }
    }

    /// Scratch holds a secret of `secret_len` bytes: replaces it with its prepared key
    /// ([`KEY_LEN`] bytes at the start). 0, [`EMPTY_SECRET`] or [`BAD_CALL`].
    pub fn prepare(&mut self, secret_len: usize) -> i32 {
        let Some(secret) = self.scratch.get_mut(..secret_len.max(KEY_LEN)) else {
            return BAD_CALL;
        };
        let prepared = Verifier::new(&secret[..secret_len]).map(|v| v.prepared_key());
        wipe(secret);
        match prepared {
            Ok(mut key) => {
                secret[..KEY_LEN].copy_from_slice(&key);
                wipe(&mut key);
                0
            }
            Err(_) => EMPTY_SECRET,
        }
    }

    /// Scratch holds `keys` prepared keys, then the body, then the signature header: the index of
    /// the first key that signed the body, or a negative code. The keys are wiped.
    pub fn verify(&mut self, keys: usize, body_len: usize, sig_len: usize) -> i32 {
        let Some(keys_len) = keys_len(keys, KEY_LEN) else {
            return BAD_CALL;
        };
        let Some((key_bytes, rest)) = self.scratch.split_at_mut_checked(keys_len) else {
            return BAD_CALL;
        };
        let result = match split2(rest, body_len, sig_len) {
            Some((body, header)) => Signature::from_header(header).map_or_else(
                |error| code(Err(error)),
                |received| {
                    let tags = key_bytes
                        .chunks_exact(KEY_LEN)
                        .map(|key| sign_in_pieces(&verifier_from(key), body));
                    code(first_match(tags, &received).ok_or(VerifyError::SignatureMismatch))
                },
            ),
            None => BAD_CALL,
        };
        wipe(key_bytes);
        result
    }

    /// Scratch holds one prepared key, then the body: writes the signature's 64 hex digits at the
    /// start (over the key, whose remaining bytes are wiped).
    pub fn sign(&mut self, body_len: usize) -> i32 {
        let Some((key, rest)) = self.scratch.split_at_mut_checked(KEY_LEN) else {
            return BAD_CALL;
        };
        let Some(body) = rest.get(..body_len) else {
            wipe(key);
            return BAD_CALL;
        };
        let signature = sign_in_pieces(&verifier_from(key), body);
        wipe(key);
        self.write_hex(signature.as_bytes())
    }

    /// Scratch holds `keys` prepared keys: replaces them with as many stream states, one after
    /// another from the start.
    pub fn stream_start(&mut self, keys: usize) -> i32 {
        let Some(states_len) = keys_len(keys, STATE_LEN) else {
            return BAD_CALL;
        };
        let Some(area) = self.scratch.get_mut(..states_len) else {
            return BAD_CALL;
        };
        // States are longer than keys: fill them from the last, so no key is overwritten before
        // it is read.
        for i in (0..keys).rev() {
            let key = &area[i * KEY_LEN..(i + 1) * KEY_LEN];
            let mut state = verifier_from(key).stream().to_state();
            area[i * STATE_LEN..(i + 1) * STATE_LEN].copy_from_slice(&state);
            wipe(&mut state);
        }
        0
    }

    /// Scratch holds `keys` stream states, then a chunk of `len` bytes: feeds the chunk to every
    /// state, in place.
    pub fn stream_update(&mut self, keys: usize, len: usize) -> i32 {
        let Some(states_len) = keys_len(keys, STATE_LEN) else {
            return BAD_CALL;
        };
        let Some((states, rest)) = self.scratch.split_at_mut_checked(states_len) else {
            return BAD_CALL;
        };
        let Some(chunk) = rest.get(..len) else {
            return BAD_CALL;
        };
        for state in states.chunks_exact_mut(STATE_LEN) {
            let Some(mut stream) = stream_from(state) else {
                wipe(states);
                return BAD_CALL;
            };
            update_in_pieces(&mut stream, chunk);
            let mut bytes = stream.to_state();
            state.copy_from_slice(&bytes);
            wipe(&mut bytes);
        }
        0
    }

    /// Scratch holds `keys` stream states, then the signature header: finishes them and answers
    /// as [`Engine::verify`]. The states are wiped.
    pub fn stream_verify(&mut self, keys: usize, sig_len: usize) -> i32 {
        let Some(states_len) = keys_len(keys, STATE_LEN) else {
            return BAD_CALL;
        };
        let Some((states, rest)) = self.scratch.split_at_mut_checked(states_len) else {
            return BAD_CALL;
        };
        let result = match rest.get(..sig_len).map(Signature::from_header) {
            None => BAD_CALL,
            Some(Err(error)) => code(Err(error)),
            Some(Ok(received)) => {
                let mut all_valid = true;
                let tags = states.chunks_exact(STATE_LEN).map(|state| {
                    let stream = stream_from(state);
                    all_valid &= stream.is_some();
                    stream.map(WebhookStream::sign)
                });
                let matched = first_match(tags.flatten(), &received);
                if all_valid {
                    code(matched.ok_or(VerifyError::SignatureMismatch))
                } else {
                    BAD_CALL
                }
            }
        };
        wipe(states);
        result
    }

    /// Scratch holds one stream state: writes its signature's 64 hex digits at the start and
    /// wipes the rest of the state.
    pub fn stream_sign(&mut self) -> i32 {
        let Some(state) = self.scratch.get_mut(..STATE_LEN) else {
            return BAD_CALL;
        };
        let stream = stream_from(state);
        wipe(state);
        match stream {
            Some(stream) => self.write_hex(stream.sign().as_bytes()),
            None => BAD_CALL,
        }
    }

    /// The SHA-256 of the first `len` bytes as 64 hex digits at the start (an API-key secret's
    /// stored hash); the input is wiped.
    pub fn sha256_hex(&mut self, len: usize) -> i32 {
        let Some(data) = self.scratch.get_mut(..len.max(64)) else {
            return BAD_CALL;
        };
        let digest = SecretHash::of(&data[..len]);
        wipe(data);
        self.write_hex(digest.as_bytes())
    }

    /// Scratch holds `len` bytes of UTF-8: an API key (or, with `authorization`, an
    /// `Authorization` header value). The input is wiped. On success returns 0 and writes the
    /// byte ranges of the key ID and of the secret within the input as four little-endian `u32`s
    /// at the start; on failure writes `code\nmessage` there and returns minus its length.
    /// Neither ever contains any part of the key.
    pub fn parse_key(&mut self, len: usize, authorization: bool) -> i32 {
        let Some(input) = self.scratch.get_mut(..len) else {
            return BAD_CALL;
        };
        let parsed = match core::str::from_utf8(input) {
            Ok(text) => {
                let start = text.as_ptr() as usize;
                let result = if authorization {
                    ApiKey::from_authorization(text)
                } else {
                    ApiKey::parse(text)
                };
                result.map(|key| {
                    let (id, secret) = (key.key_id(), key.secret().expose());
                    let id_at = id.as_ptr() as usize - start;
                    let secret_at = secret.as_ptr() as usize - start;
                    [id_at, id_at + id.len(), secret_at, secret_at + secret.len()]
                })
            }
            Err(_) => {
                wipe(input);
                return BAD_CALL;
            }
        };
        wipe(input);
        match parsed {
            Ok(ranges) => self.write_ranges(&ranges),
            Err(error) => {
                // The message's fixed pieces, written without core::fmt (2 KB of module).
                let (head, part, tail, position) = error.message_parts();
                let mut number = [0u8; 20];
                let digits = position.map_or(&[][..], |n| decimal(n, &mut number));
                let mut out = SliceWriter {
                    out: self.scratch,
                    len: 0,
                };
                for piece in [
                    error.code().as_bytes(),
                    b"\ndialnexa-verify: ",
                    head.as_bytes(),
                    part.as_bytes(),
                    tail.as_bytes(),
                    digits,
                ] {
                    if !out.put(piece) {
                        return BAD_CALL;
                    }
                }
                i32::try_from(out.len).map_or(BAD_CALL, |n| -n)
            }
        }
    }

    /// For `keyid:****` in logs: scratch holds `len` bytes of UTF-8. If they show a well-formed
    /// key ID, writes its byte range as two little-endian `u32`s at the start and returns 1;
    /// otherwise 0 (show `****`). The input is wiped.
    pub fn redact(&mut self, len: usize) -> i32 {
        let Some(input) = self.scratch.get_mut(..len) else {
            return BAD_CALL;
        };
        let range = core::str::from_utf8(input).ok().and_then(|text| {
            let key_id = redact(text).key_id()?;
            let at = key_id.as_ptr() as usize - text.as_ptr() as usize;
            Some([at, at + key_id.len()])
        });
        wipe(input);
        match range {
            Some(range) => match self.write_ranges(&range) {
                0 => 1,
                error => error,
            },
            None => 0,
        }
    }

    /// Scratch holds a presented API key (`presented_len` bytes), then the stored key ID
    /// (`key_id_len`), then the stored secret hash (`hash_len`, hex): 1 when the key parses, its
    /// key ID is the stored one and its secret has the stored hash (compared in constant time),
    /// else 0. The presented key is wiped.
    pub fn check_api_key(
        &mut self,
        presented_len: usize,
        key_id_len: usize,
        hash_len: usize,
    ) -> i32 {
        let Some((presented, rest)) = self.scratch.split_at_mut_checked(presented_len) else {
            return BAD_CALL;
        };
        let matched = match split2(rest, key_id_len, hash_len) {
            Some((key_id, hash)) => {
                let key = core::str::from_utf8(presented)
                    .ok()
                    .and_then(|text| ApiKey::parse(text).ok());
                let stored = core::str::from_utf8(hash)
                    .ok()
                    .and_then(|hex| SecretHash::from_hex(hex).ok());
                match (key, stored) {
                    (Some(key), Some(stored)) => {
                        let same_id = key.key_id().as_bytes().ct_eq(key_id);
                        bool::from(same_id) & key.matches_hash(&stored)
                    }
                    _ => false,
                }
            }
            None => {
                wipe(presented);
                return BAD_CALL;
            }
        };
        wipe(presented);
        i32::from(matched)
    }

    /// Scratch holds `count` secret lengths (little-endian `u32`s), the secrets, the body and the
    /// signature header: why the signature does or does not match, as the index of the cause in
    /// [`Cause::ALL`] (see `dialnexa_verify::diagnose`). The lengths and the secrets are wiped.
    pub fn diagnose(&mut self, count: usize, body_len: usize, sig_len: usize) -> i32 {
        if !(1..=MAX_DIAGNOSIS_SECRETS).contains(&count) || body_len > MAX_DIAGNOSIS_BODY {
            return BAD_CALL;
        }
        let mut lengths = [0usize; MAX_DIAGNOSIS_SECRETS];
        for (i, length) in lengths.iter_mut().enumerate().take(count) {
            let Some(bytes) = self.scratch.get(4 * i..4 * i + 4) else {
                return BAD_CALL;
            };
            *length = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        }
        let secrets_at = 4 * count;
        let Some(secrets_end) = lengths
            .iter()
            .try_fold(secrets_at, |at, &n| at.checked_add(n))
        else {
            return BAD_CALL;
        };
        let Some((secret_area, rest)) = self.scratch.split_at_mut_checked(secrets_end) else {
            return BAD_CALL;
        };
        let cause = match split2(rest, body_len, sig_len) {
            Some((body, header)) => {
                let mut secrets: [&[u8]; MAX_DIAGNOSIS_SECRETS] = [&[]; MAX_DIAGNOSIS_SECRETS];
                let mut at = secrets_at;
                for (slot, &n) in secrets.iter_mut().zip(&lengths).take(count) {
                    *slot = &secret_area[at..at + n];
                    at += n;
                }
                let found = diagnose(&secrets[..count], body, header).cause;
                Cause::ALL.iter().position(|&c| c == found)
            }
            None => None,
        };
        wipe(secret_area);
        cause
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(BAD_CALL)
    }

    /// Byte offsets for JavaScript, as little-endian `u32`s at the start of the scratch buffer.
    fn write_ranges(&mut self, ranges: &[usize]) -> i32 {
        for (slot, &value) in self.scratch.chunks_exact_mut(4).zip(ranges) {
            match u32::try_from(value) {
                Ok(value) => slot.copy_from_slice(&value.to_le_bytes()),
                Err(_) => return BAD_CALL,
            }
        }
        0
    }

    fn write_hex(&mut self, bytes: &[u8; 32]) -> i32 {
        match self.scratch.first_chunk_mut::<64>() {
            Some(out) => {
                out.copy_from_slice(hex(bytes).as_str().as_bytes());
                0
            }
            None => BAD_CALL,
        }
    }
}

/// `count` items of `size` bytes, for 1 to [`MAX_KEYS`] items.
fn keys_len(count: usize, size: usize) -> Option<usize> {
    (1..=MAX_KEYS).contains(&count).then(|| count * size)
}

/// Two consecutive parts at the start of `area`, or `None` if they do not fit.
fn split2(area: &[u8], a: usize, b: usize) -> Option<(&[u8], &[u8])> {
    let (first, rest) = area.split_at_checked(a)?;
    Some((first, rest.get(..b)?))
}

fn verifier_from(key: &[u8]) -> Verifier {
    let mut prepared = [0u8; KEY_LEN];
    prepared.copy_from_slice(key);
    let verifier = Verifier::from_prepared_key(&prepared);
    wipe(&mut prepared);
    verifier
}

fn stream_from(state: &[u8]) -> Option<WebhookStream> {
    let state: &[u8; STATE_LEN] = state.try_into().ok()?;
    WebhookStream::from_state(state)
}

/// The signature of `body`, hashed through [`update_in_pieces`]: a body of up to 1 MiB arrives in
/// one call, and hashed in one go it would run in the baseline tier to the end the first time (a
/// cold import and first 1 MiB verification: 35 ms on Node 24, 12 ms in pieces).
fn sign_in_pieces(verifier: &Verifier, body: &[u8]) -> Signature {
    let mut stream = verifier.stream();
    update_in_pieces(&mut stream, body);
    stream.sign()
}

/// Feeds `bytes` in 4 KiB pieces, each through a function that is not inlined: a WebAssembly
/// engine can only switch a function to optimised code between calls, so the first large body
/// after start-up does not run entirely in the baseline tier.
fn update_in_pieces(stream: &mut WebhookStream, bytes: &[u8]) {
    for piece in bytes.chunks(4096) {
        update_piece(stream, piece);
    }
}

#[inline(never)]
fn update_piece(stream: &mut WebhookStream, piece: &[u8]) {
    stream.update(piece);
}

/// Appends bytes at the start of the scratch buffer, for error messages.
struct SliceWriter<'a> {
    out: &'a mut [u8],
    len: usize,
}

impl SliceWriter<'_> {
    /// Appends `bytes`; false if they do not fit.
    fn put(&mut self, bytes: &[u8]) -> bool {
        let Some(slot) = self
            .len
            .checked_add(bytes.len())
            .and_then(|end| self.out.get_mut(self.len..end))
        else {
            return false;
        };
        slot.copy_from_slice(bytes);
        self.len += bytes.len();
        true
    }
}

/// `n` in decimal, in the end of `buffer`.
fn decimal(mut n: usize, buffer: &mut [u8; 20]) -> &[u8] {
    let mut at = buffer.len();
    loop {
        at -= 1;
        buffer[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buffer[at..];
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod exports;
