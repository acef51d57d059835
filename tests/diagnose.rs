//! `diagnose`: every cause built from a correct delivery the way an integration breaks it, the
//! JSON styles of Python's and Node's real serializers, random deliveries, hostile inputs, and
//! the texts it produces.
#![cfg(not(target_arch = "wasm32"))]

use core::time::Duration;
use std::time::Instant;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use dialnexa_verify::{
    diagnose, Cause, Diagnosis, Verifier, MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_SECRETS,
};
use hmac::{KeyInit, Mac};
use proptest::prelude::*;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The secret registered with the webhook.
const REGISTERED: &str = "whk_T9vQ3xL7mR2pK8sN";

/// A DialNexa-like event as a Python sender writes it: `json.dumps(event)`, with `", "` and
/// `": "` separators and non-ASCII characters as `\uXXXX` escapes (surrogate pairs for the emoji).
const SENT: &str = r#"{"event": "call.completed", "call_id": "call_8f2a41c9", "caller": {"name": "Zo\u00eb \u00c5ngstr\u00f6m", "number": "+46 70 123 45 67"}, "summary": "Rescheduled \ud83d\udc4d", "duration_seconds": 187, "recording_url": "https://cdn.dialnexa.com/rec/call_8f2a41c9.mp3"}"#;

/// What a Node receiver hands to the check after `JSON.stringify(JSON.parse(body))` (as printed
/// by Node 20 for `SENT`): compact, raw UTF-8.
const RESTRINGIFIED: &str = r#"{"event":"call.completed","call_id":"call_8f2a41c9","caller":{"name":"Zoë Ångström","number":"+46 70 123 45 67"},"summary":"Rescheduled 👍","duration_seconds":187,"recording_url":"https://cdn.dialnexa.com/rec/call_8f2a41c9.mp3"}"#;

/// The same event as `json.dumps(event, indent=2)` writes it (LF line endings).
const SENT_INDENTED: &str = "{\n  \"event\": \"call.completed\",\n  \"call_id\": \"call_8f2a41c9\",\n  \"caller\": {\n    \"name\": \"Zo\\u00eb \\u00c5ngstr\\u00f6m\",\n    \"number\": \"+46 70 123 45 67\"\n  },\n  \"summary\": \"Rescheduled \\ud83d\\udc4d\",\n  \"duration_seconds\": 187,\n  \"recording_url\": \"https://cdn.dialnexa.com/rec/call_8f2a41c9.mp3\"\n}";

fn tag(secret: &[u8], body: &[u8]) -> [u8; 32] {
    *Verifier::new(secret).expect("secret").sign(body).as_bytes()
}

fn hex_tag(secret: &[u8], body: &[u8]) -> String {
    hex::encode(tag(secret, body))
}

/// HMAC with the `hmac` crate, for the digests and key orders `Verifier` does not make.
macro_rules! reference_hmac {
    ($digest:ty, $key:expr, $message:expr) => {{
        let mut mac = hmac::Hmac::<$digest>::new_from_slice($key).expect("any key length");
        mac.update($message);
        mac.finalize().into_bytes().to_vec()
    }};
}

/// The value of `NAME=value` as a naive `.env` reader (split at the first `=`) returns it.
fn naive_env_value(line: &str) -> &str {
    line.split_once('=').expect("NAME=value").1
}

/// 32 bytes that are not text (a random key as a decoder returns it), derived from a label.
fn key_bytes(label: &str) -> Vec<u8> {
    Sha256::digest(label.as_bytes()).to_vec()
}

struct Case {
    name: &'static str,
    secrets: Vec<Vec<u8>>,
    body: Vec<u8>,
    header: Vec<u8>,
    cause: Cause,
    secret: Option<usize>,
}

fn case(
    name: &'static str,
    secrets: &[&[u8]],
    body: &[u8],
    header: impl AsRef<[u8]>,
    cause: Cause,
    secret: Option<usize>,
) -> Case {
    Case {
        name,
        secrets: secrets.iter().map(|s| s.to_vec()).collect(),
        body: body.to_vec(),
        header: header.as_ref().to_vec(),
        cause,
        secret,
    }
}

/// Every cause, each built from a correct delivery of `SENT` (or a variant of it).
fn table() -> Vec<Case> {
    let registered = REGISTERED.as_bytes();
    let sent = SENT.as_bytes();
    let header = hex_tag(registered, sent);
    let good = &header;
    let with_newline = [sent, b"\n"].concat();
    let crlf_indented = SENT_INDENTED.replace('\n', "\r\n");
    let bom = [&b"\xef\xbb\xbf"[..], sent].concat();
    // A legacy system put Windows-1252 text ("Caf\xe9") in the event; the receiver decoded the
    // body as UTF-8 (`body.toString()`) before checking it.
    let latin1 = b"{\"event\": \"call.completed\", \"note\": \"Caf\xe9 Ren\xe9\"}".to_vec();
    let lossy = String::from_utf8_lossy(&latin1).into_owned();
    let hex_registered = hex::encode(key_bytes("hex registered"));
    let b64_registered = STANDARD.encode(key_bytes("base64 registered"));
    let url_registered = URL_SAFE_NO_PAD.encode(key_bytes("url registered"));
    let whsec_registered = format!("whsec_{}", STANDARD.encode(key_bytes("whsec registered")));
    let long_registered = hex::encode([key_bytes("long 1"), key_bytes("long 2")].concat());
    let ping = br#"{"event":"ping"}"#;

    vec![
        case("valid", &[registered], sent, good, Cause::None, Some(0)),
        case(
            "valid with the old secret during rotation",
            &[b"whk_N3wQz8Lp", registered],
            sent,
            good,
            Cause::None,
            Some(1),
        ),
        case(
            "valid with an uppercase header and a sha256= prefix",
            &[registered],
            sent,
            format!(" sha256={}\r\n", header.to_uppercase()),
            Cause::None,
            Some(0),
        ),
        case(
            "secret from a .env line that kept its newline",
            &[naive_env_value(&format!("DIALNEXA_WEBHOOK_SECRET={REGISTERED}\n")).as_bytes()],
            sent,
            good,
            Cause::SecretWhitespace,
            Some(0),
        ),
        case(
            "secret from a .env file saved with CRLF",
            &[naive_env_value(&format!("DIALNEXA_WEBHOOK_SECRET={REGISTERED}\r\n")).as_bytes()],
            sent,
            good,
            Cause::SecretWhitespace,
            Some(0),
        ),
        case(
            "secret pasted with a leading space, second of two",
            &[b"whk_N3wQz8Lp", format!(" {REGISTERED}").as_bytes()],
            sent,
            good,
            Cause::SecretWhitespace,
            Some(1),
        ),
        case(
            "secret from a .env line with double quotes and a newline",
            &[naive_env_value(&format!("DIALNEXA_WEBHOOK_SECRET=\"{REGISTERED}\"\n")).as_bytes()],
            sent,
            good,
            Cause::SecretQuoted,
            Some(0),
        ),
        case(
            "secret from docker --env-file with single quotes",
            &[naive_env_value(&format!("DIALNEXA_WEBHOOK_SECRET='{REGISTERED}'")).as_bytes()],
            sent,
            good,
            Cause::SecretQuoted,
            Some(0),
        ),
        case(
            "hex text registered, Buffer.from(secret, 'hex') passed",
            &[&key_bytes("hex registered")],
            sent,
            hex_tag(hex_registered.as_bytes(), sent),
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "base64 text registered, its decoded bytes passed",
            &[&key_bytes("base64 registered")],
            sent,
            hex_tag(b64_registered.as_bytes(), sent),
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "URL-safe base64 text registered, its decoded bytes passed",
            &[&key_bytes("url registered")],
            sent,
            hex_tag(url_registered.as_bytes(), sent),
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "whsec_ text registered, the decoded key passed",
            &[&key_bytes("whsec registered")],
            sent,
            hex_tag(whsec_registered.as_bytes(), sent),
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "96 hex digits registered (a key longer than a block), the bytes passed",
            &[&[key_bytes("long 1"), key_bytes("long 2")].concat()],
            sent,
            hex_tag(long_registered.as_bytes(), sent),
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "secret still base64 from a Kubernetes Secret's data field",
            &[STANDARD.encode(REGISTERED).as_bytes()],
            sent,
            good,
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "secret stored as the hex of its text",
            &[hex::encode(REGISTERED).as_bytes()],
            sent,
            good,
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "secret given in Standard Webhooks form, whsec_ and base64",
            &[format!("whsec_{}", STANDARD.encode(REGISTERED)).as_bytes()],
            sent,
            good,
            Cause::SecretEncoding,
            Some(0),
        ),
        case(
            "Lambda function URL: event.body is base64 (isBase64Encoded)",
            &[registered],
            STANDARD.encode(sent).as_bytes(),
            good,
            Cause::BodyBase64,
            Some(0),
        ),
        case(
            "URL-safe unpadded base64 body",
            &[registered],
            URL_SAFE_NO_PAD.encode(sent).as_bytes(),
            good,
            Cause::BodyBase64,
            Some(0),
        ),
        case(
            "stream consumed before the check",
            &[registered],
            b"",
            good,
            Cause::BodyEmpty,
            None,
        ),
        case(
            "body saved to a file with a final newline",
            &[registered],
            &with_newline,
            good,
            Cause::BodyTrailingNewline,
            Some(0),
        ),
        case(
            "body with a final CRLF",
            &[registered],
            &[sent, b"\r\n"].concat(),
            good,
            Cause::BodyTrailingNewline,
            Some(0),
        ),
        case(
            "sender's final newline trimmed by the receiver",
            &[registered],
            sent,
            hex_tag(registered, &with_newline),
            Cause::BodyTrailingNewline,
            Some(0),
        ),
        case(
            "indented body read in text mode on Windows (LF to CRLF)",
            &[registered],
            crlf_indented.as_bytes(),
            hex_tag(registered, SENT_INDENTED.as_bytes()),
            Cause::BodyLineEndings,
            Some(0),
        ),
        case(
            "CRLF body with its line endings normalized to LF",
            &[registered],
            SENT_INDENTED.as_bytes(),
            hex_tag(registered, crlf_indented.as_bytes()),
            Cause::BodyLineEndings,
            Some(0),
        ),
        case(
            "byte-order mark added by a text encoder",
            &[registered],
            &bom,
            good,
            Cause::BodyBom,
            Some(0),
        ),
        case(
            "byte-order mark stripped by a text decoder",
            &[registered],
            sent,
            hex_tag(registered, &bom),
            Cause::BodyBom,
            Some(0),
        ),
        case(
            "JSON.stringify(JSON.parse(body)) of a Python-style body",
            &[registered],
            RESTRINGIFIED.as_bytes(),
            good,
            Cause::BodyReserialized,
            Some(0),
        ),
        case(
            "compact body re-serialized by json.dumps(indent=2), second secret",
            &[b"whk_N3wQz8Lp", registered],
            SENT_INDENTED.as_bytes(),
            hex_tag(registered, RESTRINGIFIED.as_bytes()),
            Cause::BodyReserialized,
            Some(1),
        ),
        case(
            "body decoded as UTF-8 with the wrong charset",
            &[registered],
            lossy.as_bytes(),
            hex_tag(registered, &latin1),
            Cause::BodyNotUtf8,
            None,
        ),
        case(
            "header signed with digest('base64')",
            &[registered],
            sent,
            STANDARD.encode(tag(registered, sent)),
            Cause::HeaderBase64,
            Some(0),
        ),
        case(
            "header as sha256= and URL-safe base64",
            &[registered],
            sent,
            format!("sha256={}", URL_SAFE_NO_PAD.encode(tag(registered, sent))),
            Cause::HeaderBase64,
            Some(0),
        ),
        case(
            "header signed with HMAC-SHA512",
            &[registered],
            sent,
            hex::encode(reference_hmac!(Sha512, registered, sent)),
            Cause::HeaderOtherAlgorithm,
            None,
        ),
        case(
            "header as sha384= and HMAC-SHA384",
            &[registered],
            sent,
            format!(
                "sha384={}",
                hex::encode(reference_hmac!(Sha384, registered, sent))
            ),
            Cause::HeaderOtherAlgorithm,
            None,
        ),
        case(
            "header as sha1= and 40 hex digits",
            &[registered],
            sent,
            format!("sha1={}", &header[..40]),
            Cause::HeaderOtherAlgorithm,
            None,
        ),
        case(
            "header is the plain SHA-256 of the body",
            &[registered],
            sent,
            hex::encode(Sha256::digest(sent)),
            Cause::HeaderUnkeyed,
            None,
        ),
        case(
            "header is HMAC(key = body, message = secret)",
            &[registered],
            sent,
            hex::encode(reference_hmac!(Sha256, sent, registered)),
            Cause::HeaderSwapped,
            Some(0),
        ),
        case(
            "header is HMAC(key = short body, message = secret), second secret",
            &[b"whk_N3wQz8Lp", registered],
            ping,
            hex::encode(reference_hmac!(Sha256, ping, registered)),
            Cause::HeaderSwapped,
            Some(1),
        ),
        case(
            "a Stripe-style signature header",
            &[registered],
            sent,
            format!("t=1700000000,v1={header}"),
            Cause::HeaderOtherScheme,
            None,
        ),
        case(
            "the Authorization header",
            &[registered],
            sent,
            "Bearer abcdefghijklmn:123456a1b1234b",
            Cause::HeaderOtherScheme,
            None,
        ),
        case(
            "a Standard Webhooks signature header",
            &[registered],
            sent,
            format!("v1,{}", STANDARD.encode(tag(registered, sent))),
            Cause::HeaderOtherScheme,
            None,
        ),
        case(
            "req.headers['X-DialNexa-Signature'] in Node: undefined",
            &[registered],
            sent,
            "",
            Cause::HeaderMissing,
            None,
        ),
        case(
            "header of whitespace only",
            &[registered],
            sent,
            " \t",
            Cause::HeaderMissing,
            None,
        ),
        case(
            "header truncated by one digit",
            &[registered],
            sent,
            &header[..63],
            Cause::HeaderMalformed,
            None,
        ),
        case(
            "header truncated to half",
            &[registered],
            sent,
            &header[..32],
            Cause::HeaderMalformed,
            None,
        ),
        case(
            "header JSON-quoted",
            &[registered],
            sent,
            format!("\"{header}\""),
            Cause::HeaderMalformed,
            None,
        ),
        case(
            "another webhook's secret",
            &[b"whk_Xq7Zp0Lm4Vb"],
            sent,
            good,
            Cause::Unknown,
            None,
        ),
        case(
            "a field changed on the way",
            &[registered],
            SENT.replace("187", "188").as_bytes(),
            good,
            Cause::Unknown,
            None,
        ),
        case(
            "two mistakes at once: a quoted secret and a re-serialized body",
            &[format!("\"{REGISTERED}\"").as_bytes()],
            RESTRINGIFIED.as_bytes(),
            good,
            Cause::Unknown,
            None,
        ),
        case("no secrets at all", &[], sent, good, Cause::Unknown, None),
    ]
}

fn run(case: &Case) -> Diagnosis {
    let secrets: Vec<&[u8]> = case.secrets.iter().map(Vec::as_slice).collect();
    diagnose(&secrets, &case.body, &case.header)
}

#[test]
fn every_cause_is_found_where_an_integration_breaks_a_delivery() {
    for case in table() {
        let diagnosis = run(&case);
        assert_eq!(
            (diagnosis.cause, diagnosis.secret),
            (case.cause, case.secret),
            "{}",
            case.name
        );
    }
}

#[test]
fn the_table_covers_every_cause() {
    let table = table();
    for &cause in Cause::ALL {
        assert!(
            table.iter().any(|case| case.cause == cause),
            "no case for {cause:?}"
        );
    }
}

#[test]
fn codes_are_the_documented_strings() {
    let codes: Vec<&str> = Cause::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(
        codes,
        [
            "none",
            "secret_whitespace",
            "secret_quoted",
            "secret_encoding",
            "body_base64",
            "body_empty",
            "body_trailing_newline",
            "body_line_endings",
            "body_bom",
            "body_reserialized",
            "body_not_utf8",
            "header_base64",
            "header_other_algorithm",
            "header_unkeyed",
            "header_swapped",
            "header_other_scheme",
            "header_missing",
            "header_malformed",
            "unknown",
        ]
    );
}

/// One event, as each serializer wrote it: (serializer, bytes).
type Styles = Vec<(String, Vec<u8>)>;

/// The events of `data/json_styles_python_node.txt`, each as written by every serializer.
fn json_style_vectors() -> Vec<(String, Styles)> {
    let mut events: Vec<(String, Styles)> = Vec::new();
    for line in include_str!("data/json_styles_python_node.txt").lines() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [event, serializer, bytes] = fields[..] else {
            panic!("bad line {line:?}");
        };
        let bytes = hex::decode(bytes).expect("hex");
        match events.last_mut() {
            Some((name, styles)) if name == event => styles.push((serializer.to_owned(), bytes)),
            _ => events.push((event.to_owned(), vec![(serializer.to_owned(), bytes)])),
        }
    }
    events
}

#[test]
fn json_written_by_python_or_node_is_found_from_any_other_of_their_styles() {
    let events = json_style_vectors();
    assert_eq!(events.len(), 3);
    let secret = REGISTERED.as_bytes();
    let mut pairs = 0;
    for (event, styles) in &events {
        assert_eq!(styles.len(), 9, "{event}");
        for (signer, signed) in styles {
            let header = hex_tag(secret, signed);
            for (receiver, received) in styles {
                let expected = if received == signed {
                    Cause::None
                } else {
                    Cause::BodyReserialized
                };
                let diagnosis = diagnose(&[secret], received, header.as_bytes());
                assert_eq!(
                    diagnosis.cause, expected,
                    "{event}: signed as {signer}, received as {receiver}"
                );
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 3 * 9 * 9);
}

/// A small deterministic generator (SplitMix64) for the random deliveries.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// Text-like bytes: what webhook bodies and secrets mostly are.
    fn text(&mut self, max: usize) -> Vec<u8> {
        let alphabet = b"{}[]\":, abcdefghijklmnopqrstuvwxyz0123456789_-/\n\r\t\\=+";
        let len = self.below(max + 1);
        (0..len)
            .map(|_| alphabet[self.below(alphabet.len())])
            .collect()
    }
}

#[test]
fn valid_deliveries_give_none_with_the_index_of_their_secret() {
    let mut random = Random(1);
    for round in 0..200 {
        let count = 1 + random.below(MAX_DIAGNOSIS_SECRETS);
        let secrets: Vec<Vec<u8>> = (0..count)
            .map(|_| {
                let mut secret = if round % 2 == 0 {
                    random.bytes(100)
                } else {
                    random.text(100)
                };
                secret.push(b'k');
                secret
            })
            .collect();
        let body = if round % 2 == 0 {
            random.bytes(3000)
        } else {
            random.text(3000)
        };
        let signer = random.below(count);
        let header = hex_tag(&secrets[signer], &body);
        let refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let diagnosis = diagnose(&refs, &body, header.as_bytes());
        assert_eq!(diagnosis.cause, Cause::None, "round {round}");
        // The first secret that verifies (two random secrets may be equal keys).
        let first = refs.iter().position(|s| {
            Verifier::new(s).is_ok_and(|v| v.verify(&body, header.as_bytes()).is_ok())
        });
        assert_eq!(diagnosis.secret, first, "round {round}");
    }
}

/// Causes that need no tag: the only ones unrelated secrets can give.
const BY_SHAPE: [Cause; 7] = [
    Cause::Unknown,
    Cause::BodyEmpty,
    Cause::BodyNotUtf8,
    Cause::HeaderMissing,
    Cause::HeaderMalformed,
    Cause::HeaderOtherAlgorithm,
    Cause::HeaderOtherScheme,
];

#[test]
fn unrelated_secrets_and_bodies_give_unknown_or_a_shape() {
    let mut random = Random(2);
    let mut unknown = 0;
    for round in 0..200 {
        let secrets: Vec<Vec<u8>> = (0..1 + random.below(3)).map(|_| random.text(40)).collect();
        let refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let body = random.text(2000);
        // A well-formed header signed with a secret that is not among them.
        let other = [&b"other:"[..], &random.bytes(30)].concat();
        let header = hex_tag(&other, &random.text(2000));
        let diagnosis = diagnose(&refs, &body, header.as_bytes());
        let expected = if body.is_empty() {
            Cause::BodyEmpty
        } else {
            Cause::Unknown
        };
        assert_eq!(diagnosis.cause, expected, "round {round}");
        assert_eq!(diagnosis.secret, None);
        unknown += usize::from(diagnosis.cause == Cause::Unknown);

        // Any header at all: without the secret, only a shape can come out.
        let header = match round % 4 {
            0 => random.bytes(200),
            1 => random.text(130),
            2 => STANDARD.encode(random.bytes(32)).into_bytes(),
            _ => hex::encode(random.bytes(64)).into_bytes(),
        };
        let diagnosis = diagnose(&refs, &body, &header);
        assert!(
            BY_SHAPE.contains(&diagnosis.cause),
            "round {round}: {diagnosis:?}"
        );
        assert_eq!(diagnosis.secret, None);
    }
    assert!(unknown > 190, "{unknown}");
}

/// Runs `diagnose` on a hostile input and returns how long it took.
fn timed(secrets: &[&[u8]], payload: &[u8], header: &[u8]) -> (Diagnosis, Duration) {
    let start = Instant::now();
    let diagnosis = diagnose(secrets, payload, header);
    (diagnosis, start.elapsed())
}

#[test]
fn hostile_inputs_neither_panic_nor_take_long() {
    let secret: &[u8] = REGISTERED.as_bytes();
    let mib = 1 << 20;
    let opening = vec![b'['; 10 * mib];
    let nested_valid = {
        // 1,000,000 bytes: 500,000 levels, deeper than any parser's limit, below the body cap.
        let mut text = vec![b'['; 500_000];
        text.resize(1_000_000, b']');
        text
    };
    let nested_objects = "{\"a\":".repeat(100_000) + "1" + &"}".repeat(100_000);
    let invalid_utf8: Vec<u8> = (0..mib).map(|i| [0xff, 0xc0, 0x80, b'"'][i % 4]).collect();
    let quotes = vec![b'"'; mib];
    let backslashes = [&b"[\""[..], &vec![b'\\'; mib - 1]].concat();
    let escapes = "[\"".to_owned() + &"\\ud83d".repeat(100_000);
    let huge_hex_header = vec![b'a'; 10 * mib];
    let huge_base64_header = vec![b'Q'; 10 * mib];
    let huge_list_header = b"t=1,".repeat(mib);
    let many_secrets: Vec<&[u8]> = vec![secret; 1000];
    let tag = hex_tag(secret, b"{}");
    let long_secret = vec![b'\x01'; mib];
    let no_match = "0".repeat(64);

    type Input<'a> = (&'a str, Vec<&'a [u8]>, &'a [u8], &'a [u8]);
    let inputs: Vec<Input> = vec![
        ("10 MiB of [", vec![secret], &opening, no_match.as_bytes()),
        (
            "500,000 nested arrays",
            vec![secret],
            &nested_valid,
            no_match.as_bytes(),
        ),
        (
            "100,000 nested objects",
            vec![secret],
            nested_objects.as_bytes(),
            no_match.as_bytes(),
        ),
        (
            "invalid UTF-8",
            vec![secret],
            &invalid_utf8,
            no_match.as_bytes(),
        ),
        (
            "1 MiB of quotes",
            vec![secret],
            &quotes,
            no_match.as_bytes(),
        ),
        (
            "1 MiB of backslashes",
            vec![secret],
            &backslashes,
            no_match.as_bytes(),
        ),
        (
            "lone surrogate escapes",
            vec![secret],
            escapes.as_bytes(),
            no_match.as_bytes(),
        ),
        (
            "10 MiB hex-like header",
            vec![secret],
            b"{}",
            &huge_hex_header,
        ),
        (
            "10 MiB base64-like header",
            vec![secret],
            b"{}",
            &huge_base64_header,
        ),
        ("4 MiB list header", vec![secret], b"{}", &huge_list_header),
        ("empty everything", vec![], b"", b""),
        ("empty secret", vec![b""], b"{}", tag.as_bytes()),
        ("1 MiB secret", vec![&long_secret], b"{}", tag.as_bytes()),
        (
            "1,000 secrets",
            many_secrets.clone(),
            b"{}",
            no_match.as_bytes(),
        ),
    ];
    for (name, secrets, payload, header) in inputs {
        let (diagnosis, elapsed) = timed(&secrets, payload, header);
        assert!(elapsed < Duration::from_secs(20), "{name}: {elapsed:?}");
        assert!(!diagnosis.cause.code().is_empty(), "{name}");
    }

    // Only the first MAX_DIAGNOSIS_SECRETS are tried.
    let mut rotation: Vec<&[u8]> = vec![b"whk_old_secret"; 999];
    rotation.push(secret);
    assert_eq!(
        diagnose(&rotation, b"{}", tag.as_bytes()).cause,
        Cause::Unknown
    );
    rotation.swap(MAX_DIAGNOSIS_SECRETS - 1, 999);
    assert_eq!(
        diagnose(&rotation, b"{}", tag.as_bytes()).secret,
        Some(MAX_DIAGNOSIS_SECRETS - 1)
    );
}

#[test]
fn bodies_above_the_cap_get_only_the_cheap_checks() {
    let secret = REGISTERED.as_bytes();
    let mut body = SENT.as_bytes().to_vec();
    body.resize(MAX_DIAGNOSIS_BODY + 1, b' ');
    let header = hex_tag(secret, &body);
    assert_eq!(
        diagnose(&[secret], &body, header.as_bytes()).cause,
        Cause::None
    );
    // A variant is not tried above the cap...
    let newline = [&body[..], b"\n"].concat();
    assert_eq!(
        diagnose(&[secret], &newline, header.as_bytes()).cause,
        Cause::Unknown
    );
    // ...but the header checks are.
    let unkeyed = hex::encode(Sha256::digest(&body));
    assert_eq!(
        diagnose(&[secret], &body, unkeyed.as_bytes()).cause,
        Cause::HeaderUnkeyed
    );
    let base64 = STANDARD.encode(tag(secret, &body));
    assert_eq!(
        diagnose(&[secret], &body, base64.as_bytes()).cause,
        Cause::HeaderBase64
    );
    // Just below the cap, the variant is found.
    body.truncate(MAX_DIAGNOSIS_BODY - 1);
    let header = hex_tag(secret, &body);
    let newline = [&body[..], b"\n"].concat();
    assert_eq!(
        diagnose(&[secret], &newline, header.as_bytes()).cause,
        Cause::BodyTrailingNewline
    );
}

/// Every 4-byte window of `bytes` that is not only spaces.
fn fragments(bytes: &[u8], len: usize) -> Vec<Vec<u8>> {
    bytes
        .windows(len)
        .filter(|w| !w.iter().all(|&b| b == b' '))
        .map(<[u8]>::to_vec)
        .collect()
}

#[test]
fn no_text_contains_a_fragment_of_a_secret_body_or_signature() {
    let mut texts: Vec<String> = Vec::new();
    for &cause in Cause::ALL {
        texts.extend([
            cause.code().to_owned(),
            cause.hint().to_owned(),
            cause.to_string(),
            format!("{cause:?}"),
        ]);
    }
    let mut forbidden: Vec<Vec<u8>> = Vec::new();
    for case in table() {
        let diagnosis = run(&case);
        texts.push(format!("{diagnosis:?}"));
        texts.push(format!("{diagnosis:#?}"));
        for secret in &case.secrets {
            forbidden.extend(fragments(secret, 4));
        }
        // Bodies are JSON with English words, which hints share by chance: check longer pieces.
        forbidden.extend(fragments(&case.body, 12));
    }
    let secret = REGISTERED.as_bytes();
    let signature = tag(secret, SENT.as_bytes());
    forbidden.extend(fragments(hex::encode(signature).as_bytes(), 4));
    forbidden.extend(fragments(STANDARD.encode(signature).as_bytes(), 4));
    forbidden.extend(fragments(SENT.as_bytes(), 12));

    // A body of random tokens, checked at 4 bytes.
    let tokens = br#"{"qZ7x":"Kp3W9v","Jm2R":["Yt8Lq",417,"Xw5Nc"],"Hb6V":{"Gs4T":"Fr1Md"}}"#;
    let diagnosis = diagnose(&[secret], tokens, hex_tag(secret, b"x").as_bytes());
    texts.push(format!("{diagnosis:?}"));
    forbidden.extend(fragments(tokens, 4));

    assert!(texts.len() > 100, "{}", texts.len());
    assert!(forbidden.len() > 1000, "{}", forbidden.len());
    // Every window of each text, of each fragment length, looked up in a set: linear in the texts.
    let forbidden: std::collections::HashSet<Vec<u8>> = forbidden.into_iter().collect();
    let mut lengths: Vec<usize> = forbidden.iter().map(Vec::len).collect();
    lengths.sort_unstable();
    lengths.dedup();
    for text in &texts {
        for &len in &lengths {
            if let Some(w) = text
                .as_bytes()
                .windows(len)
                .find(|w| forbidden.contains(*w))
            {
                panic!("{text:?} contains {:?}", String::from_utf8_lossy(w));
            }
        }
    }
}

#[test]
fn fixed_texts_hold_no_run_of_five_hex_digits() {
    // So no text looks like a piece of a hex signature. Runs of four occur in plain words and
    // API names ("face", `isBase64Encoded`); five do not, in this wording.
    let mut runs = Vec::new();
    for &cause in Cause::ALL {
        for text in [cause.code(), cause.hint(), &cause.to_string()] {
            for run in text.as_bytes().windows(5) {
                if run.iter().all(u8::is_ascii_hexdigit) {
                    runs.push((cause, String::from_utf8_lossy(run).into_owned()));
                }
            }
        }
    }
    assert_eq!(runs, []);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `diagnose` says `none` exactly when one of the secrets it tries verifies.
    #[test]
    fn agrees_with_verify_on_none(secrets in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..6),
                                  body in prop::collection::vec(any::<u8>(), 0..600),
                                  header in prop::collection::vec(any::<u8>(), 0..80),
                                  signer in any::<prop::sample::Index>(),
                                  sign in any::<bool>()) {
        let refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let header = match (sign, secrets.is_empty()) {
            (true, false) => match Verifier::new(&secrets[signer.index(secrets.len())]) {
                Ok(v) => hex::encode(v.sign(&body).as_bytes()).into_bytes(),
                Err(_) => header,
            },
            _ => header,
        };
        let diagnosis = diagnose(&refs, &body, &header);
        let verified = refs.iter().take(MAX_DIAGNOSIS_SECRETS).position(|s| {
            Verifier::new(s).is_ok_and(|v| v.verify(&body, &header).is_ok())
        });
        prop_assert_eq!(diagnosis.cause == Cause::None, verified.is_some());
        if diagnosis.cause == Cause::None {
            prop_assert_eq!(diagnosis.secret, verified);
        }
    }
}
