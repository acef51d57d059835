//! Table tests for API keys and `Authorization` headers: every error variant, the spec's examples,
//! and the rule that no message or `Debug` output contains any part of a key.

use dialnexa_verify::{
    check_api_key, redact, ApiKey, ApiKeyError, KeyPart, SecretHash, MAX_PART_LEN,
    UNAUTHORIZED_BODY,
};

const SECRET_FRAGMENT: &str = "s3cr3tPART";

fn long(n: usize) -> String {
    "k".repeat(n)
}

#[test]
fn spec_examples_parse() {
    let key = ApiKey::parse("abcdefghijklmn:123456a1b1234b").unwrap();
    assert_eq!(key.key_id(), "abcdefghijklmn");
    assert_eq!(key.secret().expose(), "123456a1b1234b");
    let key = ApiKey::from_authorization("Bearer abcdefghijklmn:123456a1b1234b").unwrap();
    assert_eq!(key.key_id(), "abcdefghijklmn");
    // The spec's placeholders and bare IDs are not keys.
    assert_eq!(
        ApiKey::parse("YOUR_API_KEY").unwrap_err(),
        ApiKeyError::MissingSeparator
    );
    assert_eq!(
        ApiKey::parse("abcgvvzzlrbnqy").unwrap_err(),
        ApiKeyError::MissingSeparator
    );
    assert_eq!(
        ApiKey::from_authorization("Bearer YOUR_API_KEY").unwrap_err(),
        ApiKeyError::MissingSeparator
    );
}

#[test]
fn parse_error_table() {
    let at_limit = format!("{}:{}", long(MAX_PART_LEN), long(MAX_PART_LEN));
    assert!(ApiKey::parse(&at_limit).is_ok());
    let long_id = format!("{}:{SECRET_FRAGMENT}", long(MAX_PART_LEN + 1));
    let long_secret = format!("id:{SECRET_FRAGMENT}{}", long(MAX_PART_LEN));
    let cases: Vec<(String, ApiKeyError)> = vec![
        (String::new(), ApiKeyError::Empty),
        (" \r\n\t".into(), ApiKeyError::Empty),
        (SECRET_FRAGMENT.into(), ApiKeyError::MissingSeparator),
        (
            format!("id:{SECRET_FRAGMENT}:x"),
            ApiKeyError::TooManySeparators,
        ),
        (
            format!("id::{SECRET_FRAGMENT}"),
            ApiKeyError::TooManySeparators,
        ),
        (format!(":{SECRET_FRAGMENT}"), ApiKeyError::EmptyKeyId),
        ("abcdefghijklmn:".into(), ApiKeyError::EmptySecret),
        (":".into(), ApiKeyError::EmptyKeyId),
        (
            long_id,
            ApiKeyError::TooLong {
                part: KeyPart::KeyId,
            },
        ),
        (
            long_secret,
            ApiKeyError::TooLong {
                part: KeyPart::Secret,
            },
        ),
        (
            format!("ab cd:{SECRET_FRAGMENT}"),
            ApiKeyError::InvalidCharacter {
                part: KeyPart::KeyId,
                position: 2,
            },
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}\u{0}"),
            ApiKeyError::InvalidCharacter {
                part: KeyPart::Secret,
                position: SECRET_FRAGMENT.len(),
            },
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}é"),
            ApiKeyError::InvalidCharacter {
                part: KeyPart::Secret,
                position: SECRET_FRAGMENT.len(),
            },
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}\"x"),
            ApiKeyError::InvalidCharacter {
                part: KeyPart::Secret,
                position: SECRET_FRAGMENT.len(),
            },
        ),
        (
            format!("Bearer abcd:{SECRET_FRAGMENT}"),
            ApiKeyError::StartsWithBearer,
        ),
        (
            format!("bearer\tabcd:{SECRET_FRAGMENT}"),
            ApiKeyError::StartsWithBearer,
        ),
        (
            format!("BEARER abcd:{SECRET_FRAGMENT}"),
            ApiKeyError::StartsWithBearer,
        ),
    ];
    for (input, expected) in &cases {
        let err = ApiKey::parse(input).unwrap_err();
        assert_eq!(&err, expected, "{input:?}");
        assert_no_fragment(&err.to_string());
        assert_no_fragment(&format!("{err:?}"));
    }
    // `Bearer:` without a space is an ordinary key ID.
    assert_eq!(ApiKey::parse("Bearer:x").unwrap().key_id(), "Bearer");
}

#[test]
fn authorization_error_table() {
    let cases: Vec<(&str, ApiKeyError)> = vec![
        ("", ApiKeyError::MissingHeader),
        ("   ", ApiKeyError::MissingHeader),
        ("Bearer", ApiKeyError::MissingToken),
        ("bearer   ", ApiKeyError::MissingToken),
        ("Basic dXNlcjpwYXNz", ApiKeyError::WrongScheme),
        ("Token abcd:s3cr3tPART", ApiKeyError::WrongScheme),
        ("abcd:s3cr3tPART", ApiKeyError::WrongScheme),
        ("Bearer\tabcd:s3cr3tPART", ApiKeyError::WrongScheme),
        ("Bearerabcd:s3cr3tPART", ApiKeyError::WrongScheme),
        (
            "Bearer Bearer abcd:s3cr3tPART",
            ApiKeyError::StartsWithBearer,
        ),
        ("Bearer abcd", ApiKeyError::MissingSeparator),
        ("Bearer abcd:s3cr3tPART:x", ApiKeyError::TooManySeparators),
        ("Bearer :s3cr3tPART", ApiKeyError::EmptyKeyId),
        ("Bearer abcd:", ApiKeyError::EmptySecret),
        (
            "Bearer abcd:s3cr3tPART extra",
            ApiKeyError::InvalidCharacter {
                part: KeyPart::Secret,
                position: 10,
            },
        ),
    ];
    for (input, expected) in cases {
        let err = ApiKey::from_authorization(input).unwrap_err();
        assert_eq!(err, expected, "{input:?}");
        assert_no_fragment(&err.to_string());
    }
    for ok in [
        "Bearer abcd:s3cr3tPART",
        "bearer abcd:s3cr3tPART",
        "BEARER    abcd:s3cr3tPART",
        "  Bearer abcd:s3cr3tPART\r\n",
    ] {
        let key = ApiKey::from_authorization(ok).unwrap();
        assert_eq!(
            (key.key_id(), key.secret().expose()),
            ("abcd", SECRET_FRAGMENT),
            "{ok:?}"
        );
    }
}

#[test]
fn every_variant_has_a_distinct_code_and_a_fixed_message() {
    let all = [
        ApiKeyError::Empty,
        ApiKeyError::MissingSeparator,
        ApiKeyError::TooManySeparators,
        ApiKeyError::EmptyKeyId,
        ApiKeyError::EmptySecret,
        ApiKeyError::TooLong {
            part: KeyPart::KeyId,
        },
        ApiKeyError::InvalidCharacter {
            part: KeyPart::Secret,
            position: 3,
        },
        ApiKeyError::StartsWithBearer,
        ApiKeyError::MissingHeader,
        ApiKeyError::WrongScheme,
        ApiKeyError::MissingToken,
    ];
    let mut codes: Vec<&str> = all.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    assert_eq!(
        ApiKeyError::InvalidCharacter {
            part: KeyPart::Secret,
            position: 3
        }
        .to_string(),
        "the API key's secret has a character outside `A-Z a-z 0-9 - . _ ~ + / =` at byte 3"
    );
    assert_eq!(
        ApiKeyError::TooLong {
            part: KeyPart::KeyId
        }
        .to_string(),
        "the API key's key ID is longer than 256 bytes"
    );
}

#[test]
fn debug_and_redacted_forms_hide_the_secret() {
    let text = format!("abcd:{SECRET_FRAGMENT}");
    let key = ApiKey::parse(&text).unwrap();
    let outputs = [
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{:?}", key.secret()),
        key.redacted().to_string(),
        format!("{:?}", key.redacted()),
        format!("{:?}", key.secret_hash()),
        redact(&text).to_string(),
        redact(&format!("Bearer {text}")).to_string(),
        redact(SECRET_FRAGMENT).to_string(),
        redact(&format!("{SECRET_FRAGMENT} x:y")).to_string(),
        redact(&format!("bad id!:{SECRET_FRAGMENT}")).to_string(),
    ];
    for output in &outputs {
        assert_no_fragment(output);
    }
    assert_eq!(key.redacted().to_string(), "abcd:****");
    assert_eq!(
        redact(&format!("bad id!:{SECRET_FRAGMENT}")).to_string(),
        "****"
    );
}

#[test]
fn stored_hash_checks() {
    let stored = SecretHash::of(SECRET_FRAGMENT.as_bytes());
    let hex = stored.to_hex();
    // SHA-256 as computed by Python's hashlib.
    assert_eq!(
        hex.as_str(),
        "b200bbe7d9720269af8d74c3bab15dcb2791941131c13897ed5588acbfe4cd60"
    );
    let key = format!("abcd:{SECRET_FRAGMENT}");
    assert!(check_api_key(&key, hex.as_str()));
    assert!(check_api_key(
        &format!(" {key}\n"),
        &hex.as_str().to_ascii_uppercase()
    ));
    assert!(!check_api_key(
        &format!("abcd:{SECRET_FRAGMENT}x"),
        hex.as_str()
    ));
    assert!(!check_api_key(&key, &hex.as_str()[..63]));
    assert!(!check_api_key(&key, ""));
    assert!(!check_api_key("", hex.as_str()));
    assert!(!check_api_key(&format!("Bearer {key}"), hex.as_str()));
    let parsed = ApiKey::parse(&key).unwrap();
    assert!(parsed.matches_secret(SECRET_FRAGMENT.as_bytes()));
    assert!(!parsed.matches_secret(b""));
    assert!(!parsed.matches_secret(&SECRET_FRAGMENT.as_bytes()[..9]));
}

#[test]
fn unauthorized_body_is_the_spec_json() {
    assert_eq!(
        UNAUTHORIZED_BODY,
        r#"{"statusCode":401,"message":"Unauthorized","error":"Unauthorized"}"#
    );
}

fn assert_no_fragment(text: &str) {
    for window in 4..=SECRET_FRAGMENT.len() {
        for start in 0..=SECRET_FRAGMENT.len() - window {
            let fragment = &SECRET_FRAGMENT[start..start + window];
            assert!(!text.contains(fragment), "{text:?} contains {fragment:?}");
        }
    }
}
