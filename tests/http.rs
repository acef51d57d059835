//! The `http` feature: headers read from an `http::HeaderMap`, duplicates rejected, values that
//! are not UTF-8 handled as bad bytes, never a panic.
#![cfg(feature = "http")]

use dialnexa_verify::{
    ApiKey, ApiKeyError, KeyPart, Signature, Verifier, VerifyError, SIGNATURE_HEADER,
};
use http::header::AUTHORIZATION;
use http::{HeaderMap, HeaderValue};

fn headers(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_bytes(value).expect("header value"));
    }
    map
}

#[test]
fn verify_headers_reads_one_signature_header() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let body = br#"{"event":"call.completed"}"#;
    let hex = verifier.sign(body).to_hex();
    let good = headers(&[(SIGNATURE_HEADER, hex.as_str().as_bytes())]);
    assert_eq!(verifier.verify_headers(&good, body), Ok(()));
    assert_eq!(
        verifier.verify_headers(&good, b"{}"),
        Err(VerifyError::SignatureMismatch)
    );
    // Header names are case-insensitive; HeaderMap stores them lowercase.
    let mut upper = HeaderMap::new();
    upper.insert(
        "X-DialNexa-Signature",
        HeaderValue::from_str(hex.as_str()).expect("value"),
    );
    assert_eq!(verifier.verify_headers(&upper, body), Ok(()));
    // A header value can be passed to `verify` directly, too.
    let value = good.get(SIGNATURE_HEADER).expect("header");
    assert_eq!(verifier.verify(body, value), Ok(()));
}

#[test]
fn a_missing_or_repeated_signature_header_is_rejected() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let body = b"{}";
    let hex = verifier.sign(body).to_hex();
    assert_eq!(
        verifier.verify_headers(&HeaderMap::new(), body),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        verifier.verify_headers(&headers(&[(SIGNATURE_HEADER, b"")]), body),
        Err(VerifyError::MissingSignature)
    );
    // Twice, even when both copies are right, and whichever comes first.
    let twice = headers(&[
        (SIGNATURE_HEADER, hex.as_str().as_bytes()),
        (SIGNATURE_HEADER, hex.as_str().as_bytes()),
    ]);
    assert_eq!(
        verifier.verify_headers(&twice, body),
        Err(VerifyError::MalformedSignature)
    );
    let forged_first = headers(&[
        (SIGNATURE_HEADER, &[b'0'; 64]),
        (SIGNATURE_HEADER, hex.as_str().as_bytes()),
    ]);
    assert_eq!(
        Signature::from_headers(&forged_first).unwrap_err(),
        VerifyError::MalformedSignature
    );
    // Bytes that are not UTF-8 (obs-text) are a malformed header, not a panic.
    let obs_text = headers(&[(SIGNATURE_HEADER, b"\xff\xfe")]);
    assert_eq!(
        verifier.verify_headers(&obs_text, body),
        Err(VerifyError::MalformedSignature)
    );
}

#[test]
fn api_keys_come_from_exactly_one_authorization_header() {
    let good = headers(&[(
        AUTHORIZATION.as_str(),
        b"Bearer abcdefghijklmn:123456a1b1234b",
    )]);
    let key = ApiKey::from_headers(&good).expect("key");
    assert_eq!(
        (key.key_id(), key.secret().expose()),
        ("abcdefghijklmn", "123456a1b1234b")
    );
    assert_eq!(
        ApiKey::from_headers(&HeaderMap::new()).unwrap_err(),
        ApiKeyError::MissingHeader
    );
    let twice = headers(&[
        (
            AUTHORIZATION.as_str(),
            b"Bearer abcdefghijklmn:123456a1b1234b",
        ),
        (
            AUTHORIZATION.as_str(),
            b"Bearer abcdefghijklmn:123456a1b1234b",
        ),
    ]);
    assert_eq!(
        ApiKey::from_headers(&twice).unwrap_err(),
        ApiKeyError::DuplicateHeader
    );
    for (value, expected) in [
        (&b"Basic dXNlcjpwYXNz"[..], ApiKeyError::WrongScheme),
        (b"Bearer", ApiKeyError::MissingToken),
        (b"", ApiKeyError::MissingHeader),
        (b"Bearer abc", ApiKeyError::MissingSeparator),
    ] {
        let map = headers(&[(AUTHORIZATION.as_str(), value)]);
        assert_eq!(ApiKey::from_headers(&map).unwrap_err(), expected);
    }
}

#[test]
fn a_key_that_is_not_utf8_is_a_bad_character_at_its_offset() {
    let map = headers(&[(AUTHORIZATION.as_str(), b"Bearer abc:s3cr\xe9t")]);
    let error = ApiKey::from_headers(&map).unwrap_err();
    assert_eq!(
        (error.code(), error.part(), error.position()),
        ("invalid_character", Some(KeyPart::Secret), Some(4))
    );
    let map = headers(&[(AUTHORIZATION.as_str(), b"Bearer \xffbc:secret")]);
    let error = ApiKey::from_headers(&map).unwrap_err();
    assert_eq!(
        (error.part(), error.position()),
        (Some(KeyPart::KeyId), Some(0))
    );
    // The same bytes as UTF-8 text give the same answer through `from_authorization`.
    let error = ApiKey::from_authorization("Bearer abc:s3cré").unwrap_err();
    assert_eq!(
        (error.part(), error.position()),
        (Some(KeyPart::Secret), Some(4))
    );
}
