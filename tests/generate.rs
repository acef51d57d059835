//! `generate_api_key` (feature `rand_core`): what it makes parses, checks against its own stored
//! record and no other, is distinct, uniform over its alphabets, and never shows its secret.
#![cfg(feature = "rand_core")]

use core::convert::Infallible;
use std::collections::{HashMap, HashSet};

use dialnexa_verify::{check_api_key, generate_api_key, ApiKey, SecretHash, StoredKey};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_core::{TryCryptoRng, TryRng};

#[test]
fn ten_thousand_keys_parse_check_and_are_distinct() {
    let mut rng = rand::rng();
    let mut seen = HashSet::new();
    let mut previous: Option<(String, SecretHash)> = None;
    for _ in 0..10_000 {
        let generated = generate_api_key(&mut rng);
        let text = generated.expose();
        let parsed = ApiKey::parse(text).expect("a generated key parses");
        assert_eq!(parsed.key_id(), generated.key_id());
        assert_eq!(parsed.secret().expose(), generated.secret().expose());
        let (key_id, secret) = (generated.key_id(), generated.secret().expose());
        assert!(
            key_id.len() == 14 && key_id.bytes().all(|b| b.is_ascii_lowercase()),
            "{key_id}"
        );
        assert!(secret.len() == 22 && secret.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(generated.secret_hash(), SecretHash::of(secret.as_bytes()));
        assert!(check_api_key(text, &generated.to_stored()));
        if let Some((other_id, other_hash)) = &previous {
            // Another key's record: neither its ID with this secret's hash, nor the reverse.
            assert!(!check_api_key(
                text,
                &StoredKey::new(other_id, other_hash.clone())
            ));
            assert!(!check_api_key(
                text,
                &StoredKey::new(key_id, other_hash.clone())
            ));
        }
        assert!(seen.insert(text.to_owned()), "a key came out twice");
        previous = Some((key_id.to_owned(), generated.secret_hash()));
    }
}

#[test]
fn every_character_is_drawn_uniformly() {
    // 20,000 keys from a seeded RNG: 280,000 key-ID letters (26 kinds) and 440,000 secret
    // characters (62 kinds). Each count stays within 6% of its expectation: a modulo bias (the
    // first 256 % 62 = 8 characters drawn 5/4 as often) or a missing character fails at once.
    let mut rng = StdRng::seed_from_u64(0x0d1a_1e8a);
    let mut id_counts: HashMap<u8, u32> = HashMap::new();
    let mut secret_counts: HashMap<u8, u32> = HashMap::new();
    for _ in 0..20_000 {
        let generated = generate_api_key(&mut rng);
        for b in generated.key_id().bytes() {
            *id_counts.entry(b).or_default() += 1;
        }
        for b in generated.secret().expose().bytes() {
            *secret_counts.entry(b).or_default() += 1;
        }
    }
    for (counts, kinds, total) in [(&id_counts, 26, 280_000.0), (&secret_counts, 62, 440_000.0)] {
        assert_eq!(counts.len(), kinds);
        let expected = total / f64::from(kinds as u32);
        for (&b, &n) in counts {
            let ratio = f64::from(n) / expected;
            assert!(
                (0.94..1.06).contains(&ratio),
                "{:?}: {n} draws, {ratio:.3} of the expected",
                b as char
            );
        }
    }
}

/// An RNG that hands out a fixed sequence of bytes, then zeros.
struct Script(Vec<u8>);

impl TryRng for Script {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for slot in dst {
            *slot = if self.0.is_empty() {
                0
            } else {
                self.0.remove(0)
            };
        }
        Ok(())
    }
}

impl TryCryptoRng for Script {}

#[test]
fn bytes_past_the_last_whole_alphabet_are_drawn_again() {
    // Key ID: 26 letters, so bytes 234..=255 are refused; 233 is 233 % 26 = 25, 'z'; 26 is 'a'.
    // Secret: 62 characters, so bytes 248..=255 are refused; 247 is 247 % 62 = 61, '9'.
    let mut script = vec![255, 234, 233, 26];
    script.extend([0; 12]); // the rest of the key ID: 'a'
    script.extend([0; 16]); // fills the first pool of 32 bytes
    script.extend([248, 255, 247, 62]); // the secret: refused, refused, '9', 'A'
    let generated = generate_api_key(&mut Script(script));
    assert_eq!(generated.key_id(), format!("za{}", "a".repeat(12)));
    assert_eq!(generated.secret().expose(), format!("9A{}", "A".repeat(20)));
}

#[test]
fn debug_and_redacted_forms_hide_the_secret() {
    let generated = generate_api_key(&mut rand::rng());
    let secret = generated.secret().expose().to_owned();
    let shown = [
        format!("{generated:?}"),
        format!("{generated:#?}"),
        generated.redacted().to_string(),
        format!("{:?}", generated.to_stored()),
    ];
    for text in &shown {
        for fragment in secret.as_bytes().windows(4) {
            let fragment = core::str::from_utf8(fragment).unwrap();
            assert!(!text.contains(fragment), "{text} shows {fragment}");
        }
    }
    assert_eq!(shown[2], format!("{}:****", generated.key_id()));
}
