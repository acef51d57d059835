//! The exact `Debug` and `Display` text of every public type and error: redacted where a secret
//! or a derived value is held, fixed and complete everywhere. Exact comparisons fail on any
//! change, whether it prints a secret or prints nothing.

use dialnexa_verify::{
    redact, ApiKey, ApiKeyError, HexError, KeyPart, SecretError, SecretHash, StoredKey, Verifier,
    VerifyError,
};

#[test]
fn secret_holding_types_print_redacted_forms() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let signature = verifier.sign(b"{}");
    let hash = SecretHash::of(b"123456a1b1234b");
    let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b").expect("key");
    let cases: [(String, &str); 10] = [
        (format!("{verifier:?}"), "Verifier { .. }"),
        (format!("{verifier:#?}"), "Verifier { .. }"),
        (format!("{:?}", verifier.stream()), "WebhookStream { .. }"),
        (format!("{signature:?}"), "Signature(****)"),
        (format!("{:?}", signature.to_hex()), "HexDigest(****)"),
        (format!("{hash:?}"), "SecretHash(****)"),
        (format!("{:?}", key.secret()), "SecretStr(****)"),
        (
            format!("{key:?}"),
            r#"ApiKey { key_id: "abcdefghijklmn", secret: SecretStr(****) }"#,
        ),
        (
            format!("{:?}", key.to_stored()),
            r#"StoredKey { key_id: "abcdefghijklmn", secret_hash: SecretHash(****) }"#,
        ),
        (
            format!("{:?}", redact("abcdefghijklmn:123456a1b1234b")),
            r#"Redacted { key_id: Some("abcdefghijklmn") }"#,
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    let stored = StoredKey::new("abcdefghijklmn", hash);
    assert_eq!(
        format!("{stored:#?}"),
        "StoredKey {\n    key_id: \"abcdefghijklmn\",\n    secret_hash: SecretHash(****),\n}"
    );
}

#[test]
fn every_error_has_its_fixed_message_and_code() {
    let verify = [
        (
            VerifyError::MissingSignature,
            "missing_signature",
            "the webhook signature header is missing or empty",
        ),
        (
            VerifyError::MalformedSignature,
            "malformed_signature",
            "the webhook signature header is not 64 hexadecimal digits (optionally prefixed by `sha256=`)",
        ),
        (
            VerifyError::SignatureMismatch,
            "signature_mismatch",
            "the webhook signature does not match the payload",
        ),
        (
            VerifyError::NoSecrets,
            "no_secrets",
            "no webhook secret is configured: verify_any needs at least one verifier",
        ),
    ];
    for (error, code, message) in verify {
        assert_eq!((error.code(), error.to_string().as_str()), (code, message));
    }
    let secret = SecretError::Empty;
    assert_eq!(secret.code(), "empty_webhook_secret");
    assert_eq!(
        secret.to_string(),
        "the webhook secret is empty: pass the secret registered with the webhook"
    );
    assert_eq!(format!("{secret:?}"), "Empty");
    let hex = [
        (
            HexError::WrongLength,
            "wrong_hex_length",
            "the value is not 64 hexadecimal digits long",
        ),
        (
            HexError::InvalidDigit,
            "invalid_hex_digit",
            "the value has a character that is not a hexadecimal digit",
        ),
    ];
    for (error, code, message) in hex {
        assert_eq!((error.code(), error.to_string().as_str()), (code, message));
    }
    let api_key = [
        (ApiKeyError::Empty, "empty_key", "the API key is empty"),
        (
            ApiKeyError::MissingSeparator,
            "missing_separator",
            "the API key has no `:`: expected `keyid:secret`",
        ),
        (
            ApiKeyError::TooManySeparators,
            "too_many_separators",
            "the API key has more than one `:`: expected `keyid:secret`",
        ),
        (
            ApiKeyError::EmptyKeyId,
            "empty_key_id",
            "the API key has no key ID before the `:`",
        ),
        (
            ApiKeyError::EmptySecret,
            "empty_secret",
            "the API key has no secret after the `:`",
        ),
        (
            ApiKeyError::StartsWithBearer,
            "starts_with_bearer",
            "the API key starts with `Bearer `: pass only `keyid:secret`, or parse the whole header as an Authorization header",
        ),
        (
            ApiKeyError::MissingHeader,
            "missing_header",
            "the Authorization header is missing or empty",
        ),
        (
            ApiKeyError::WrongScheme,
            "wrong_scheme",
            "the Authorization header does not use the Bearer scheme: expected `Bearer keyid:secret`",
        ),
        (
            ApiKeyError::MissingToken,
            "missing_token",
            "the Authorization header says `Bearer` but has no API key after it",
        ),
        (
            ApiKeyError::DuplicateHeader,
            "duplicate_header",
            "the request has more than one Authorization header",
        ),
    ];
    for (error, code, message) in api_key {
        assert_eq!((error.code(), error.to_string().as_str()), (code, message));
    }
    assert_eq!(KeyPart::KeyId.to_string(), "key ID");
    assert_eq!(KeyPart::Secret.to_string(), "secret");
}

#[test]
fn codes_are_unique_across_every_error_type() {
    let mut codes = vec![
        VerifyError::MissingSignature.code(),
        VerifyError::MalformedSignature.code(),
        VerifyError::SignatureMismatch.code(),
        VerifyError::NoSecrets.code(),
        SecretError::Empty.code(),
        HexError::WrongLength.code(),
        HexError::InvalidDigit.code(),
    ];
    let too_long = format!("{}:s", "k".repeat(300));
    for input in [
        "",
        "a",
        "a:b:c",
        ":b",
        "a:",
        "a!:b",
        "Bearer a:b",
        &too_long,
    ] {
        codes.push(ApiKey::parse(input).unwrap_err().code());
    }
    for input in ["", "Basic x", "Bearer "] {
        codes.push(ApiKey::from_authorization(input).unwrap_err().code());
    }
    codes.push(ApiKeyError::DuplicateHeader.code());
    let total = codes.len();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), total, "{codes:?}");
}
