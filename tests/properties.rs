//! Property tests: round trips, streaming equivalence, and "never panics" on arbitrary input.
#![cfg(not(target_arch = "wasm32"))]

use dialnexa_verify::{
    check_api_key, redact, verify_any, ApiKey, SecretHash, Signature, Verifier, VerifyError,
};
use proptest::prelude::*;

/// A valid key part: 1 to 256 bytes of the documented character set.
const PART: &str = "[A-Za-z0-9._~+/=-]{1,256}";

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

        let stored = SecretHash::of(secret.as_bytes());
        prop_assert!(key.matches_hash(&stored));
        prop_assert!(key.matches_secret(secret.as_bytes()));
        prop_assert!(check_api_key(&text, stored.to_hex().as_str()));
    }

    #[test]
    fn arbitrary_keys_never_panic_and_never_leak(text in "\\PC{0,300}", raw in prop::collection::vec(any::<u8>(), 0..300)) {
        let lossy = String::from_utf8_lossy(&raw);
        for input in [text.as_str(), &lossy] {
            for result in [ApiKey::parse(input), ApiKey::from_authorization(input)] {
                match result {
                    Ok(key) => {
                        let debug = format!("{key:?}");
                        let needle = format!(":{}", key.secret().expose());
                        prop_assert!(!debug.contains(&needle));
                    }
                    Err(e) => {
                        // Fixed messages: a byte offset is the only variable part.
                        let message = e.to_string();
                        prop_assert!(message.starts_with("the "));
                    }
                }
            }
            let redacted = redact(input).to_string();
            prop_assert!(redacted == "****" || redacted.ends_with(":****"));
            prop_assert!(!check_api_key(input, "00"));
        }
    }
}
