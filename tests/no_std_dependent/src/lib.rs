//! A `no_std` firmware-style consumer of dialnexa-verify: a webhook check and an API-key check
//! that use neither `std` nor `alloc`.
#![no_std]

use dialnexa_verify::{check_api_key, SecretHash, StoredKey, Verifier};

/// Whether `header` is the DialNexa signature of `body` under `secret`.
pub fn webhook_is_authentic(secret: &[u8], body: &[u8], header: &[u8]) -> bool {
    Verifier::new(secret).is_ok_and(|verifier| verifier.verify(body, header).is_ok())
}

/// Whether `presented` (`keyid:secret`) is the key stored as `key_id` and `secret_hash_hex`.
pub fn api_key_is_valid(presented: &str, key_id: &str, secret_hash_hex: &str) -> bool {
    StoredKey::from_hex(key_id, secret_hash_hex).is_ok_and(|stored| check_api_key(presented, &stored))
}

/// The stored form of a secret, without allocating.
pub fn secret_hash_hex(secret: &[u8], out: &mut [u8; 64]) {
    out.copy_from_slice(SecretHash::of(secret).to_hex().as_str().as_bytes());
}

#[cfg(test)]
mod tests {
    use super::{api_key_is_valid, secret_hash_hex, webhook_is_authentic};

    #[test]
    fn checks_a_webhook_and_an_api_key_without_std() {
        // RFC 4231 test case 2.
        let tag = b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert!(webhook_is_authentic(b"Jefe", b"what do ya want for nothing?", tag));
        assert!(!webhook_is_authentic(b"Jefe", b"what do ya want for nothing!", tag));
        assert!(!webhook_is_authentic(b"", b"what do ya want for nothing?", tag));

        let mut hash = [0u8; 64];
        secret_hash_hex(b"123456a1b1234b", &mut hash);
        let hash = core::str::from_utf8(&hash).unwrap();
        assert!(api_key_is_valid("abcdefghijklmn:123456a1b1234b", "abcdefghijklmn", hash));
        assert!(!api_key_is_valid("abcdefghijklmn:123456a1b1234c", "abcdefghijklmn", hash));
        assert!(!api_key_is_valid("someone-else:123456a1b1234b", "abcdefghijklmn", hash));
    }
}
