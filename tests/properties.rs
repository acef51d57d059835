//! Property tests: round trips, streaming equivalence, and "never panics" on arbitrary input.
#![cfg(not(target_arch = "wasm32"))]

use dialnexa_verify::{
    check_api_key, redact, verify_any, ApiKey, ApiKeyError, SecretHash, Signature, StoredKey,
    Verifier, VerifyError,
};
use proptest::prelude::*;

/// A valid key part: 1 to 256 bytes of the documented character set.
const PART: &str = "[A-Za-z0-9._~+/=-]{1,256}";

/// The exact `Debug` text of a key: the key ID and nothing of the secret. Comparing whole texts
/// (rather than searching for the secret, which may be one character that also occurs in
/// `ApiKey`) fails on any change that prints a secret byte.
fn expected_debug(key_id: &str) -> String {
    format!("ApiKey {{ key_id: {key_id:?}, secret: SecretStr(****) }}")
}

/// Every error message the crate can produce, with digits removed (a byte offset is the only
/// variable part of a message). A message that echoed any of the input would not be in this list.
/// Every error's message and `Debug` form, digits removed: the fixed texts an error may show.
fn message_templates() -> Vec<String> {
    let long = "k".repeat(300);
    let inputs = [
        String::new(),
        "abc".into(),
        "a:b:c".into(),
        ":b".into(),
        "a:".into(),
        format!("{long}:s"),
        format!("k:{long}"),
        "a!:b".into(),
        "a:b!".into(),
        "Bearer a:b".into(),
    ];
    let mut errors: Vec<ApiKeyError> = inputs
        .iter()
        .filter_map(|i| ApiKey::parse(i).err())
        .collect();
    errors.extend(
        ["", "Basic x", "Bearer "]
            .iter()
            .filter_map(|i| ApiKey::from_authorization(i).err()),
    );
    errors.push(ApiKeyError::DuplicateHeader);
    assert_eq!(errors.len(), 14);
    errors
        .iter()
        .flat_map(|e| {
            [
                without_digits(&e.to_string()),
                without_digits(&format!("{e:?}")),
            ]
        })
        .collect()
}

fn without_digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// The record a lax parser would look up for `input`: the text before the first `:` as the key
/// ID, everything after it as the secret. A malformed key must not match even that.
fn lax_record(input: &str) -> (String, SecretHash) {
    let text = input.trim_ascii();
    let text = text.strip_prefix("Bearer ").unwrap_or(text);
    let (key_id, secret) = text.split_once(':').unwrap_or(("", text));
    (key_id.to_owned(), SecretHash::of(secret.as_bytes()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn hmac_equals_the_hmac_crate(secret in prop::collection::vec(any::<u8>(), 1..300),
                                  payload in prop::collection::vec(any::<u8>(), 0..3000),
                                  cut in any::<prop::sample::Index>()) {
        use hmac::{KeyInit, Mac};
        let mut reference = hmac::Hmac::<sha2::Sha256>::new_from_slice(&secret).unwrap();
        reference.update(&payload);
        let expected = reference.finalize().into_bytes();
        let verifier = Verifier::new(&secret).unwrap();
        prop_assert_eq!(verifier.sign(&payload).as_bytes().to_vec(), expected.to_vec());

        // The npm engine's round trips: a prepared key, and a stream paused at any point.
        let restored = Verifier::from_prepared_key(&verifier.prepared_key());
        prop_assert_eq!(restored.sign(&payload).as_bytes().to_vec(), expected.to_vec());
        let at = cut.index(payload.len() + 1);
        let mut stream = verifier.stream();
        stream.update(&payload[..at]);
        let mut resumed = dialnexa_verify::WebhookStream::from_state(&stream.to_state()).unwrap();
        resumed.update(&payload[at..]);
        prop_assert_eq!(resumed.sign().as_bytes().to_vec(), expected.to_vec());
    }

    #[test]
    fn sign_then_verify_round_trips(secret in prop::collection::vec(any::<u8>(), 1..200),
                                    payload in prop::collection::vec(any::<u8>(), 0..2000)) {
        let verifier = Verifier::new(&secret).unwrap();
        let hex = verifier.sign(&payload).to_hex();
        prop_assert_eq!(hex.as_str(), hex::encode(verifier.sign(&payload).as_bytes()));
        prop_assert_eq!(verifier.verify(&payload, hex.as_str().as_bytes()), Ok(()));
        let prefixed = format!(" sha256={} ", hex.as_str().to_ascii_uppercase());
        prop_assert_eq!(verifier.verify(&payload, prefixed.as_bytes()), Ok(()));
    }

    #[test]
    fn streaming_equals_one_shot(payload in prop::collection::vec(any::<u8>(), 0..3000),
                                 cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..12)) {
        let verifier = Verifier::new(b"whsec_example").unwrap();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(payload.len() + 1)).collect();
        points.sort_unstable();
        let mut stream = verifier.stream();
        let mut start = 0;
        for point in points.into_iter().chain([payload.len()]) {
            stream.update(&payload[start..point]);
            start = point;
        }
        let one_shot = verifier.sign(&payload).to_hex();
        let streamed = stream.clone().sign().to_hex();
        prop_assert_eq!(streamed.as_str(), one_shot.as_str());
        prop_assert_eq!(stream.verify(one_shot.as_str().as_bytes()), Ok(()));
    }

    #[test]
    fn arbitrary_headers_never_panic_and_never_pass(header in prop::collection::vec(any::<u8>(), 0..200),
                                                    payload in prop::collection::vec(any::<u8>(), 0..64)) {
        let verifier = Verifier::new(b"whsec_example").unwrap();
        let result = verifier.verify(&payload, &header);
        prop_assert!(result.is_err());
        prop_assert_eq!(result, Signature::from_header(&header).and(Err(VerifyError::SignatureMismatch)));
        let rotated = verify_any(&[verifier.clone(), verifier], &payload, &header);
        prop_assert!(rotated.is_err());
    }

    #[test]
    fn hex_headers_decode_like_the_reference(digits in "[0-9a-fA-F]{64}") {
        let parsed = Signature::from_header(digits.as_bytes()).unwrap();
        prop_assert_eq!(parsed.as_bytes().to_vec(), hex::decode(&digits).unwrap());
        let lower = parsed.to_hex();
        prop_assert_eq!(lower.as_str(), digits.to_ascii_lowercase());
    }

    #[test]
    fn parse_then_display_round_trips(key_id in PART, secret in PART, pad in "[ \t\r\n]{0,3}") {
        let text = format!("{pad}{key_id}:{secret}{pad}");
        let key = ApiKey::parse(&text).unwrap();
        prop_assert_eq!(key.key_id(), key_id.as_str());
        prop_assert_eq!(key.secret().expose(), secret.as_str());
        prop_assert_eq!(format!("{}:{}", key.key_id(), key.secret().expose()), format!("{key_id}:{secret}"));
        prop_assert_eq!(key.redacted().to_string(), format!("{key_id}:****"));
        prop_assert_eq!(redact(&text).to_string(), format!("{key_id}:****"));

        let header = format!("Bearer {key_id}:{secret}");
        let from_header = ApiKey::from_authorization(&header).unwrap();
        prop_assert_eq!(from_header.key_id(), key_id.as_str());
        prop_assert_eq!(from_header.secret().expose(), secret.as_str());

        prop_assert_eq!(format!("{key:?}"), expected_debug(&key_id));

        let stored = SecretHash::of(secret.as_bytes());
        prop_assert!(key.matches_hash(&stored));
        prop_assert!(key.matches_secret(secret.as_bytes()));
        let record = StoredKey::from_hex(&key_id, stored.to_hex().as_str()).unwrap();
        prop_assert!(check_api_key(&text, &record));
        prop_assert!(check_api_key(&text, &key.to_stored()));
        // Another key ID, or another secret, under the same record: rejected.
        let other_id = format!("{key_id}x");
        let other_key = format!("{other_id}:{secret}");
        let other_secret = format!("{key_id}:{secret}x");
        prop_assert!(!check_api_key(&other_key, &record));
        prop_assert!(!check_api_key(&other_secret, &record));
    }

    #[test]
    fn malformed_keys_are_rejected_without_echoing_the_secret(
        key_id in PART,
        secret in "[A-Za-z0-9._~+/=-]{4,256}",
        bad in prop::sample::select(vec![" ", "!", ":", "\"", "\u{0}", "é", "\t", "%"]),
        at in any::<prop::sample::Index>(),
        in_secret in any::<bool>(),
    ) {
        let (key_id, secret) = if in_secret {
            let at = at.index(secret.len() + 1);
            (key_id, format!("{}{bad}{}", &secret[..at], &secret[at..]))
        } else {
            let at = at.index(key_id.len() + 1);
            (format!("{}{bad}{}", &key_id[..at], &key_id[at..]), secret)
        };
        let text = format!("{key_id}:{secret}");
        let trimmed_bad = text.trim_ascii() != text;
        let error = ApiKey::parse(&text);
        // Whitespace at either end is trimmed away, which may leave a valid key.
        prop_assume!(!(trimmed_bad && error.is_ok()));
        let error = error.unwrap_err();
        let message = error.to_string();
        let debug = format!("{error:?}");
        let templates = message_templates();
        prop_assert!(templates.contains(&without_digits(&message)), "{message}");
        prop_assert!(templates.contains(&without_digits(&debug)), "{debug}");
        // Both are fixed texts; a fragment of the secret may only show as part of one (a secret
        // "para" is in "separator"), never on its own, digits included.
        let fixed = templates.concat();
        for window in secret.as_bytes().windows(4) {
            if let Ok(fragment) = core::str::from_utf8(window) {
                if !fixed.contains(fragment) {
                    prop_assert!(!message.contains(fragment) && !debug.contains(fragment));
                }
            }
        }
        let (lax_id, lax_hash) = lax_record(&text);
        prop_assert!(!check_api_key(&text, &StoredKey::new(&lax_id, lax_hash)));
        prop_assert_eq!(redact(&text).to_string().contains(&secret), false);
    }

    #[test]
    fn arbitrary_keys_never_panic_and_never_leak(
        // Arbitrary text, and text over the key alphabet plus `:`, spaces and `Bearer`, so that
        // well-formed keys (whose Debug is checked) are frequent too.
        text in prop_oneof!["\\PC{0,300}", "(Bearer )?[A-Za-z0-9._~+/= -]{0,40}:?[A-Za-z0-9._~+/=: -]{0,40}"],
        raw in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let lossy = String::from_utf8_lossy(&raw);
        for input in [text.as_str(), &lossy] {
            let templates = message_templates();
            for result in [ApiKey::parse(input), ApiKey::from_authorization(input)] {
                match result {
                    Ok(key) => {
                        prop_assert_eq!(format!("{key:?}"), expected_debug(key.key_id()));
                        prop_assert_eq!(format!("{:?}", key.secret()), "SecretStr(****)");
                        prop_assert_eq!(key.redacted().to_string(), format!("{}:****", key.key_id()));
                    }
                    Err(e) => {
                        // Fixed messages: a byte offset is the only variable part.
                        let message = e.to_string();
                        prop_assert!(templates.contains(&without_digits(&message)), "{message}");
                    }
                }
            }
            let redacted = redact(input).to_string();
            prop_assert!(redacted == "****" || redacted.ends_with(":****"));
            match ApiKey::parse(input) {
                Ok(key) => prop_assert!(check_api_key(input, &key.to_stored())),
                Err(_) => {
                    let (lax_id, lax_hash) = lax_record(input);
                    prop_assert!(!check_api_key(input, &StoredKey::new(&lax_id, lax_hash)));
                }
            }
        }
    }
}

/// A stream state restored from elsewhere (the npm engine's JavaScript side) is refused when its
/// block count would overflow SHA-256's bit length, and accepted (and finished) right below that.
#[test]
fn restored_stream_states_with_an_impossible_block_count_are_refused() {
    let verifier = Verifier::new(b"whsec_block_count").unwrap();
    let mut stream = verifier.stream();
    stream.update(b"{\"event\":\"call.completed\"}");
    let state = stream.to_state();
    // The inner state (from byte 32): eight state words, then the block count (little-endian).
    let with_blocks = |blocks: u64| {
        let mut changed = state;
        changed[64..72].copy_from_slice(&blocks.to_le_bytes());
        dialnexa_verify::WebhookStream::from_state(&changed)
    };
    assert!(with_blocks(1 << 54).is_none());
    assert!(with_blocks(u64::MAX).is_none());
    let largest = with_blocks((1 << 54) - 1).expect("the largest sane block count");
    let _ = largest.sign(); // finishes without overflowing
    assert!(with_blocks(1).is_some());
}
