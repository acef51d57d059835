//! `diagnose` on arbitrary secrets, bodies and headers: never panics, says `none` exactly when
//! `Verifier::verify` accepts (with the same secret index), names a secret only for the causes
//! that a matching tag proves, and finds the mistakes it is built from a correct delivery.
//!
//! Input layout (so that seeds can be written by hand): a mode byte, a secret count, each secret
//! as a length byte and its bytes, the body as a big-endian `u16` length and its bytes, and the
//! rest as the header. Missing bytes read as empty.
#![no_main]

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use dialnexa_verify::{diagnose, Cause, Diagnosis, Verifier, MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_SECRETS};
use libfuzzer_sys::fuzz_target;

fn take(data: &[u8], n: usize) -> (&[u8], &[u8]) {
    data.split_at(n.min(data.len()))
}

fn parse(data: &[u8]) -> (u8, Vec<&[u8]>, &[u8], &[u8]) {
    let (mode, rest) = take(data, 1);
    let (count, mut rest) = take(rest, 1);
    let mut secrets = Vec::new();
    for _ in 0..count.first().copied().unwrap_or(0) {
        let (len, after) = take(rest, 1);
        let (secret, after) = take(after, usize::from(len.first().copied().unwrap_or(0)));
        secrets.push(secret);
        rest = after;
    }
    let (len, rest) = take(rest, 2);
    let len = len.iter().fold(0usize, |n, &b| n << 8 | usize::from(b));
    let (body, header) = take(rest, len);
    (mode.first().copied().unwrap_or(0), secrets, body, header)
}

/// The causes reported with the index of the secret whose tag matched.
fn proven(cause: Cause) -> bool {
    !matches!(
        cause,
        Cause::BodyEmpty
            | Cause::BodyNotUtf8
            | Cause::HeaderOtherAlgorithm
            | Cause::HeaderUnkeyed
            | Cause::HeaderOtherScheme
            | Cause::HeaderMissing
            | Cause::HeaderMalformed
            | Cause::Unknown
    )
}

fn check(diagnosis: Diagnosis, secrets: &[&[u8]], body: &[u8], header: &[u8]) {
    let tried = &secrets[..secrets.len().min(MAX_DIAGNOSIS_SECRETS)];
    let verified = tried
        .iter()
        .position(|s| Verifier::new(s).is_ok_and(|v| v.verify(body, header).is_ok()));
    assert_eq!(diagnosis.cause == Cause::None, verified.is_some());
    if diagnosis.cause == Cause::None {
        assert_eq!(diagnosis.secret, verified);
    }
    assert_eq!(diagnosis.secret.is_some(), proven(diagnosis.cause), "{diagnosis:?}");
    assert!(diagnosis.secret.is_none_or(|i| i < tried.len()));
    assert!(!diagnosis.cause.code().is_empty() && !diagnosis.cause.hint().is_empty());
}

fuzz_target!(|data: &[u8]| {
    let (mode, secrets, body, header) = parse(data);
    let diagnosis = diagnose(&secrets, body, header);
    check(diagnosis, &secrets, body, header);

    let tried = &secrets[..secrets.len().min(MAX_DIAGNOSIS_SECRETS)];
    let Some(signer) = tried.get(usize::from(mode >> 2) % tried.len().max(1)) else { return };
    let Ok(verifier) = Verifier::new(signer) else { return };
    let tag = verifier.sign(body);
    match mode & 3 {
        // Signed by one of the secrets: `none`, with the first secret that verifies.
        1 => {
            let header = hex::encode(tag.as_bytes());
            let diagnosis = diagnose(&secrets, body, header.as_bytes());
            assert_eq!(diagnosis.cause, Cause::None);
            check(diagnosis, &secrets, body, header.as_bytes());
        }
        // The tag in base64: `header_base64`, with the first secret whose tag it is.
        2 => {
            let header = STANDARD.encode(tag.as_bytes());
            let diagnosis = diagnose(&secrets, body, header.as_bytes());
            let first = tried.iter().position(|s| {
                Verifier::new(s).is_ok_and(|v| v.sign(body).as_bytes() == tag.as_bytes())
            });
            assert_eq!((diagnosis.cause, diagnosis.secret), (Cause::HeaderBase64, first));
        }
        // The secret with a `.env` newline: `secret_whitespace`, unless the secret already had
        // surrounding whitespace or the body is empty or above the cap (no variants).
        3 => {
            if signer.trim_ascii() == *signer && !body.is_empty() && body.len() <= MAX_DIAGNOSIS_BODY {
                let given = [signer, &b"\n"[..]].concat();
                let header = hex::encode(tag.as_bytes());
                let diagnosis = diagnose(&[&given], body, header.as_bytes());
                assert_eq!((diagnosis.cause, diagnosis.secret), (Cause::SecretWhitespace, Some(0)));
            }
        }
        _ => {}
    }
});
