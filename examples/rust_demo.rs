//! `cargo run --example rust_demo`: sign and verify a sample DialNexa webhook, then parse, redact
//! and check a sample API key, printing each step. Exits non-zero if a step misbehaves.

use dialnexa_verify::{
    verify_any, ApiKey, StoredKey, Verifier, VerifyError, SIGNATURE_HEADER, UNAUTHORIZED_BODY,
};

struct Report {
    failures: usize,
}

impl Report {
    fn step(&mut self, what: &str, ok: bool, detail: &str) {
        println!("  [{}] {what}: {detail}", if ok { "PASS" } else { "FAIL" });
        self.failures += usize::from(!ok);
    }
}

fn main() -> Result<(), Box<dyn core::error::Error>> {
    let mut report = Report { failures: 0 };
    let body = br#"{"event":"call.completed","call_id":"call_8f2a","duration_seconds":42}"#;

    println!("Webhooks (HMAC-SHA256 over the raw body, hex in {SIGNATURE_HEADER})");
    let current = Verifier::new(b"whsec_demo_current")?;
    let previous = Verifier::new(b"whsec_demo_previous")?;
    let header = current.sign(body).to_hex();
    println!(
        "  sender signs {} bytes -> {SIGNATURE_HEADER}: <64 hex digits>",
        body.len()
    );

    let result = current.verify(body, &header);
    report.step("signed delivery", result.is_ok(), "accepted");

    let mut tampered = body.to_vec();
    tampered[40] ^= 0x01;
    let result = current.verify(&tampered, &header);
    report.step(
        "one bit of the body flipped",
        result == Err(VerifyError::SignatureMismatch),
        &describe(result),
    );

    let result = current.verify(body, &header.as_str()[..40]);
    report.step(
        "truncated signature",
        result == Err(VerifyError::MalformedSignature),
        &describe(result),
    );

    let result = current.verify(body, "");
    report.step(
        "no signature header",
        result == Err(VerifyError::MissingSignature),
        &describe(result),
    );

    let old_header = previous.sign(body).to_hex();
    let result = verify_any([&current, &previous], body, &old_header);
    report.step(
        "signed with the previous secret during rotation",
        result == Ok(1),
        &format!("{result:?} (index of the matching secret)"),
    );

    let mut stream = current.stream();
    for chunk in body.chunks(16) {
        stream.update(chunk);
    }
    let result = stream.verify(&header);
    report.step("body fed in 16-byte chunks", result.is_ok(), "accepted");

    println!("\nAPI keys (Authorization: Bearer keyid:secret)");
    let created = ApiKey::parse("abcdefghijklmn:123456a1b1234b")?;
    let stored_hash = created.secret_hash().to_hex();
    println!("  server stores key ID `abcdefghijklmn` and SHA-256(secret), never the secret");

    let key = ApiKey::from_authorization("Bearer abcdefghijklmn:123456a1b1234b")?;
    let stored = StoredKey::from_hex("abcdefghijklmn", stored_hash.as_str())?;
    report.step(
        "good key",
        key.matches(&stored),
        &format!("{} accepted", key.redacted()),
    );

    let wrong = ApiKey::from_authorization("Bearer abcdefghijklmn:123456a1b1234c")?;
    report.step(
        "wrong secret",
        !wrong.matches(&stored),
        &format!("{} -> 401 {UNAUTHORIZED_BODY}", wrong.redacted()),
    );

    let other = ApiKey::from_authorization("Bearer someone-else:123456a1b1234b")?;
    report.step(
        "right secret under another key ID",
        !other.matches(&stored),
        &format!("{} -> 401", other.redacted()),
    );

    for (what, header) in [
        ("malformed key", "Bearer abcdefghijklmn"),
        ("another scheme", "Basic dXNlcjpwYXNz"),
        ("missing header", ""),
    ] {
        let result = ApiKey::from_authorization(header);
        let detail = match &result {
            Ok(_) => "accepted".to_owned(),
            Err(e) => format!("{} ({e}) -> 401", e.code()),
        };
        report.step(what, result.is_err(), &detail);
    }
    println!("  Debug output of a parsed key: {key:?}");

    println!();
    if report.failures == 0 {
        println!("PASS: every step behaved as documented");
        Ok(())
    } else {
        Err(format!("FAIL: {} step(s) misbehaved", report.failures).into())
    }
}

fn describe(result: Result<(), VerifyError>) -> String {
    match result {
        Ok(()) => "accepted".to_owned(),
        Err(e) => format!("rejected, {} ({e})", e.code()),
    }
}
