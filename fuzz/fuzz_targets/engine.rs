//! The npm package's WebAssembly engine driven by arbitrary call sequences: every call with
//! arbitrary lengths and key counts over arbitrary scratch contents (garbage keys, garbage stream
//! states). Nothing panics; every answer is a documented code; and after any sequence the engine
//! still signs and verifies a known delivery correctly (no call can poison later ones).
#![no_main]

use dialnexa_verify_wasm::{
    Engine, BAD_CALL, KEY_LEN, MAX_KEYS, SCRATCH, STATE_LEN,
};
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

/// Reads the fuzz input as a little tape of numbers.
struct Tape<'a>(&'a [u8]);

impl Tape<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    /// A length: mostly small, sometimes near or past the scratch buffer's size.
    fn len(&mut self) -> Option<usize> {
        let kind = self.byte()?;
        let low = usize::from(self.byte()?) | usize::from(self.byte()?) << 8;
        Some(match kind % 8 {
            0 => SCRATCH - low % 256,
            1 => SCRATCH + low,
            2 => usize::MAX - low,
            3 => low % (STATE_LEN * 3),
            _ => low,
        })
    }
    fn keys(&mut self) -> Option<usize> {
        let b = self.byte()?;
        Some(if b >= 250 { usize::from(b) * 1000 } else { usize::from(b) % (MAX_KEYS + 2) })
    }
}

fuzz_target!(|data: &[u8]| {
    let mut memory: Box<[u8; SCRATCH]> = vec![0u8; SCRATCH].into_boxed_slice().try_into().unwrap();
    let mut engine = Engine::new(&mut memory);
    let mut tape = Tape(data);
    while let Some(op) = tape.byte() {
        let code = match op % 17 {
            0 => {
                // Write raw bytes somewhere in the scratch buffer (garbage keys and states).
                let Some(at) = tape.len() else { break };
                let Some(n) = tape.byte() else { break };
                let at = at % SCRATCH;
                let end = (at + usize::from(n)).min(SCRATCH);
                let fill: Vec<u8> = (at..end).map(|i| tape.0.get(i % tape.0.len().max(1)).copied().unwrap_or(0)).collect();
                engine.scratch()[at..end].copy_from_slice(&fill);
                0
            }
            1 => match tape.len() { Some(n) => engine.prepare(n), None => break },
            2 => match (tape.keys(), tape.len(), tape.len()) { (Some(k), Some(b), Some(s)) => engine.verify(k, b, s), _ => break },
            3 => match tape.len() { Some(n) => engine.sign(n), None => break },
            4 => match tape.keys() { Some(k) => engine.stream_start(k), None => break },
            5 => match (tape.keys(), tape.len()) { (Some(k), Some(n)) => engine.stream_update(k, n), _ => break },
            6 => match (tape.keys(), tape.len()) { (Some(k), Some(n)) => engine.stream_verify(k, n), _ => break },
            7 => engine.stream_sign(),
            8..=10 => {
                engine.wipe_all();
                0
            }
            11 => match tape.len() { Some(n) => engine.sha256_hex(n), None => break },
            12 => match (tape.len(), tape.byte()) { (Some(n), Some(a)) => engine.parse_key(n, a & 1 == 1), _ => break },
            13 => match tape.len() { Some(n) => engine.redact(n), None => break },
            14 => match (tape.len(), tape.len(), tape.len()) { (Some(a), Some(b), Some(c)) => engine.check_api_key(a, b, c), _ => break },
            15 => match tape.len() { Some(n) => engine.header_shape(n), None => break },
            _ => match (tape.byte(), tape.len(), tape.len()) {
                (Some(k), Some(b), Some(s)) => engine.diagnose(usize::from(k % 6), b % (SCRATCH + 10), s % 5000),
                _ => break,
            },
        };
        // Documented codes: an index or 0/1 from 0 up to MAX_KEYS, -1 to -5, or (parse_key only)
        // minus the length of the message it wrote.
        assert!(code >= BAD_CALL || (op % 17 == 12 && code < BAD_CALL && code.unsigned_abs() as usize <= SCRATCH), "code {code}");
        assert!(code <= i32::try_from(MAX_KEYS).unwrap(), "code {code}");
    }
    // The engine still works: prepare a key, sign, verify, stream.
    let secret = b"whsec_fuzz_after";
    engine.scratch()[..secret.len()].copy_from_slice(secret);
    assert_eq!(engine.prepare(secret.len()), 0);
    let key: Vec<u8> = engine.scratch()[..KEY_LEN].to_vec();
    engine.scratch()[KEY_LEN..KEY_LEN + 2].copy_from_slice(b"{}");
    assert_eq!(engine.sign(2), 0);
    let hex = engine.scratch()[..64].to_vec();
    let mut reference = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    reference.update(b"{}");
    assert_eq!(hex, hex::encode(reference.finalize().into_bytes()).into_bytes());
    engine.scratch()[..KEY_LEN].copy_from_slice(&key);
    engine.scratch()[KEY_LEN..KEY_LEN + 2].copy_from_slice(b"{}");
    engine.scratch()[KEY_LEN + 2..KEY_LEN + 66].copy_from_slice(&hex);
    assert_eq!(engine.verify(1, 2, 64), 0);
    engine.scratch()[..KEY_LEN].copy_from_slice(&key);
    assert_eq!(engine.stream_start(1), 0);
    engine.scratch()[STATE_LEN..STATE_LEN + 2].copy_from_slice(b"{}");
    assert_eq!(engine.stream_update(1, 2), 0);
    engine.scratch()[STATE_LEN..STATE_LEN + 64].copy_from_slice(&hex);
    assert_eq!(engine.stream_verify(1, 64), 0);
});
