//! Tests of the wasm exports, compiled into one binary per environment.
// wasm_bindgen_test functions are tests, but clippy only recognises #[test] as such.
#![allow(clippy::unwrap_used, clippy::std_instead_of_core)]

use dialnexa_verify::wasm::{
    check_api_key_js, hash_api_key_secret, parse_api_key, parse_authorization, redact_api_key,
    WebhookKeys,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const MISSING: i32 = -1;
const MALFORMED: i32 = -2;
const MISMATCH: i32 = -3;

fn keys(secrets: &[&[u8]]) -> WebhookKeys {
    let mut keys = WebhookKeys::new();
    for secret in secrets {
        assert!(keys.add_secret(secret));
    }
    keys
}

fn unhex(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("vector files hold valid hex")
}

fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

fn field(value: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

#[wasm_bindgen_test]
fn rfc4231_vectors() {
    let mut cases = 0;
    for fields in records(include_str!("../data/hmac_sha256_rfc4231.txt")) {
        let [case, key, data, tag] = fields[..] else {
            panic!("bad line")
        };
        let keys = keys(&[&unhex(key)]);
        let data = unhex(data);
        let full = keys.sign(&data);
        assert!(full.starts_with(tag));
        assert_eq!(keys.check(&data, &full), 0);
        if case == "5" {
            assert_eq!(
                keys.check(&data, tag),
                MALFORMED,
                "a truncated tag is never accepted"
            );
        } else {
            assert_eq!(full, tag);
        }
        cases += 1;
    }
    assert_eq!(cases, 7);
}

#[wasm_bindgen_test]
fn spec_snippet_vectors_one_shot_and_chunked() {
    let mut count = 0;
    for fields in records(include_str!("../data/spec_snippet_vectors.txt")) {
        let [name, secret, body_spec, expected] = fields[..] else {
            panic!("bad line")
        };
        let payload = match body_spec.split_once(':') {
            Some(("hex", digits)) => unhex(digits),
            Some(("seq", n)) => (0..n.parse::<usize>().unwrap())
                .map(|i| (i % 251) as u8)
                .collect(),
            Some(("repeat", rest)) => {
                let (pattern, n) = rest.split_once(':').unwrap();
                unhex(pattern).repeat(n.parse().unwrap())
            }
            _ => panic!("bad body {body_spec}"),
        };
        let mut keys = keys(&[&unhex(secret)]);
        assert_eq!(keys.sign(&payload), expected, "{name}");
        assert_eq!(keys.check(&payload, expected), 0, "{name}");
        keys.stream_start();
        for chunk in payload.chunks(65_536) {
            keys.stream_update(chunk);
        }
        assert_eq!(keys.stream_check(expected), 0, "{name} chunked");
        keys.stream_start();
        for chunk in payload.chunks(1000) {
            keys.stream_update(chunk);
        }
        assert_eq!(keys.stream_sign(), expected, "{name} chunked sign");
        if let Ok(text) = std::str::from_utf8(&payload) {
            assert_eq!(keys.check_string(text, expected), 0, "{name} as a string");
            assert_eq!(keys.sign_string(text), expected);
        }
        count += 1;
    }
    assert_eq!(count, 20);
}

#[wasm_bindgen_test]
fn header_result_codes() {
    let keys = keys(&[b"whsec_example"]);
    let good = keys.sign(b"{}");
    assert_eq!(keys.check(b"{}", &good), 0);
    assert_eq!(
        keys.check(b"{}", &format!(" sha256={} ", good.to_uppercase())),
        0
    );
    assert_eq!(keys.check(b"{}", ""), MISSING);
    assert_eq!(keys.check(b"{}", " \r\n"), MISSING);
    for bad in [&good[..63], "sha256=", "zz", "\0", "\u{ffff}"] {
        assert_eq!(keys.check(b"{}", bad), MALFORMED, "{bad:?}");
    }
    assert_eq!(keys.check(b"{}", &format!("{good}0")), MALFORMED);
    assert_eq!(keys.check(b"{ }", &good), MISMATCH);
    // A finished or never-started stream matches nothing, and never traps.
    let mut keys = keys;
    assert_eq!(keys.stream_check(&good), MISMATCH);
    assert_eq!(keys.stream_sign(), "");
}

#[wasm_bindgen_test]
fn rotation_reports_the_matching_index() {
    let keys = keys(&[b"whsec_new", b"whsec_mid", b"whsec_old"]);
    assert_eq!(keys.count(), 3);
    for (i, secret) in [&b"whsec_new"[..], b"whsec_mid", b"whsec_old"]
        .iter()
        .enumerate()
    {
        let header = self::keys(&[secret]).sign(b"{}");
        assert_eq!(keys.check(b"{}", &header), i32::try_from(i).unwrap());
    }
    let other = self::keys(&[b"whsec_other"]).sign(b"{}");
    assert_eq!(keys.check(b"{}", &other), MISMATCH);
}

#[wasm_bindgen_test]
fn empty_secrets_are_refused_and_an_empty_set_matches_nothing() {
    let mut keys = WebhookKeys::new();
    assert!(!keys.add_secret(b""));
    assert_eq!(keys.count(), 0);
    assert_eq!(keys.sign(b"{}"), "");
    assert_eq!(keys.check(b"{}", &"0".repeat(64)), MISMATCH);
}

#[wasm_bindgen_test]
fn api_keys_cross_the_boundary_as_objects() {
    let ok = parse_api_key("abcdefghijklmn:123456a1b1234b\n");
    assert_eq!(field(&ok, "keyId").as_deref(), Some("abcdefghijklmn"));
    assert_eq!(field(&ok, "secret").as_deref(), Some("123456a1b1234b"));
    assert_eq!(field(&ok, "code"), None);

    let ok = parse_authorization("Bearer abcdefghijklmn:123456a1b1234b");
    assert_eq!(field(&ok, "keyId").as_deref(), Some("abcdefghijklmn"));

    for (input, code) in [
        ("", "empty"),
        ("abc", "missing_separator"),
        ("a:b:c", "too_many_separators"),
        (":s3cr3tPART", "empty_key_id"),
        ("abc:", "empty_secret"),
        ("abc:s3cr3tPART!", "invalid_character"),
        ("Bearer abc:s3cr3tPART", "starts_with_bearer"),
    ] {
        let err = parse_api_key(input);
        assert_eq!(field(&err, "code").as_deref(), Some(code), "{input:?}");
        let message = field(&err, "message").unwrap();
        assert!(message.starts_with("dialnexa-verify: "));
        assert!(
            !message.contains("s3cr") && !message.contains("PART"),
            "{message}"
        );
        assert_eq!(field(&err, "secret"), None);
    }
    for (input, code) in [
        ("", "missing_header"),
        ("Basic dXNlcjpwYXNz", "wrong_scheme"),
        ("Bearer", "missing_token"),
    ] {
        assert_eq!(
            field(&parse_authorization(input), "code").as_deref(),
            Some(code)
        );
    }
}

#[wasm_bindgen_test]
fn redaction_and_stored_hashes() {
    assert_eq!(
        redact_api_key("abcdefghijklmn:123456a1b1234b"),
        "abcdefghijklmn:****"
    );
    assert_eq!(redact_api_key("123456a1b1234b"), "****");
    assert_eq!(redact_api_key(""), "****");
    let stored = hash_api_key_secret("123456a1b1234b");
    assert_eq!(stored.len(), 64);
    assert!(check_api_key_js("abcdefghijklmn:123456a1b1234b", &stored));
    assert!(!check_api_key_js("abcdefghijklmn:123456a1b1234c", &stored));
    assert!(!check_api_key_js("abcdefghijklmn:123456a1b1234b", "nothex"));
    assert!(!check_api_key_js("", ""));
}

#[wasm_bindgen_test]
fn hostile_inputs_never_trap_and_the_module_keeps_working() {
    let keys = keys(&[b"whsec_example"]);
    let good = keys.sign(b"{}");
    let huge_header = "a".repeat(10 << 20);
    assert_eq!(keys.check(b"{}", &huge_header), MALFORMED);
    let huge_key = format!("{}:{}", "k".repeat(10 << 20), "s");
    assert_eq!(
        field(&parse_api_key(&huge_key), "code").as_deref(),
        Some("too_long")
    );
    assert_eq!(redact_api_key(&huge_key), "****");
    assert!(!check_api_key_js(&huge_key, &huge_header));
    for hostile in [
        "\0\0\0",
        "\u{fffd}",
        "sha256=sha256=",
        "Bearer\tabc:def",
        "\u{202e}abc:def",
    ] {
        assert!(keys.check(b"{}", hostile) < 0);
        let _ = parse_api_key(hostile);
        let _ = parse_authorization(hostile);
        let _ = redact_api_key(hostile);
    }
    let big_body = vec![0x5a_u8; 16 << 20];
    let big_signature = keys.sign(&big_body);
    assert_eq!(keys.check(&big_body, &big_signature), 0);
    // Still fully usable.
    assert_eq!(keys.check(b"{}", &good), 0);
}
