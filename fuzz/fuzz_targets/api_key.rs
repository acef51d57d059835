//! `ApiKey::parse` on arbitrary input: never panics; what it accepts obeys the documented format,
//! borrows from the input, and its redacted and Debug forms are exactly the key ID and `****`;
//! what it rejects is never accepted by `check_api_key`, not even against the record a lax
//! parser would look up (text before the first `:` as key ID, the rest as secret).
#![no_main]

use dialnexa_verify::{check_api_key, redact, ApiKey, SecretHash, StoredKey, MAX_PART_LEN};
use libfuzzer_sys::fuzz_target;

/// Every error message, digits removed (a byte offset is the only variable part of a message): a
/// message that echoed any of the input would not be one of these.
fn templates() -> &'static [String] {
    static TEMPLATES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let long = format!("{}:s", "k".repeat(300));
        let long_secret = format!("k:{}", "s".repeat(300));
        ["", "a", "a:b:c", ":b", "a:", "a!:b", "a:b!", "Bearer a:b", long.as_str(), long_secret.as_str()]
            .iter()
            .filter_map(|input| ApiKey::parse(input).err())
            .map(|error| without_digits(&error.to_string()))
            .collect()
    })
}

fn without_digits(text: &str) -> String {
    text.chars().filter(|c| !c.is_ascii_digit()).collect()
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let redacted = redact(text).to_string();
    assert!(redacted == "****" || redacted.ends_with(":****"));
    match ApiKey::parse(text) {
        Ok(key) => {
            let (id, secret) = (key.key_id(), key.secret().expose());
            for part in [id, secret] {
                assert!(!part.is_empty() && part.len() <= MAX_PART_LEN);
                assert!(part.bytes().all(is_key_byte));
            }
            assert_eq!(text.trim_ascii(), format!("{id}:{secret}"));
            assert_eq!(key.redacted().to_string(), format!("{id}:****"));
            assert_eq!(redacted, format!("{id}:****"));
            // The whole text, so that any secret byte printed is caught.
            assert_eq!(format!("{key:?}"), format!("ApiKey {{ key_id: {id:?}, secret: SecretStr(****) }}"));
            let stored = SecretHash::of(secret.as_bytes());
            assert!(key.matches_hash(&stored) && key.matches_secret(secret.as_bytes()));
            assert!(check_api_key(text, &StoredKey::new(id, stored)));
            let other = SecretHash::of(format!("{secret}x").as_bytes());
            assert!(!check_api_key(text, &StoredKey::new(id, other)));
        }
        Err(error) => {
            // Fixed text: never the input (a byte offset is the only variable part).
            assert!(templates().contains(&without_digits(&error.to_string())), "{error}");
            let trimmed = text.trim_ascii();
            let (lax_id, lax_secret) = trimmed.split_once(':').unwrap_or(("", trimmed));
            let lax = StoredKey::new(lax_id, SecretHash::of(lax_secret.as_bytes()));
            assert!(!check_api_key(text, &lax));
        }
    }
});
