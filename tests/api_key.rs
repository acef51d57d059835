//! Table tests for API keys and `Authorization` headers: every error variant, the spec's examples,
//! and the rule that no message or `Debug` output contains any part of a key.

use dialnexa_verify::{
    check_api_key, redact, ApiKey, ApiKeyError, HexError, KeyPart, SecretHash, StoredKey,
    MAX_PART_LEN, UNAUTHORIZED_BODY,
};

const SECRET_FRAGMENT: &str = "s3cr3tPART";

fn long(n: usize) -> String {
    "k".repeat(n)
}

/// The `TooLong` error for `part` (a `#[non_exhaustive]` variant, so only the parser makes one),
/// checked field by field.
fn too_long(part: KeyPart) -> ApiKeyError {
    let over = long(MAX_PART_LEN + 1);
    let input = match part {
        KeyPart::KeyId => format!("{over}:s"),
        KeyPart::Secret => format!("k:{over}"),
    };
    let error = ApiKey::parse(&input).expect_err("malformed on purpose");
    assert!(matches!(error, ApiKeyError::TooLong { part: p, .. } if p == part));
    assert_eq!((error.part(), error.position()), (Some(part), None));
    error
}

/// The `InvalidCharacter` error for `part` at `position`, checked field by field.
fn invalid(part: KeyPart, position: usize) -> ApiKeyError {
    let bad = format!("{}!", long(position));
    let input = match part {
        KeyPart::KeyId => format!("{bad}:s"),
        KeyPart::Secret => format!("k:{bad}"),
    };
    let error = ApiKey::parse(&input).expect_err("malformed on purpose");
    assert!(matches!(
        error,
        ApiKeyError::InvalidCharacter { part: p, position: at, .. } if p == part && at == position
    ));
    assert_eq!(
        (error.part(), error.position()),
        (Some(part), Some(position))
    );
    error
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
        (long_id, too_long(KeyPart::KeyId)),
        (long_secret, too_long(KeyPart::Secret)),
        (
            format!("ab cd:{SECRET_FRAGMENT}"),
            invalid(KeyPart::KeyId, 2),
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}\u{0}"),
            invalid(KeyPart::Secret, SECRET_FRAGMENT.len()),
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}é"),
            invalid(KeyPart::Secret, SECRET_FRAGMENT.len()),
        ),
        (
            format!("abcd:{SECRET_FRAGMENT}\"x"),
            invalid(KeyPart::Secret, SECRET_FRAGMENT.len()),
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
        ("Bearer abcd:s3cr3tPART extra", invalid(KeyPart::Secret, 10)),
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
        too_long(KeyPart::KeyId),
        invalid(KeyPart::Secret, 3),
        ApiKeyError::StartsWithBearer,
        ApiKeyError::MissingHeader,
        ApiKeyError::WrongScheme,
        ApiKeyError::MissingToken,
        ApiKeyError::DuplicateHeader,
    ];
    let mut codes: Vec<&str> = all.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len());
    // `empty` alone was ambiguous next to the webhook secret's error.
    assert_eq!(ApiKeyError::Empty.code(), "empty_key");
    for error in all {
        assert!(error.to_string().starts_with("the "), "{error:?}");
        if !matches!(
            error,
            ApiKeyError::TooLong { .. } | ApiKeyError::InvalidCharacter { .. }
        ) {
            assert_eq!((error.part(), error.position()), (None, None), "{error:?}");
        }
    }
    assert_eq!(
        invalid(KeyPart::Secret, 3).to_string(),
        "the API key's secret has a character outside `A-Z a-z 0-9 - . _ ~ + / =` at byte 3"
    );
    assert_eq!(
        too_long(KeyPart::KeyId).to_string(),
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
fn stored_key_checks() {
    let hash = SecretHash::of(SECRET_FRAGMENT.as_bytes());
    let hex = hash.to_hex();
    // SHA-256 as computed by Python's hashlib.
    assert_eq!(
        hex.as_str(),
        "b200bbe7d9720269af8d74c3bab15dcb2791941131c13897ed5588acbfe4cd60"
    );
    let stored = StoredKey::from_hex("abcd", hex.as_str()).unwrap();
    assert_eq!(stored.key_id(), "abcd");
    assert_eq!(stored.secret_hash(), &hash);
    let key = format!("abcd:{SECRET_FRAGMENT}");
    assert!(check_api_key(&key, &stored));
    assert_eq!(
        ApiKey::parse(&key).unwrap().to_stored().secret_hash(),
        &hash
    );
    let upper = StoredKey::from_hex("abcd", &format!(" {}\n", hex.as_str().to_ascii_uppercase()));
    assert!(check_api_key(&format!(" {key}\n"), &upper.unwrap()));
    assert!(!check_api_key(&format!("abcd:{SECRET_FRAGMENT}x"), &stored));
    assert!(!check_api_key("", &stored));
    assert!(!check_api_key(&format!("Bearer {key}"), &stored));
    assert_eq!(
        StoredKey::from_hex("abcd", &hex.as_str()[..63]).unwrap_err(),
        HexError::WrongLength
    );
    assert_eq!(
        StoredKey::from_hex("abcd", "").unwrap_err(),
        HexError::WrongLength
    );
    let mut bad = hex.as_str().to_owned();
    bad.replace_range(10..11, "x");
    assert_eq!(
        StoredKey::from_hex("abcd", &bad).unwrap_err(),
        HexError::InvalidDigit
    );

    let parsed = ApiKey::parse(&key).unwrap();
    assert!(parsed.matches_secret(SECRET_FRAGMENT.as_bytes()));
    assert!(!parsed.matches_secret(b""));
    assert!(!parsed.matches_secret(&SECRET_FRAGMENT.as_bytes()[..9]));
    assert!(parsed.matches_hash(&hash));
    assert!(!parsed.matches_hash(&SecretHash::of(b"other")));
}

/// Issue #14 item 9: the key ID is bound into the check, so another key's record (or a record
/// looked up by the wrong ID) never accepts a secret, even the right one.
#[test]
fn the_key_id_is_part_of_the_check() {
    let stored = ApiKey::parse("abcdefghijklmn:123456a1b1234b")
        .unwrap()
        .to_stored();
    assert!(check_api_key("abcdefghijklmn:123456a1b1234b", &stored));
    for other_id in [
        "someone-else",
        "abcdefghijklmN",
        "abcdefghijklm",
        "abcdefghijklmno",
        "x",
    ] {
        let presented = format!("{other_id}:123456a1b1234b");
        assert!(!check_api_key(&presented, &stored), "{other_id}");
        assert!(
            !ApiKey::parse(&presented).unwrap().matches(&stored),
            "{other_id}"
        );
        // The secret alone would have matched: that is what `matches_hash` checks.
        assert!(ApiKey::parse(&presented)
            .unwrap()
            .matches_hash(stored.secret_hash()));
    }
    // Neither part alone is enough.
    let wrong_both = StoredKey::new("someone-else", SecretHash::of(b"other-secret"));
    assert!(!check_api_key("abcdefghijklmn:123456a1b1234b", &wrong_both));
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

#[test]
fn redaction_shows_exactly_a_well_formed_key_id() {
    let cases = [
        ("abcd:s3cr3tPART", Some("abcd")),
        ("  Bearer abcd:s3cr3tPART\n", Some("abcd")),
        ("bearer    abcd:s3cr3tPART", Some("abcd")),
        // Only the Bearer scheme is skipped: after any other, the "key ID" has a space.
        ("Basic abcd:s3cr3tPART", None),
        ("Token abcd:s3cr3tPART", None),
        ("s3cr3tPART", None),
        (":s3cr3tPART", None),
        ("bad id!:s3cr3tPART", None),
        ("", None),
    ];
    for (input, key_id) in cases {
        let redacted = redact(input);
        assert_eq!(redacted.key_id(), key_id, "{input:?}");
        let shown = key_id.map_or("****".to_owned(), |id| format!("{id}:****"));
        assert_eq!(redacted.to_string(), shown, "{input:?}");
    }
}

#[test]
fn secret_hashes_compare_by_value() {
    let a = SecretHash::of(b"123456a1b1234b");
    assert_eq!(a, SecretHash::of(b"123456a1b1234b"));
    assert_ne!(a, SecretHash::of(b"123456a1b1234c"));
    assert_eq!(SecretHash::from(*a.as_bytes()), a);
    let mut bytes = *a.as_bytes();
    bytes[31] ^= 1;
    assert_ne!(SecretHash::from(bytes), a);
    assert_eq!(SecretHash::try_from(a.as_ref()).ok(), Some(a.clone()));
    assert!(SecretHash::try_from(&a.as_bytes()[..31]).is_err());
    assert_eq!(a.to_hex().as_str().parse::<SecretHash>(), Ok(a.clone()));
}
