//! Secret hygiene: every `Display` and `Debug` text the crate produces while handling test secrets
//! (errors for every malformed form, the types that hold secrets or derived values) is collected,
//! and none may contain any 4-character fragment of a secret or of a derived tag.

use dialnexa_verify::{
    redact, verify_any, ApiKey, KeyPart, SecretHash, Signature, Verifier, VerifyError,
};

const KEY_SECRET: &str = "Zq8vX2mP9tLr";
const WEBHOOK_SECRET: &str = "whk_N7pQ2xV9sK4m";

fn fragments(secret: &str) -> Vec<&str> {
    (4..=secret.len())
        .flat_map(|n| (0..=secret.len() - n).map(move |i| &secret[i..i + n]))
        .collect()
}

#[test]
fn no_text_the_crate_produces_contains_a_secret_fragment() {
    let mut texts: Vec<String> = Vec::new();

    // API keys: every error, in Display and Debug, for inputs that contain the secret.
    let inputs = [
        format!("abcdefghijklmn:{KEY_SECRET}"),
        format!("abcdefghijklmn:{KEY_SECRET}!"),
        format!("abcdefghijklmn:{KEY_SECRET}:x"),
        format!(":{KEY_SECRET}"),
        format!("abc def:{KEY_SECRET}"),
        format!("Bearer abcdefghijklmn:{KEY_SECRET}"),
        format!("abcdefghijklmn:{KEY_SECRET}{}", "x".repeat(300)),
        KEY_SECRET.to_owned(),
        format!("Basic {KEY_SECRET}"),
        format!("Bearer\t{KEY_SECRET}"),
    ];
    for input in &inputs {
        for result in [ApiKey::parse(input), ApiKey::from_authorization(input)] {
            match result {
                Ok(key) => {
                    texts.push(format!("{key:?}"));
                    texts.push(format!("{key:#?}"));
                    texts.push(format!("{:?}", key.secret()));
                    texts.push(key.redacted().to_string());
                    texts.push(format!("{:?}", key.redacted()));
                    texts.push(format!("{:?}", key.secret_hash()));
                    texts.push(format!("{:?}", key.to_stored()));
                    texts.push(format!("{:#?}", key.to_stored()));
                }
                Err(error) => {
                    texts.push(error.to_string());
                    texts.push(format!("{error:?}"));
                    texts.push(error.code().to_owned());
                }
            }
        }
        texts.push(redact(input).to_string());
    }
    texts.push(format!("{:?}", KeyPart::Secret));

    // Webhooks: the verifier, signatures and streams, and every verification error.
    let verifier = Verifier::new(WEBHOOK_SECRET.as_bytes()).expect("secret");
    let signature = verifier.sign(b"{}");
    let hex = signature.to_hex();
    texts.push(format!("{verifier:?}"));
    texts.push(format!("{signature:?}"));
    texts.push(format!("{hex:?}"));
    texts.push(format!("{:?}", verifier.stream()));
    texts.push(format!("{:?}", SecretHash::of(KEY_SECRET.as_bytes())));
    // A stored hash that does not read: the error says why, and nothing of the value.
    let hash_hex = SecretHash::of(KEY_SECRET.as_bytes()).to_hex();
    for bad in [
        &hash_hex.as_str()[1..],
        &format!("{}g", &hash_hex.as_str()[1..]),
    ] {
        let error = SecretHash::from_hex(bad).expect_err("not a hash");
        texts.push(error.to_string());
        texts.push(format!("{error:?}"));
    }
    for header in [
        &b""[..],
        b"zz",
        hex.as_str().as_bytes(),
        b"0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        for result in [
            verifier.verify(b"{ }", header),
            verify_any(core::slice::from_ref(&verifier), b"{ }", header).map(|_| ()),
        ] {
            if let Err(error) = result {
                texts.push(error.to_string());
                texts.push(format!("{error:?}"));
            }
        }
        if let Err(error) = Signature::from_header(header) {
            texts.push(error.to_string());
        }
    }
    texts.push(VerifyError::SignatureMismatch.to_string());
    texts.push(Verifier::new(b"").expect_err("empty").to_string());
    let none: [&Verifier; 0] = [];
    texts.push(
        verify_any(none, b"{}", hex.as_str())
            .expect_err("no secrets")
            .to_string(),
    );

    let tag = hex.as_str();
    let mut checked = 0;
    for text in &texts {
        for fragment in fragments(KEY_SECRET)
            .into_iter()
            .chain(fragments(WEBHOOK_SECRET))
            .chain([&tag[..8], &tag[28..36], &tag[56..]])
        {
            assert!(!text.contains(fragment), "{text:?} contains {fragment:?}");
        }
        checked += 1;
    }
    assert!(checked > 80, "only {checked} texts collected");
}
