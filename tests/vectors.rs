//! Published and spec-generated vectors: RFC 4231 and the DialNexa spec's own Python snippet.

use dialnexa_verify::{Verifier, VerifyError};

/// Data lines of a tab-separated vector file, comments skipped.
fn records(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

fn unhex(digits: &str) -> Vec<u8> {
    hex::decode(digits).expect("vector files hold valid hex")
}

/// Builds a body from the descriptions documented in `generate_spec_snippet_vectors.py`.
fn body(spec: &str) -> Vec<u8> {
    let (kind, rest) = spec.split_once(':').expect("body spec has a kind");
    match kind {
        "hex" => unhex(rest),
        "seq" => (0..rest.parse::<usize>().expect("length"))
            .map(|i| (i % 251) as u8)
            .collect(),
        "repeat" => {
            let (pattern, count) = rest.split_once(':').expect("repeat:<hex>:<n>");
            unhex(pattern).repeat(count.parse().expect("count"))
        }
        other => panic!("unknown body kind {other}"),
    }
}

/// Signs in chunks of `chunk` bytes through the streaming API.
fn sign_streamed(verifier: &Verifier, payload: &[u8], chunk: usize) -> String {
    let mut stream = verifier.stream();
    for piece in payload.chunks(chunk) {
        stream.update(piece);
    }
    stream.sign().to_hex().as_str().to_owned()
}

#[test]
fn rfc4231_all_seven_cases() {
    let mut cases = 0;
    for fields in records(include_str!("data/hmac_sha256_rfc4231.txt")) {
        let [case, key, data, tag] = fields[..] else {
            panic!("bad line {fields:?}")
        };
        let verifier = Verifier::new(unhex(key)).expect("RFC keys are not empty");
        let data = unhex(data);
        let full = verifier.sign(&data).to_hex();
        assert!(full.as_str().starts_with(tag), "case {case}");
        if case == "5" {
            // The RFC truncates this tag to 128 bits: it must never pass as a signature.
            assert_eq!(tag.len(), 32);
            assert_eq!(
                verifier.verify(&data, tag.as_bytes()),
                Err(VerifyError::MalformedSignature)
            );
            assert_eq!(
                verifier.verify(&data, format!("sha256={tag}").as_bytes()),
                Err(VerifyError::MalformedSignature)
            );
        } else {
            assert_eq!(full.as_str(), tag, "case {case}");
            assert_eq!(
                verifier.verify(&data, tag.as_bytes()),
                Ok(()),
                "case {case}"
            );
            let upper = tag.to_ascii_uppercase();
            assert_eq!(
                verifier.verify(&data, upper.as_bytes()),
                Ok(()),
                "case {case}"
            );
        }
        // The full tag verifies in every case, including 5.
        assert_eq!(verifier.verify(&data, full.as_str().as_bytes()), Ok(()));
        cases += 1;
    }
    assert_eq!(cases, 7);
}

#[test]
fn spec_python_snippet_vectors() {
    let mut count = 0;
    let mut saw_one_mib = false;
    for fields in records(include_str!("data/spec_snippet_vectors.txt")) {
        let [name, secret, body_spec, expected] = fields[..] else {
            panic!("bad line {fields:?}")
        };
        let secret = unhex(secret);
        let payload = body(body_spec);
        saw_one_mib |= payload.len() == 1 << 20;
        let verifier = Verifier::new(&secret).expect("spec secrets are not empty");

        assert_eq!(
            verifier.sign(&payload).to_hex().as_str(),
            expected,
            "{name}"
        );
        assert_eq!(
            verifier.verify(&payload, expected.as_bytes()),
            Ok(()),
            "{name}"
        );
        for chunk in [1, 7, 63, 64, 65, 4096] {
            if payload.len() <= 70_000 || chunk >= 64 {
                assert_eq!(
                    sign_streamed(&verifier, &payload, chunk),
                    expected,
                    "{name} in chunks of {chunk}"
                );
            }
        }
        let mut stream = verifier.stream();
        stream.update(&payload);
        assert_eq!(stream.verify(expected.as_bytes()), Ok(()), "{name}");
        count += 1;
    }
    assert_eq!(count, 20);
    assert!(saw_one_mib);
}

#[test]
fn header_forms_that_are_accepted() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let hex = verifier.sign(b"{}").to_hex();
    let hex = hex.as_str();
    for header in [
        hex.to_owned(),
        hex.to_ascii_uppercase(),
        format!("sha256={hex}"),
        format!("SHA256={hex}"),
        format!("  {hex}\r\n"),
        format!("\tsha256={hex} "),
    ] {
        assert_eq!(
            verifier.verify(b"{}", header.as_bytes()),
            Ok(()),
            "{header:?}"
        );
    }
}

#[test]
fn header_forms_that_are_rejected() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let hex = verifier.sign(b"{}").to_hex();
    let hex = hex.as_str();
    let missing = [String::new(), " ".into(), "\r\n\t ".into()];
    for header in missing {
        assert_eq!(
            verifier.verify(b"{}", header.as_bytes()),
            Err(VerifyError::MissingSignature)
        );
    }
    let malformed = [
        "sha256=".to_owned(),
        format!("sha256=sha256={hex}"),
        format!("sha1={hex}"),
        format!("sha256 {hex}"),
        format!("{}0", hex),
        hex[..63].to_owned(),
        format!("{hex}{hex}"),
        format!("{} {}", &hex[..32], &hex[32..]),
        format!("{}\0{}", &hex[..32], &hex[33..]),
        format!("0x{}", &hex[2..]),
        format!("{}g", &hex[..63]),
        // Fullwidth digits are not ASCII hex.
        format!("{}\u{ff10}", &hex[..63]),
        // A Cyrillic letter that looks like `a`.
        format!("\u{0430}{}", &hex[1..]),
    ];
    for header in malformed {
        assert_eq!(
            verifier.verify(b"{}", header.as_bytes()),
            Err(VerifyError::MalformedSignature),
            "{header:?}"
        );
    }
}
