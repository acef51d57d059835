//! The engine's calls, driven natively exactly as the JavaScript layer drives them in the module:
//! inputs written into the scratch buffer, lengths passed, results read back. Every secret-bearing
//! region must be zero when a call returns.
#![allow(clippy::unwrap_used, clippy::std_instead_of_core)]

use dialnexa_verify_wasm::{
    Engine, BAD_CALL, CHUNK, EMPTY_SECRET, KEY_LEN, MALFORMED_SIGNATURE as MALFORMED, MAX_KEYS,
    MISSING_SIGNATURE as MISSING, SCRATCH, SIGNATURE_MISMATCH as MISMATCH, STATE_LEN,
};
use hmac::{KeyInit, Mac};

/// A scratch buffer the size of the module's, for an engine to work on.
fn memory() -> Box<[u8; SCRATCH]> {
    vec![0; SCRATCH].into_boxed_slice().try_into().unwrap()
}

/// Copies `parts` one after another into the scratch buffer; returns where they end.
fn load(engine: &mut Engine<'_>, parts: &[&[u8]]) -> usize {
    let mut at = 0;
    for part in parts {
        engine.scratch()[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
    at
}

fn hex_out(engine: &mut Engine<'_>) -> String {
    String::from_utf8(engine.scratch()[..64].to_vec()).unwrap()
}

fn reference(secret: &[u8], body: &[u8]) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// The prepared key of `secret`, as `prepareKey` in the JavaScript layer makes it.
fn key(engine: &mut Engine<'_>, secret: &[u8]) -> Vec<u8> {
    load(engine, &[secret]);
    assert_eq!(engine.prepare(secret.len()), 0);
    let key = engine.scratch()[..KEY_LEN].to_vec();
    engine.scratch()[..KEY_LEN].fill(0);
    key
}

fn keys(engine: &mut Engine<'_>, secrets: &[&[u8]]) -> Vec<u8> {
    secrets.iter().flat_map(|s| key(engine, s)).collect()
}

/// Verifies in one call when the body fits, streamed otherwise, as the JavaScript layer does.
fn verify(engine: &mut Engine<'_>, keys: &[u8], body: &[u8], header: &str) -> i32 {
    let count = keys.len() / KEY_LEN;
    if keys.len() + body.len() + header.len() <= SCRATCH {
        load(engine, &[keys, body, header.as_bytes()]);
        let code = engine.verify(count, body.len(), header.len());
        assert_wiped(engine, keys.len());
        code
    } else {
        stream_verify(engine, keys, body, CHUNK, header)
    }
}

fn stream_verify(
    engine: &mut Engine<'_>,
    keys: &[u8],
    body: &[u8],
    chunk: usize,
    header: &str,
) -> i32 {
    let count = keys.len() / KEY_LEN;
    load(engine, &[keys]);
    assert_eq!(engine.stream_start(count), 0);
    let at = count * STATE_LEN;
    for piece in body.chunks(chunk) {
        engine.scratch()[at..at + piece.len()].copy_from_slice(piece);
        assert_eq!(engine.stream_update(count, piece.len()), 0);
    }
    engine.scratch()[at..at + header.len()].copy_from_slice(header.as_bytes());
    let code = engine.stream_verify(count, header.len());
    assert_wiped(engine, at);
    code
}

fn sign(engine: &mut Engine<'_>, key: &[u8], body: &[u8]) -> String {
    if KEY_LEN + body.len() <= SCRATCH {
        load(engine, &[key, body]);
        assert_eq!(engine.sign(body.len()), 0);
        // The key was overwritten by the 64 hex digits; the body after it is not secret.
    } else {
        load(engine, &[key]);
        assert_eq!(engine.stream_start(1), 0);
        for piece in body.chunks(CHUNK) {
            engine.scratch()[STATE_LEN..STATE_LEN + piece.len()].copy_from_slice(piece);
            assert_eq!(engine.stream_update(1, piece.len()), 0);
        }
        assert_eq!(engine.stream_sign(), 0);
        assert_wiped(engine, STATE_LEN);
    }
    hex_out(engine)
}

/// The first `len` bytes of the scratch buffer (past any 64 hex digits of output) are zero.
fn assert_wiped(engine: &mut Engine<'_>, len: usize) {
    let scratch = engine.scratch();
    let from = if scratch[..64].iter().all(u8::is_ascii_hexdigit) {
        64
    } else {
        0
    };
    assert!(
        scratch[from..len].iter().all(|&b| b == 0),
        "secret-bearing bytes left in the scratch buffer"
    );
}

fn unhex(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("vector files hold valid hex")
}

fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

#[test]
fn rfc4231_vectors() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let mut cases = 0;
    for fields in records(include_str!("../../../tests/data/hmac_sha256_rfc4231.txt")) {
        let [case, secret, data, tag] = fields[..] else {
            panic!("bad line")
        };
        let (secret, data) = (unhex(secret), unhex(data));
        let key = key(&mut engine, &secret);
        let full = sign(&mut engine, &key, &data);
        assert!(full.starts_with(tag), "case {case}");
        assert_eq!(verify(&mut engine, &key, &data, &full), 0);
        assert_eq!(stream_verify(&mut engine, &key, &data, 1, &full), 0);
        if case == "5" {
            assert_eq!(
                verify(&mut engine, &key, &data, tag),
                MALFORMED,
                "truncated tags never pass"
            );
        } else {
            assert_eq!(full, tag);
        }
        cases += 1;
    }
    assert_eq!(cases, 7);
}

#[test]
fn spec_snippet_vectors_one_shot_and_chunked() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let mut count = 0;
    for fields in records(include_str!("../../../tests/data/spec_snippet_vectors.txt")) {
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
        let key = key(&mut engine, &unhex(secret));
        assert_eq!(sign(&mut engine, &key, &payload), expected, "{name}");
        assert_eq!(verify(&mut engine, &key, &payload, expected), 0, "{name}");
        for chunk in [CHUNK, 1000, 7777] {
            assert_eq!(
                stream_verify(&mut engine, &key, &payload, chunk, expected),
                0,
                "{name} in {chunk}-byte chunks"
            );
        }
        count += 1;
    }
    assert_eq!(count, 20);
}

#[test]
fn random_secrets_and_bodies_match_the_hmac_crate() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let mut x: u32 = 0x9e37_79b9;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    for i in 0..200 {
        let secret: Vec<u8> = (0..1 + next() % 200).map(|_| next() as u8).collect();
        let size = if i % 40 == 0 {
            200_000
        } else {
            (next() % 3000) as usize
        };
        let body: Vec<u8> = (0..size).map(|_| next() as u8).collect();
        let expected = reference(&secret, &body);
        let key = key(&mut engine, &secret);
        assert_eq!(sign(&mut engine, &key, &body), expected);
        assert_eq!(verify(&mut engine, &key, &body, &expected), 0);
        let mut flipped = unhex(&expected);
        flipped[(next() % 32) as usize] ^= 1 << (next() % 8);
        assert_eq!(
            verify(&mut engine, &key, &body, &hex::encode(flipped)),
            MISMATCH
        );
    }
}

#[test]
fn secrets_longer_than_a_block_are_hashed_first_up_to_the_whole_buffer() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    for len in [65, 1000, 1 << 20, SCRATCH] {
        let secret: Vec<u8> = (0..len).map(|i| (i % 253) as u8).collect();
        let key = key(&mut engine, &secret);
        assert_eq!(
            sign(&mut engine, &key, b"{}"),
            reference(&secret, b"{}"),
            "{len}-byte secret"
        );
    }
}

#[test]
fn header_result_codes_and_shapes() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let key = key(&mut engine, b"whsec_example");
    let good = sign(&mut engine, &key, b"{}");
    assert_eq!(verify(&mut engine, &key, b"{}", &good), 0);
    assert_eq!(
        verify(
            &mut engine,
            &key,
            b"{}",
            &format!(" sha256={} ", good.to_uppercase())
        ),
        0
    );
    assert_eq!(verify(&mut engine, &key, b"{}", ""), MISSING);
    assert_eq!(verify(&mut engine, &key, b"{}", " \r\n"), MISSING);
    for bad in [
        &good[..63],
        "sha256=",
        "zz",
        "\0",
        "\u{ffff}",
        &format!("{good}0"),
    ] {
        assert_eq!(verify(&mut engine, &key, b"{}", bad), MALFORMED, "{bad:?}");
        assert_eq!(
            stream_verify(&mut engine, &key, b"{}", 1, bad),
            MALFORMED,
            "{bad:?}"
        );
        let len = load(&mut engine, &[bad.as_bytes()]);
        assert_eq!(engine.header_shape(len), MALFORMED);
    }
    assert_eq!(verify(&mut engine, &key, b"{ }", &good), MISMATCH);
    let len = load(&mut engine, &[good.as_bytes()]);
    assert_eq!(engine.header_shape(len), 0);
    assert_eq!(engine.header_shape(0), MISSING);
}

#[test]
fn rotation_reports_the_first_matching_index() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let secrets: [&[u8]; 3] = [b"whsec_new", b"whsec_mid", b"whsec_old"];
    let all = keys(&mut engine, &secrets);
    for (i, secret) in secrets.iter().enumerate() {
        let header = reference(secret, b"{}");
        assert_eq!(
            verify(&mut engine, &all, b"{}", &header),
            i32::try_from(i).unwrap()
        );
        assert_eq!(
            stream_verify(&mut engine, &all, b"{}", 1, &header),
            i32::try_from(i).unwrap()
        );
    }
    // The same secret twice: the first index.
    let twice = keys(&mut engine, &[b"whsec_a", b"whsec_a"]);
    assert_eq!(
        verify(&mut engine, &twice, b"{}", &reference(b"whsec_a", b"{}")),
        0
    );
    assert_eq!(
        verify(&mut engine, &all, b"{}", &reference(b"whsec_other", b"{}")),
        MISMATCH
    );
    let many: Vec<u8> = (0..MAX_KEYS)
        .flat_map(|i| key(&mut engine, format!("whsec_{i}").as_bytes()))
        .collect();
    let last = reference(format!("whsec_{}", MAX_KEYS - 1).as_bytes(), b"{}");
    assert_eq!(
        verify(&mut engine, &many, b"{}", &last),
        i32::try_from(MAX_KEYS - 1).unwrap()
    );
    assert_eq!(
        stream_verify(
            &mut engine,
            &many,
            &[7; 100_000],
            CHUNK,
            &reference(b"whsec_3", &[7; 100_000])
        ),
        3
    );
}

#[test]
fn malformed_calls_are_refused_and_wipe_what_they_were_given() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let key = key(&mut engine, b"whsec_example");
    let good = sign(&mut engine, &key, b"{}");
    // No keys, too many keys, lengths past the scratch buffer.
    for keys in [0, MAX_KEYS + 1, usize::MAX] {
        assert_eq!(engine.verify(keys, 0, 0), BAD_CALL);
        assert_eq!(engine.stream_start(keys), BAD_CALL);
        assert_eq!(engine.stream_update(keys, 0), BAD_CALL);
        assert_eq!(engine.stream_verify(keys, 0), BAD_CALL);
    }
    load(&mut engine, &[&key]);
    assert_eq!(engine.verify(1, usize::MAX, 1), BAD_CALL);
    assert_wiped(&mut engine, KEY_LEN);
    load(&mut engine, &[&key]);
    assert_eq!(engine.verify(1, SCRATCH, 1), BAD_CALL);
    assert_wiped(&mut engine, KEY_LEN);
    load(&mut engine, &[&key]);
    assert_eq!(engine.sign(SCRATCH), BAD_CALL);
    assert_wiped(&mut engine, KEY_LEN);
    assert_eq!(engine.prepare(SCRATCH + 1), BAD_CALL);
    assert_eq!(engine.stream_update(1, SCRATCH), BAD_CALL);
    assert_eq!(engine.sha256_hex(SCRATCH + 1), BAD_CALL);
    assert_eq!(engine.parse_key(SCRATCH + 1, false), BAD_CALL);
    assert_eq!(engine.redact(SCRATCH + 1), BAD_CALL);
    assert_eq!(engine.check_api_key(SCRATCH, 1, 1), BAD_CALL);
    assert_eq!(engine.header_shape(SCRATCH + 1), BAD_CALL);
    // States that are not states: garbage where a serialized buffer position must be.
    engine.scratch()[..STATE_LEN].fill(0xff);
    assert_eq!(engine.stream_update(1, 0), BAD_CALL);
    assert_wiped(&mut engine, STATE_LEN);
    engine.scratch()[..STATE_LEN].fill(0xff);
    load(&mut engine, &[&[0xff; STATE_LEN], good.as_bytes()]);
    assert_eq!(engine.stream_verify(1, 64), BAD_CALL);
    engine.scratch()[..STATE_LEN].fill(0xff);
    assert_eq!(engine.stream_sign(), BAD_CALL);
    assert_wiped(&mut engine, STATE_LEN);
    // A stream state whose block count would overflow sha2's length arithmetic is refused.
    load(&mut engine, &[&key]);
    assert_eq!(engine.stream_start(1), 0);
    engine.scratch()[32 + 32..32 + 40].copy_from_slice(&(1u64 << 54).to_le_bytes());
    assert_eq!(engine.stream_update(1, 0), BAD_CALL);
    load(&mut engine, &[&key]);
    assert_eq!(engine.stream_start(1), 0);
    engine.scratch()[32 + 32..32 + 40].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(engine.stream_sign(), BAD_CALL);
    // Empty secrets are refused.
    assert_eq!(engine.prepare(0), EMPTY_SECRET);
    // And the engine still works.
    assert_eq!(verify(&mut engine, &key, b"{}", &good), 0);
}

#[test]
fn every_call_wipes_the_secrets_keys_and_states_it_was_given() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let secret = b"whsec_wipe_me_please_0123456789";
    load(&mut engine, &[secret]);
    assert_eq!(engine.prepare(secret.len()), 0);
    let key = engine.scratch()[..KEY_LEN].to_vec();
    assert!(engine.scratch()[KEY_LEN..secret.len().max(KEY_LEN)]
        .iter()
        .all(|&b| b == 0));
    assert!(key.iter().any(|&b| b != 0));
    let good = reference(secret, b"{}");
    // verify (both results), sign, streams: assert_wiped runs inside the helpers.
    assert_eq!(verify(&mut engine, &key, b"{}", &good), 0);
    assert_eq!(verify(&mut engine, &key, b"{}", "zz"), MALFORMED);
    assert_eq!(verify(&mut engine, &key, b"{ }", &good), MISMATCH);
    assert_eq!(sign(&mut engine, &key, b"{}"), good);
    assert_eq!(stream_verify(&mut engine, &key, b"{}", 1, &good), 0);
    // A refused call wipes the whole buffer (what the module does after every BAD_CALL).
    load(&mut engine, &[secret]);
    engine.wipe_all();
    assert!(engine.scratch().iter().all(|&b| b == 0));
    // Nothing of the secret anywhere in the scratch buffer now.
    let scratch = engine.scratch().to_vec();
    assert!(!scratch
        .windows(8)
        .any(|w| secret.windows(8).any(|s| s == w)));
    assert!(!scratch.windows(16).any(|w| key.windows(16).any(|k| k == w)));
}

#[test]
fn sha256_hex_of_the_scratch_buffer() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let len = load(&mut engine, &[b"abc"]);
    assert_eq!(engine.sha256_hex(len), 0);
    assert_eq!(
        hex_out(&mut engine),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let len = load(&mut engine, &[&[b'x'; 200]]);
    assert_eq!(engine.sha256_hex(len), 0);
    assert!(
        engine.scratch()[64..200].iter().all(|&b| b == 0),
        "the input is wiped"
    );
}

/// What `Engine::parse_key` reports: `Ok((key_id, secret))` or `Err((code, message))`.
fn parse(
    engine: &mut Engine<'_>,
    input: &str,
    authorization: bool,
) -> Result<(String, String), (String, String)> {
    let len = load(engine, &[input.as_bytes()]);
    let result = engine.parse_key(len, authorization);
    let scratch = engine.scratch();
    if result == 0 {
        let at = |i: usize| u32::from_le_bytes(scratch[i..i + 4].try_into().unwrap()) as usize;
        assert!(
            scratch[16..len].iter().all(|&b| b == 0),
            "the input is wiped"
        );
        Ok((
            input[at(0)..at(4)].to_owned(),
            input[at(8)..at(12)].to_owned(),
        ))
    } else {
        assert!(result < BAD_CALL);
        let n = result.unsigned_abs() as usize;
        let text = std::str::from_utf8(&scratch[..n]).unwrap().to_owned();
        assert!(
            scratch[n..len.max(n)].iter().all(|&b| b == 0),
            "the input is wiped"
        );
        let (code, message) = text.split_once('\n').unwrap();
        Err((code.to_owned(), message.to_owned()))
    }
}

#[test]
fn api_keys_cross_the_boundary_as_ranges_or_messages() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let expected = ("abcdefghijklmn".to_owned(), "123456a1b1234b".to_owned());
    assert_eq!(
        parse(&mut engine, " abcdefghijklmn:123456a1b1234b\n", false).unwrap(),
        expected
    );
    assert_eq!(
        parse(
            &mut engine,
            "  Bearer   abcdefghijklmn:123456a1b1234b ",
            true
        )
        .unwrap(),
        expected
    );
    for (input, authorization, code) in [
        ("", false, dialnexa_verify::ApiKeyError::Empty.code()),
        ("abc", false, "missing_separator"),
        ("a:b:c", false, "too_many_separators"),
        (":s3cr3tPART", false, "empty_key_id"),
        ("abc:", false, "empty_secret"),
        ("abc:s3cr3tPART!", false, "invalid_character"),
        ("Bearer abc:s3cr3tPART", false, "starts_with_bearer"),
        ("", true, "missing_header"),
        ("Basic dXNlcjpwYXNz", true, "wrong_scheme"),
        ("Bearer", true, "missing_token"),
    ] {
        let (got, message) = parse(&mut engine, input, authorization).unwrap_err();
        assert_eq!(got, code, "{input:?}");
        assert!(message.starts_with("dialnexa-verify: "));
        assert!(
            !message.contains("s3cr") && !message.contains("PART"),
            "{message}"
        );
    }
    // Not UTF-8 (JavaScript never writes such bytes): refused, and wiped all the same.
    let len = load(&mut engine, &[b"abc:\xff\xfe"]);
    assert_eq!(engine.parse_key(len, false), BAD_CALL);
    assert_wiped(&mut engine, len);
}

fn redacted(engine: &mut Engine<'_>, input: &str) -> Option<String> {
    let len = load(engine, &[input.as_bytes()]);
    let code = engine.redact(len);
    let scratch = engine.scratch();
    assert!(
        scratch[8..len.max(8)].iter().all(|&b| b == 0),
        "the input is wiped"
    );
    match code {
        1 => {
            let at = |i: usize| u32::from_le_bytes(scratch[i..i + 4].try_into().unwrap()) as usize;
            Some(input[at(0)..at(4)].to_owned())
        }
        0 => None,
        other => panic!("redact returned {other}"),
    }
}

#[test]
fn redaction() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    assert_eq!(
        redacted(&mut engine, " Bearer  abcdefghijklmn:123456a1b1234b").as_deref(),
        Some("abcdefghijklmn")
    );
    assert_eq!(redacted(&mut engine, "123456a1b1234b"), None);
    assert_eq!(redacted(&mut engine, ""), None);
    assert_eq!(redacted(&mut engine, "bad id!:secret"), None);
}

fn check_key(engine: &mut Engine<'_>, presented: &str, key_id: &str, hash: &str) -> i32 {
    let len = load(
        engine,
        &[presented.as_bytes(), key_id.as_bytes(), hash.as_bytes()],
    );
    let code = engine.check_api_key(presented.len(), key_id.len(), hash.len());
    assert!(
        engine.scratch()[..presented.len()].iter().all(|&b| b == 0),
        "the presented key is wiped"
    );
    assert!(len >= presented.len());
    code
}

#[test]
fn api_key_checks_bind_the_key_id() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let len = load(&mut engine, &[b"123456a1b1234b"]);
    assert_eq!(engine.sha256_hex(len), 0);
    let stored = hex_out(&mut engine);
    let id = "abcdefghijklmn";
    assert_eq!(
        check_key(&mut engine, "abcdefghijklmn:123456a1b1234b", id, &stored),
        1
    );
    assert_eq!(
        check_key(
            &mut engine,
            "abcdefghijklmn:123456a1b1234b",
            id,
            &stored.to_uppercase()
        ),
        1
    );
    assert_eq!(
        check_key(&mut engine, "abcdefghijklmn:123456a1b1234c", id, &stored),
        0
    );
    assert_eq!(
        check_key(&mut engine, "someone-else:123456a1b1234b", id, &stored),
        0,
        "another key ID with the right secret"
    );
    assert_eq!(
        check_key(&mut engine, "abcdefghijklm:123456a1b1234b", id, &stored),
        0,
        "a prefix of the key ID"
    );
    assert_eq!(
        check_key(&mut engine, "abcdefghijklmn:123456a1b1234b", id, "nothex"),
        0
    );
    assert_eq!(
        check_key(&mut engine, "abcdefghijklmn:123456a1b1234b", "", &stored),
        0
    );
    assert_eq!(check_key(&mut engine, "", "", ""), 0);
    assert_eq!(
        check_key(
            &mut engine,
            "Bearer abcdefghijklmn:123456a1b1234b",
            id,
            &stored
        ),
        0
    );
}

#[test]
fn hostile_inputs_never_panic_and_the_engine_keeps_working() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let key = key(&mut engine, b"whsec_example");
    let good = sign(&mut engine, &key, b"{}");
    for hostile in [
        "\0\0\0",
        "\u{fffd}",
        "sha256=sha256=",
        "Bearer\tabc:def",
        "\u{202e}abc:def",
        &"a".repeat(4096),
    ] {
        assert!(verify(&mut engine, &key, b"{}", hostile) < 0);
        assert!(parse(&mut engine, hostile, false).is_err());
        assert!(parse(&mut engine, hostile, true).is_err());
        let _ = redacted(&mut engine, hostile);
        assert_eq!(check_key(&mut engine, hostile, hostile, hostile), 0);
    }
    let huge_key = format!("{}:s", "k".repeat(SCRATCH - 10));
    assert_eq!(
        parse(&mut engine, &huge_key, false).unwrap_err().0,
        "too_long"
    );
    let big_body = vec![0x5a_u8; 16 << 20];
    let big_signature = sign(&mut engine, &key, &big_body);
    assert_eq!(big_signature, reference(b"whsec_example", &big_body));
    assert_eq!(verify(&mut engine, &key, &big_body, &big_signature), 0);
    assert_eq!(verify(&mut engine, &key, b"{}", &good), 0);
}

fn diagnose(
    engine: &mut Engine<'_>,
    secrets: &[&[u8]],
    body: &[u8],
    header: &[u8],
) -> &'static str {
    let mut at = 4 * secrets.len();
    for (i, secret) in secrets.iter().enumerate() {
        engine.scratch()[4 * i..4 * i + 4]
            .copy_from_slice(&u32::try_from(secret.len()).unwrap().to_le_bytes());
        engine.scratch()[at..at + secret.len()].copy_from_slice(secret);
        at += secret.len();
    }
    load_at(engine, at, &[body, header]);
    let code = engine.diagnose(secrets.len(), body.len(), header.len());
    assert!(
        engine.scratch()[..4 * secrets.len() + secrets.iter().map(|s| s.len()).sum::<usize>()]
            .iter()
            .all(|&b| b == 0),
        "secrets wiped"
    );
    dialnexa_verify::Cause::ALL[usize::try_from(code).expect("a cause index")].code()
}

fn load_at(engine: &mut Engine<'_>, mut at: usize, parts: &[&[u8]]) {
    for part in parts {
        engine.scratch()[at..at + part.len()].copy_from_slice(part);
        at += part.len();
    }
}

#[test]
fn diagnosis_names_the_cause_and_wipes_the_secrets() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let secret = b"whsec_diagnose_9Qm";
    let body = br#"{"event":"call.completed","call_id":"c_1"}"#;
    let header = reference(secret, body);
    assert_eq!(
        diagnose(&mut engine, &[secret], body, header.as_bytes()),
        "none"
    );
    assert_eq!(
        diagnose(
            &mut engine,
            &[b"whsec_diagnose_9Qm\n"],
            body,
            header.as_bytes()
        ),
        "secret_whitespace"
    );
    assert_eq!(
        diagnose(&mut engine, &[b"other", secret], body, header.as_bytes()),
        "none"
    );
    let b64 = b"eyJldmVudCI6ImNhbGwuY29tcGxldGVkIiwiY2FsbF9pZCI6ImNfMSJ9";
    assert_eq!(
        diagnose(&mut engine, &[secret], b64, header.as_bytes()),
        "body_base64"
    );
    assert_eq!(
        diagnose(&mut engine, &[secret], body, b""),
        "header_missing"
    );
    assert_eq!(
        diagnose(&mut engine, &[secret], body, &header.as_bytes()[..40]),
        "header_other_algorithm"
    );
    assert_eq!(
        diagnose(
            &mut engine,
            &[b"whsec_someone_else"],
            body,
            header.as_bytes()
        ),
        "unknown"
    );
    // Calls that do not fit are refused.
    assert_eq!(engine.diagnose(0, 0, 0), BAD_CALL);
    assert_eq!(engine.diagnose(5, 0, 0), BAD_CALL);
    assert_eq!(
        engine.diagnose(1, dialnexa_verify::MAX_DIAGNOSIS_BODY + 1, 0),
        BAD_CALL
    );
    engine.scratch()[..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(engine.diagnose(1, 0, 0), BAD_CALL);
    assert_eq!(engine.diagnose(1, SCRATCH, SCRATCH), BAD_CALL);
}

/// The value of `const NAME = <expression>;` in the JavaScript layer, for the few forms it uses
/// (`64`, `-1`, `64 * 1024`, `1 << 20`).
fn js_constant(source: &str, name: &str) -> i64 {
    let line = source
        .lines()
        .find_map(|line| line.strip_prefix(&format!("const {name} = ")))
        .unwrap_or_else(|| panic!("api.js has no const {name}"));
    let expression = line.trim_end_matches(';').trim();
    let number = |text: &str| text.trim().parse::<i64>().unwrap();
    if let Some((a, b)) = expression.split_once(" * ") {
        number(a) * number(b)
    } else if let Some((a, b)) = expression.split_once(" << ") {
        number(a) << number(b)
    } else {
        number(expression)
    }
}

#[test]
fn the_javascript_layer_uses_the_engines_layout_and_codes() {
    let api = include_str!("../../src/api.js");
    for (name, value) in [
        ("KEY_LEN", KEY_LEN as i64),
        ("STATE_LEN", STATE_LEN as i64),
        ("MAX_KEYS", MAX_KEYS as i64),
        ("CHUNK", CHUNK as i64),
        ("MISSING", i64::from(MISSING)),
        ("MALFORMED", i64::from(MALFORMED)),
        ("MISMATCH", i64::from(MISMATCH)),
        (
            "MAX_DIAGNOSIS_SECRETS",
            dialnexa_verify::MAX_DIAGNOSIS_SECRETS as i64,
        ),
        (
            "MAX_DIAGNOSIS_BODY",
            dialnexa_verify::MAX_DIAGNOSIS_BODY as i64,
        ),
    ] {
        assert_eq!(js_constant(api, name), value, "{name}");
    }
    // The codes JavaScript reads: an index from 0 up, then -1 to -3 as reasons; -4 and -5 it
    // treats as internal errors, and a parse error is minus a message's length (longer than 5).
    assert_eq!(
        [MISSING, MALFORMED, MISMATCH, EMPTY_SECRET, BAD_CALL],
        [-1, -2, -3, -4, -5]
    );
    // The scratch buffer holds a diagnosis: the whole body, the secrets and the header.
    assert_eq!(SCRATCH, dialnexa_verify::MAX_DIAGNOSIS_BODY + 64 * 1024);
}

#[test]
fn debug_output_names_the_buffer_size_only() {
    let mut memory = memory();
    memory[..8].copy_from_slice(b"whsec_do");
    let engine = Engine::new(&mut memory);
    let text = format!("{engine:?}");
    assert_eq!(text, format!("Engine {{ scratch_len: {SCRATCH}, .. }}"));
}

#[test]
fn diagnosis_reads_every_secret_at_its_offset_and_takes_a_body_of_the_largest_size() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let body = br#"{"event":"call.completed"}"#;
    let wanted: &[u8] = b"whsec_the_right_one";
    for count in 1..=4 {
        let wrong: [&[u8]; 3] = [b"whsec_first_wrong", b"short", b"whsec_third_is_wrong_too"];
        let mut secrets: Vec<&[u8]> = wrong[..count - 1].to_vec();
        secrets.push(wanted);
        let header = reference(wanted, body);
        assert_eq!(
            diagnose(&mut engine, &secrets, body, header.as_bytes()),
            "none",
            "{count} secrets"
        );
    }
    let largest = vec![b'x'; dialnexa_verify::MAX_DIAGNOSIS_BODY];
    let header = reference(wanted, &largest);
    assert_eq!(
        diagnose(&mut engine, &[wanted], &largest, header.as_bytes()),
        "none",
        "a body of exactly the largest size"
    );
}

#[test]
fn api_key_messages_are_the_cores_own_text() {
    let mut memory = memory();
    let mut engine = Engine::new(&mut memory);
    let long_secret = format!("id:{}", "s".repeat(300));
    let inputs = [
        "",
        "abc",
        "a:b:c",
        ":secret",
        "abc:",
        "bad id:secret",                                 // position 3
        "abcdefghijklmn:secret%with",                    // position 6
        "abcdefghijklmn:0123456789abcdefgh!ij",          // position 18: two digits
        &format!("abcdefghijklmn:{}!", "x".repeat(250)), // position 250: three digits
        "!abc:def",                                      // position 0
        &long_secret,
        "Bearer abc:def",
    ];
    for input in inputs {
        let expected = dialnexa_verify::ApiKey::parse(input).unwrap_err();
        let (code, message) = parse(&mut engine, input, false).unwrap_err();
        assert_eq!(code, expected.code(), "{input:?}");
        assert_eq!(message, format!("dialnexa-verify: {expected}"), "{input:?}");
    }
    for header in ["", "Basic x", "Bearer", "Bearer ab cd:!"] {
        let expected = dialnexa_verify::ApiKey::from_authorization(header).unwrap_err();
        let (_, message) = parse(&mut engine, header, true).unwrap_err();
        assert_eq!(
            message,
            format!("dialnexa-verify: {expected}"),
            "{header:?}"
        );
    }
}
