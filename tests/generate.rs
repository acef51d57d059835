//! `generate_api_key` (feature `rand_core`): what it makes parses, checks against its own stored
//! record and no other, is distinct, uniform over its alphabets, and never shows its secret.
#![cfg(feature = "rand_core")]

use core::convert::Infallible;
use std::collections::{HashMap, HashSet};

use dialnexa_verify::{
    check_api_key, generate_api_key, try_generate_api_key, ApiKey, SecretHash, StoredKey,
};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_core::{CryptoRng, Rng, TryCryptoRng, TryRng};

/// Wraps an RNG and panics once it has handed out `left` bytes, so that a generator that loops
/// forever (a broken rejection test) fails the test instead of hanging it.
struct Budget<R> {
    rng: R,
    left: usize,
}

/// `N` bytes from a test RNG that cannot fail.
fn fill<const N: usize>(rng: &mut impl TryRng<Error = Infallible>) -> [u8; N] {
    let mut bytes = [0; N];
    match rng.try_fill_bytes(&mut bytes) {
        Ok(()) => bytes,
        Err(never) => match never {},
    }
}

fn budget<R>(rng: R, left: usize) -> Budget<R> {
    Budget { rng, left }
}

impl<R: Rng> TryRng for Budget<R> {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(u32::from_le_bytes(fill(self)))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(u64::from_le_bytes(fill(self)))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        assert!(
            dst.len() <= self.left,
            "the generator drew far more bytes than it needs"
        );
        self.left -= dst.len();
        self.rng.fill_bytes(dst);
        Ok(())
    }
}

impl<R: CryptoRng> TryCryptoRng for Budget<R> {}

#[test]
fn ten_thousand_keys_parse_check_and_are_distinct() {
    // 360,000 characters, about 6% of bytes refused: 10 MB is never reached unless it loops.
    let mut rng = budget(rand::rng(), 10_000_000);
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
    let mut rng = budget(StdRng::seed_from_u64(0x0d1a_1e8a), 20_000_000);
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

/// An RNG that hands out a fixed sequence of bytes, then zeros up to 256 bytes in all, then
/// panics (a generator that loops forever fails instead of hanging).
struct Script(Vec<u8>, usize);

impl TryRng for Script {
    type Error = Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(u32::from_le_bytes(fill(self)))
    }
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(u64::from_le_bytes(fill(self)))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for slot in dst {
            *slot = if self.0.is_empty() {
                0
            } else {
                self.0.remove(0)
            };
            self.1 += 1;
            assert!(
                self.1 <= 256,
                "the generator drew far more bytes than it needs"
            );
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
    script.extend([248, 255, 247, 62]); // the secret: refused, refused, '9', 'A'
                                        // Then zeros: 'A'. The pool is shared, so the secret starts right after the key ID's bytes.
    let generated = generate_api_key(&mut Script(script, 0));
    assert_eq!(generated.key_id(), format!("za{}", "a".repeat(12)));
    assert_eq!(generated.secret().expose(), format!("9A{}", "A".repeat(20)));
}

#[test]
fn debug_and_redacted_forms_hide_the_secret() {
    let generated = generate_api_key(&mut budget(rand::rng(), 4096));
    let secret = generated.secret().expose().to_owned();
    let shown = [
        format!("{generated:?}"),
        format!("{generated:#?}"),
        generated.redacted().to_string(),
        format!("{:?}", generated.to_stored()),
    ];
    // Windows of 8 of the secret's 22 characters: a chance match with the key ID or the type
    // names is below 2^-40, so this only fails when the secret is shown.
    for text in &shown {
        for fragment in secret.as_bytes().windows(8) {
            let fragment = core::str::from_utf8(fragment).unwrap();
            assert!(!text.contains(fragment), "{text} shows {fragment}");
        }
    }
    assert_eq!(
        shown[0],
        format!(
            r#"GeneratedApiKey {{ key_id: "{}", secret: SecretStr(****) }}"#,
            generated.key_id()
        )
    );
    assert_eq!(shown[2], format!("{}:****", generated.key_id()));
}

/// An RNG that gives `good` bytes of 1 and then fails.
struct Failing {
    good: usize,
}

#[derive(Debug, PartialEq)]
struct Broken;

impl core::fmt::Display for Broken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the RNG failed")
    }
}

impl core::error::Error for Broken {}

impl TryRng for Failing {
    type Error = Broken;
    fn try_next_u32(&mut self) -> Result<u32, Broken> {
        Err(Broken)
    }
    fn try_next_u64(&mut self) -> Result<u64, Broken> {
        Err(Broken)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Broken> {
        if self.good < dst.len() {
            return Err(Broken);
        }
        self.good -= dst.len();
        dst.fill(1);
        Ok(())
    }
}

impl TryCryptoRng for Failing {}

#[test]
fn a_failing_rng_gives_its_error_not_a_key() {
    // At once, and after the key ID's first pool of 32 bytes (14 used, 18 taken by the secret,
    // the secret's last 4 characters need a second pool).
    assert_eq!(
        try_generate_api_key(&mut Failing { good: 0 }).map(|k| k.expose().to_owned()),
        Err(Broken)
    );
    assert_eq!(
        try_generate_api_key(&mut Failing { good: 32 }).map(|k| k.expose().to_owned()),
        Err(Broken)
    );
    let generated = try_generate_api_key(&mut Failing { good: 64 }).expect("two pools suffice");
    assert_eq!(
        generated.expose(),
        format!("{}:{}", "b".repeat(14), "B".repeat(22))
    );
    assert!(generated.matches(&generated.to_stored()));
    let other = generate_api_key(&mut budget(rand::rng(), 4096));
    assert!(!generated.matches(&other.to_stored()));
}

#[test]
#[should_panic(expected = "the RNG gave 256 unusable bytes in a row; it is broken")]
fn an_rng_stuck_on_unusable_bytes_is_called_broken() {
    // 255 is refused for both alphabets. The script's own limit is 256 bytes, exactly what the
    // generator may draw before it gives up: one more and the panic would be the script's.
    let _ = generate_api_key(&mut Script(vec![255; 256], 0));
}
