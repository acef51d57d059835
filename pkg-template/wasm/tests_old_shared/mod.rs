//! Tests of the wasm exports, compiled into one binary per environment.
// wasm_bindgen_test functions are tests, but clippy only recognises #[test] as such.
#![allow(clippy::unwrap_used, clippy::std_instead_of_core)]

use dialnexa_verify::wasm::{
    check_api_key_js, Engine, EMPTY_SECRET, MALFORMED_SIGNATURE as MALFORMED,
    MISSING_SIGNATURE as MISSING, SIGNATURE_MISMATCH as MISMATCH, STALE_SLOT,
};
use wasm_bindgen_test::wasm_bindgen_test;

/// Prepares `secrets` in a new slot, as the JavaScript layer does for a `WebhookVerifier`.
fn slot(engine: &mut Engine, secrets: &[&[u8]]) -> f64 {
    let handle = engine.slot_open(false);
    for secret in secrets {
        load(engine, &[secret]);
        assert_eq!(engine.slot_add(handle, secret.len()), 0);
    }
    handle
}

/// Copies `parts` one after another into the scratch buffer, as the JavaScript layer does.
fn load(engine: &mut Engine, parts: &[&[u8]]) {
    // As the JavaScript layer does: at least 1 KiB, where the engine writes its results.
    engine.reserve(parts.iter().map(|p| p.len()).sum::<usize>().max(1024));
    let mut at = 0;
    for part in parts {
        engine.scratch_mut()[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
}

fn hex_out(engine: &mut Engine) -> String {
    String::from_utf8(engine.scratch_mut()[..64].to_vec()).unwrap()
}

fn sign_with_secret(engine: &mut Engine, secret: &[u8], body: &[u8]) -> String {
    load(engine, &[secret, body]);
    assert_eq!(engine.sign_with_secret(secret.len(), body.len()), 0);
    hex_out(engine)
}

fn verify_with_secret(engine: &mut Engine, secret: &[u8], body: &[u8], header: &str) -> i32 {
    load(engine, &[secret, body, header.as_bytes()]);
    engine.verify_with_secret(secret.len(), body.len(), header.len())
}

fn verify_with_slot(engine: &mut Engine, handle: f64, body: &[u8], header: &str) -> i32 {
    load(engine, &[body, header.as_bytes()]);
    engine.verify_with_slot(handle, body.len(), header.len())
}

fn sign_with_slot(engine: &mut Engine, handle: f64, body: &[u8]) -> String {
    load(engine, &[body]);
    assert_eq!(engine.sign_with_slot(handle, body.len()), 0);
    hex_out(engine)
}

/// Streams `body` in `chunk`-sized pieces through the scratch buffer and checks `header`.
fn stream_verify(engine: &mut Engine, handle: f64, body: &[u8], chunk: usize, header: &str) -> i32 {
    assert_eq!(engine.stream_with_slot(handle), 0);
    for piece in body.chunks(chunk) {
        load(engine, &[piece]);
        engine.stream_update(piece.len());
    }
    load(engine, &[header.as_bytes()]);
    engine.stream_verify(header.len())
}

fn unhex(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("vector files hold valid hex")
}

fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

/// What `Engine::parse_key` reports: `Ok((key_id, secret))` or `Err((code, message))`.
fn parse(
    engine: &mut Engine,
    input: &str,
    authorization: bool,
) -> Result<(String, String), (String, String)> {
    engine.reserve(1024);
    let result = engine.parse_key(input, authorization);
    let scratch = engine.scratch_mut();
    if result == 0 {
        let at = |i: usize| u32::from_le_bytes(scratch[i..i + 4].try_into().unwrap()) as usize;
        Ok((
            input[at(0)..at(4)].to_owned(),
            input[at(8)..at(12)].to_owned(),
        ))
    } else {
        assert!(result < 0);
        let text = std::str::from_utf8(&scratch[..result.unsigned_abs() as usize]).unwrap();
        let (code, message) = text.split_once('\n').unwrap();
        Err((code.to_owned(), message.to_owned()))
    }
}

/// The key ID that `Engine::redact` would show, if any.
fn redacted(engine: &mut Engine, input: &str) -> Option<String> {
    engine.reserve(1024);
    if !engine.redact(input) {
        return None;
    }
    let scratch = engine.scratch_mut();
    let at = |i: usize| u32::from_le_bytes(scratch[i..i + 4].try_into().unwrap()) as usize;
    Some(input[at(0)..at(4)].to_owned())
}

fn error_code(engine: &mut Engine, input: &str, authorization: bool) -> String {
    parse(engine, input, authorization).unwrap_err().0
}

#[wasm_bindgen_test]
fn rfc4231_vectors() {
    let mut engine = Engine::new();
    let mut cases = 0;
    for fields in records(include_str!("../data/hmac_sha256_rfc4231.txt")) {
        let [case, key, data, tag] = fields[..] else {
            panic!("bad line")
        };
        let (key, data) = (unhex(key), unhex(data));
        let full = sign_with_secret(&mut engine, &key, &data);
        assert!(full.starts_with(tag));
        assert_eq!(
            {
                let handle = slot(&mut engine, &[&key]);
                sign_with_slot(&mut engine, handle, &data)
            },
            full
        );
        assert_eq!(verify_with_secret(&mut engine, &key, &data, &full), 0);
        if case == "5" {
            assert_eq!(
                verify_with_secret(&mut engine, &key, &data, tag),
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
    let mut engine = Engine::new();
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
        let secret = unhex(secret);
        let handle = slot(&mut engine, &[&secret]);
        assert_eq!(
            sign_with_secret(&mut engine, &secret, &payload),
            expected,
            "{name}"
        );
        assert_eq!(
            verify_with_secret(&mut engine, &secret, &payload, expected),
            0,
            "{name}"
        );
        assert_eq!(
            verify_with_slot(&mut engine, handle, &payload, expected),
            0,
            "{name}"
        );
        assert_eq!(
            stream_verify(&mut engine, handle, &payload, 65_536, expected),
            0,
            "{name} chunked"
        );
        assert_eq!(
            stream_verify(&mut engine, handle, &payload, 1000, expected),
            0,
            "{name} chunked"
        );
        load(&mut engine, &[&secret]);
        assert_eq!(engine.stream_with_secret(secret.len()), 0);
        for piece in payload.chunks(7777) {
            load(&mut engine, &[piece]);
            engine.stream_update(piece.len());
        }
        assert_eq!(engine.stream_sign(), 0);
        assert_eq!(hex_out(&mut engine), expected, "{name} chunked sign");
        count += 1;
    }
    assert_eq!(count, 20);
}

#[wasm_bindgen_test]
fn header_result_codes() {
    let mut engine = Engine::new();
    let secret = b"whsec_example";
    let good = sign_with_secret(&mut engine, secret, b"{}");
    assert_eq!(verify_with_secret(&mut engine, secret, b"{}", &good), 0);
    assert_eq!(
        verify_with_secret(
            &mut engine,
            secret,
            b"{}",
            &format!(" sha256={} ", good.to_uppercase())
        ),
        0
    );
    assert_eq!(verify_with_secret(&mut engine, secret, b"{}", ""), MISSING);
    assert_eq!(
        verify_with_secret(&mut engine, secret, b"{}", " \r\n"),
        MISSING
    );
    for bad in [&good[..63], "sha256=", "zz", "\0", "\u{ffff}"] {
        assert_eq!(
            verify_with_secret(&mut engine, secret, b"{}", bad),
            MALFORMED,
            "{bad:?}"
        );
    }
    assert_eq!(
        verify_with_secret(&mut engine, secret, b"{}", &format!("{good}0")),
        MALFORMED
    );
    assert_eq!(
        verify_with_secret(&mut engine, secret, b"{ }", &good),
        MISMATCH
    );
    // Lengths that do not fit the scratch buffer, and streams that were never started.
    assert_eq!(engine.verify_with_secret(usize::MAX, 1, 1), MISMATCH);
    assert_eq!(engine.verify_with_secret(1, usize::MAX, 1), MISMATCH);
    assert_eq!(engine.sign_with_secret(1 << 30, 0), MISMATCH);
    load(&mut engine, &[good.as_bytes()]);
    assert_eq!(engine.stream_verify(64), MISMATCH);
    assert_eq!(engine.stream_sign(), EMPTY_SECRET);
    engine.stream_update(usize::MAX);
    assert_eq!(verify_with_secret(&mut engine, secret, b"{}", &good), 0);
}

#[wasm_bindgen_test]
fn rotation_reports_the_matching_index() {
    let mut engine = Engine::new();
    let handle = slot(&mut engine, &[b"whsec_new", b"whsec_mid", b"whsec_old"]);
    for (i, secret) in [&b"whsec_new"[..], b"whsec_mid", b"whsec_old"]
        .iter()
        .enumerate()
    {
        let header = sign_with_secret(&mut engine, secret, b"{}");
        assert_eq!(
            verify_with_slot(&mut engine, handle, b"{}", &header),
            i32::try_from(i).unwrap()
        );
        assert_eq!(
            stream_verify(&mut engine, handle, b"{}", 1, &header),
            i32::try_from(i).unwrap()
        );
    }
    let other = sign_with_secret(&mut engine, b"whsec_other", b"{}");
    assert_eq!(
        verify_with_slot(&mut engine, handle, b"{}", &other),
        MISMATCH
    );
}

#[wasm_bindgen_test]
fn the_secret_cache_never_mixes_secrets_up() {
    let mut engine = Engine::new();
    // More secrets than the cache holds, in an order that evicts and revisits entries, with
    // secrets that are prefixes of each other.
    let secrets: Vec<Vec<u8>> = (0..20)
        .map(|i| {
            b"whsec_"
                .repeat(1 + i % 3)
                .into_iter()
                .chain([b'a' + i as u8])
                .collect()
        })
        .collect();
    let expected: Vec<String> = secrets
        .iter()
        .map(|s| {
            let handle = slot(&mut engine, &[s]);
            sign_with_slot(&mut engine, handle, b"{}")
        })
        .collect();
    for round in 0..3 {
        for i in (0..20).map(|i| (i * 7 + round) % 20) {
            assert_eq!(
                sign_with_secret(&mut engine, &secrets[i], b"{}"),
                expected[i],
                "secret {i}"
            );
            assert_eq!(
                verify_with_secret(&mut engine, &secrets[i], b"{}", &expected[i]),
                0
            );
            assert_eq!(
                verify_with_secret(&mut engine, &secrets[i], b"{}", &expected[(i + 1) % 20]),
                MISMATCH
            );
        }
    }
    assert_eq!(
        verify_with_secret(&mut engine, b"", b"{}", &expected[0]),
        EMPTY_SECRET
    );
    load(&mut engine, &[b"{}"]);
    assert_eq!(engine.sign_with_secret(0, 2), EMPTY_SECRET);
    assert_eq!(engine.stream_with_secret(0), EMPTY_SECRET);
}

#[wasm_bindgen_test]
fn empty_secrets_are_refused_and_an_empty_set_matches_nothing() {
    let mut engine = Engine::new();
    let handle = engine.slot_open(false);
    load(&mut engine, &[b""]);
    assert_eq!(engine.slot_add(handle, 0), EMPTY_SECRET);
    load(&mut engine, &[b"{}"]);
    assert_eq!(engine.sign_with_slot(handle, 2), EMPTY_SECRET);
    assert_eq!(
        verify_with_slot(&mut engine, handle, b"{}", &"0".repeat(64)),
        MISMATCH
    );
}

#[wasm_bindgen_test]
fn reused_closed_and_bogus_slot_handles_never_reach_other_keys() {
    let mut engine = Engine::new();
    let first = slot(&mut engine, &[b"whsec_first"]);
    let header = sign_with_slot(&mut engine, first, b"{}");
    assert_eq!(verify_with_slot(&mut engine, first, b"{}", &header), 0);
    // 63 more sets take every reusable slot, so `first`'s slot now holds another set, one
    // signed with the same secret among them: a stale handle must still not reach it.
    let mut last = first;
    for i in 0..63 {
        let secret = if i == 62 {
            b"whsec_first".to_vec()
        } else {
            format!("whsec_{i}").into_bytes()
        };
        last = slot(&mut engine, &[&secret]);
    }
    assert_eq!(
        verify_with_slot(&mut engine, first, b"{}", &header),
        STALE_SLOT
    );
    assert_eq!(engine.stream_with_slot(first), STALE_SLOT);
    load(&mut engine, &[b"{}"]);
    assert_eq!(engine.sign_with_slot(first, 2), STALE_SLOT);
    assert_eq!(verify_with_slot(&mut engine, last, b"{}", &header), 0);
    // The one-call slot does not evict the others.
    let temporary = engine.slot_open(true);
    load(&mut engine, &[b"whsec_temporary"]);
    assert_eq!(engine.slot_add(temporary, 15), 0);
    assert_eq!(verify_with_slot(&mut engine, last, b"{}", &header), 0);
    engine.slot_close(last);
    assert_eq!(
        verify_with_slot(&mut engine, last, b"{}", &header),
        STALE_SLOT
    );
    load(&mut engine, &[b"whsec_x"]);
    assert_eq!(engine.slot_add(last, 7), STALE_SLOT);
    for bogus in [
        f64::NAN,
        -1.0,
        0.0,
        0.5,
        1e300,
        f64::INFINITY,
        last + 64.0,
        last - 64.0,
    ] {
        assert_eq!(
            verify_with_slot(&mut engine, bogus, b"{}", &header),
            STALE_SLOT,
            "{bogus}"
        );
        engine.slot_close(bogus);
    }
}

#[wasm_bindgen_test]
fn sha256_of_the_scratch_buffer() {
    let mut engine = Engine::new();
    load(&mut engine, &[b"abc"]);
    assert_eq!(engine.sha256(3), 0);
    assert_eq!(
        hex_out(&mut engine),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(engine.sha256(usize::MAX), MISMATCH);
}

#[wasm_bindgen_test]
fn api_keys_cross_the_boundary_as_ranges_or_messages() {
    let mut engine = Engine::new();
    let key = parse(&mut engine, " abcdefghijklmn:123456a1b1234b\n", false).unwrap();
    assert_eq!(
        key,
        ("abcdefghijklmn".to_owned(), "123456a1b1234b".to_owned())
    );
    let key = parse(
        &mut engine,
        "  Bearer   abcdefghijklmn:123456a1b1234b ",
        true,
    )
    .unwrap();
    assert_eq!(
        key,
        ("abcdefghijklmn".to_owned(), "123456a1b1234b".to_owned())
    );

    for (input, code) in [
        ("", "empty"),
        ("abc", "missing_separator"),
        ("a:b:c", "too_many_separators"),
        (":s3cr3tPART", "empty_key_id"),
        ("abc:", "empty_secret"),
        ("abc:s3cr3tPART!", "invalid_character"),
        ("Bearer abc:s3cr3tPART", "starts_with_bearer"),
    ] {
        let (got, message) = parse(&mut engine, input, false).unwrap_err();
        assert_eq!(got, code, "{input:?}");
        assert!(message.starts_with("dialnexa-verify: "));
        assert!(
            !message.contains("s3cr") && !message.contains("PART"),
            "{message}"
        );
    }
    for (input, code) in [
        ("", "missing_header"),
        ("Basic dXNlcjpwYXNz", "wrong_scheme"),
        ("Bearer", "missing_token"),
    ] {
        assert_eq!(error_code(&mut engine, input, true), code);
    }
}

#[wasm_bindgen_test]
fn redaction_and_stored_hashes() {
    let mut engine = Engine::new();
    assert_eq!(
        redacted(&mut engine, " Bearer  abcdefghijklmn:123456a1b1234b").as_deref(),
        Some("abcdefghijklmn")
    );
    assert_eq!(redacted(&mut engine, "123456a1b1234b"), None);
    assert_eq!(redacted(&mut engine, ""), None);
    assert_eq!(redacted(&mut engine, "bad id!:secret"), None);
    load(&mut engine, &[b"123456a1b1234b"]);
    assert_eq!(engine.sha256(14), 0);
    let stored = hex_out(&mut engine);
    assert_eq!(stored.len(), 64);
    assert!(check_api_key_js("abcdefghijklmn:123456a1b1234b", &stored));
    assert!(!check_api_key_js("abcdefghijklmn:123456a1b1234c", &stored));
    assert!(!check_api_key_js("abcdefghijklmn:123456a1b1234b", "nothex"));
    assert!(!check_api_key_js("", ""));
}

#[wasm_bindgen_test]
fn hostile_inputs_never_trap_and_the_module_keeps_working() {
    let mut engine = Engine::new();
    let secret = b"whsec_example";
    let good = sign_with_secret(&mut engine, secret, b"{}");
    let huge_header = "a".repeat(10 << 20);
    assert_eq!(
        verify_with_secret(&mut engine, secret, b"{}", &huge_header),
        MALFORMED
    );
    let huge_key = format!("{}:{}", "k".repeat(10 << 20), "s");
    assert_eq!(error_code(&mut engine, &huge_key, false), "too_long");
    assert_eq!(redacted(&mut engine, &huge_key), None);
    assert!(!check_api_key_js(&huge_key, &huge_header));
    for hostile in [
        "\0\0\0",
        "\u{fffd}",
        "sha256=sha256=",
        "Bearer\tabc:def",
        "\u{202e}abc:def",
    ] {
        assert!(verify_with_secret(&mut engine, secret, b"{}", hostile) < 0);
        assert!(parse(&mut engine, hostile, false).is_err());
        assert!(parse(&mut engine, hostile, true).is_err());
        let _ = redacted(&mut engine, hostile);
    }
    let big_body = vec![0x5a_u8; 16 << 20];
    let big_signature = sign_with_secret(&mut engine, secret, &big_body);
    assert_eq!(
        verify_with_secret(&mut engine, secret, &big_body, &big_signature),
        0
    );
    // Still fully usable.
    assert_eq!(verify_with_secret(&mut engine, secret, b"{}", &good), 0);
}
