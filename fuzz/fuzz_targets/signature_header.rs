//! `Verifier::verify` with an arbitrary header (and body, and secret): never panics, and agrees
//! with a plain reference reading of the header rules and a reference HMAC.
#![no_main]

use dialnexa_verify::{verify_any, Verifier, VerifyError};
use hmac::{Hmac, KeyInit, Mac};
use libfuzzer_sys::fuzz_target;
use sha2::Sha256;

/// The header rules written the obvious way: trim ASCII whitespace, drop one `sha256=` (any
/// case), then exactly 64 hex digits.
fn reference(header: &[u8]) -> Result<Vec<u8>, VerifyError> {
    let value = header.trim_ascii();
    if value.is_empty() {
        return Err(VerifyError::MissingSignature);
    }
    let digits = if value.len() >= 7 && value[..7].eq_ignore_ascii_case(b"sha256=") { &value[7..] } else { value };
    if digits.len() != 64 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(VerifyError::MalformedSignature);
    }
    Ok(digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect())
}

fuzz_target!(|input: (Vec<u8>, Vec<u8>, Vec<u8>, bool)| {
    let (secret, body, header, use_real_tag) = input;
    let Ok(verifier) = Verifier::new(&secret) else {
        assert!(secret.is_empty());
        return;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
    mac.update(&body);
    let tag = mac.finalize().into_bytes().to_vec();
    // Half the time, splice the real tag into the header so that acceptance is exercised too.
    let header = if use_real_tag {
        let mut h = header.clone();
        let at = h.len() / 2;
        h.splice(at..at, hex::encode(&tag).into_bytes());
        h
    } else {
        header
    };
    let expected = reference(&header).and_then(|bytes| if bytes == tag { Ok(()) } else { Err(VerifyError::SignatureMismatch) });
    assert_eq!(verifier.verify(&body, &header), expected);
    let other = Verifier::new(b"another secret").unwrap();
    assert_eq!(verify_any(&[other, verifier], &body, &header), expected.map(|()| 1));
});
