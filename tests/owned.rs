//! The `alloc` feature: `OwnedApiKey` outlives the header it was parsed from and can go into
//! request extensions.
#![cfg(feature = "alloc")]

use dialnexa_verify::{ApiKey, ApiKeyError, OwnedApiKey, SecretHash, StoredKey};

fn is_extension<T: Clone + Send + Sync + 'static>(_: &T) {}

#[test]
fn an_owned_key_keeps_both_parts() {
    let owned = {
        let header = String::from("Bearer abcdefghijklmn:123456a1b1234b\r\n");
        OwnedApiKey::from(ApiKey::from_authorization(&header).expect("key"))
    };
    is_extension(&owned);
    assert_eq!(owned.key_id(), "abcdefghijklmn");
    assert_eq!(owned.secret().expose(), "123456a1b1234b");
    assert_eq!(owned.as_key().key_id(), "abcdefghijklmn");
    assert_eq!(owned.as_key().secret().expose(), "123456a1b1234b");
    assert_eq!(owned.redacted().to_string(), "abcdefghijklmn:****");
    assert_eq!(
        format!("{owned:?}"),
        r#"OwnedApiKey { key_id: "abcdefghijklmn", secret: SecretStr(****) }"#
    );
    let stored = StoredKey::new("abcdefghijklmn", SecretHash::of(b"123456a1b1234b"));
    assert!(owned.matches(&stored));
    assert!(owned.clone().matches(&stored));
    assert!(!owned.matches(&StoredKey::new("abcdefghijklmn", SecretHash::of(b"other"))));
    assert!(!owned.matches(&StoredKey::new("other", SecretHash::of(b"123456a1b1234b"))));
}

#[test]
fn parsing_an_owned_key_has_the_borrowed_errors() {
    let owned: OwnedApiKey = " a:b ".parse().expect("key");
    assert_eq!((owned.key_id(), owned.secret().expose()), ("a", "b"));
    assert_eq!(
        "a".parse::<OwnedApiKey>().unwrap_err(),
        ApiKeyError::MissingSeparator
    );
    assert_eq!("".parse::<OwnedApiKey>().unwrap_err(), ApiKeyError::Empty);
}
