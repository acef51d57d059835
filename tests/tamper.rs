//! Tamper tests: any change to the body or to the signature is rejected.

use std::sync::Arc;

use dialnexa_verify::{verify_any, Signature, Verifier, VerifyError};

const HEX_DIGITS: &[u8] = b"0123456789abcdef";

#[test]
fn flipping_any_bit_of_the_payload_fails() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    for payload in [
        &br#"{"event":"call.completed","call_id":"call_8f2a"}"#[..],
        b"x",
        &[0u8; 64],
        &[0xffu8; 65],
    ] {
        let header = verifier.sign(payload).to_hex();
        assert_eq!(verifier.verify(payload, header.as_str().as_bytes()), Ok(()));
        let mut tampered = payload.to_vec();
        for bit in 0..payload.len() * 8 {
            tampered[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                verifier.verify(&tampered, header.as_str().as_bytes()),
                Err(VerifyError::SignatureMismatch),
                "bit {bit}"
            );
            tampered[bit / 8] ^= 1 << (bit % 8);
        }
        // Appending or removing a byte fails too.
        let mut longer = payload.to_vec();
        longer.push(b' ');
        assert!(verifier
            .verify(&longer, header.as_str().as_bytes())
            .is_err());
        assert!(verifier
            .verify(&payload[1..], header.as_str().as_bytes())
            .is_err());
    }
}

#[test]
fn changing_any_hex_digit_of_the_signature_fails() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let payload = br#"{"event":"call.completed"}"#;
    let header = verifier.sign(payload).to_hex();
    let original = header.as_str().as_bytes();
    let mut changed = 0;
    for position in 0..64 {
        for &digit in HEX_DIGITS {
            if digit == original[position] {
                continue;
            }
            let mut tampered = original.to_vec();
            tampered[position] = digit;
            assert_eq!(
                verifier.verify(payload, &tampered),
                Err(VerifyError::SignatureMismatch),
                "digit {position}"
            );
            tampered[position] = digit.to_ascii_uppercase();
            assert_eq!(
                verifier.verify(payload, &tampered),
                Err(VerifyError::SignatureMismatch)
            );
            changed += 1;
        }
    }
    assert_eq!(changed, 64 * 15);
}

#[test]
fn flipping_any_bit_of_the_tag_fails() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let tag = *verifier.sign(b"{}").as_bytes();
    for bit in 0..256 {
        let mut tampered = tag;
        tampered[bit / 8] ^= 1 << (bit % 8);
        assert_eq!(
            verifier.verify(b"{}", hex::encode(tampered).as_bytes()),
            Err(VerifyError::SignatureMismatch)
        );
    }
}

#[test]
fn every_truncation_of_a_valid_signature_fails() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let header = verifier.sign(b"{}").to_hex();
    let full = header.as_str().as_bytes();
    for len in 0..64 {
        let expected = if len == 0 {
            VerifyError::MissingSignature
        } else {
            VerifyError::MalformedSignature
        };
        assert_eq!(
            verifier.verify(b"{}", &full[..len]),
            Err(expected),
            "{len} digits"
        );
        assert_eq!(
            verifier.verify(b"{}", &full[64 - len..]),
            Err(expected),
            "last {len} digits"
        );
    }
}

#[test]
fn another_secret_fails() {
    let signer = Verifier::new(b"whsec_example").expect("secret");
    let header = signer.sign(b"{}").to_hex();
    for other in [
        &b"whsec_exampl"[..],
        b"whsec_example ",
        b"Whsec_example",
        b"whsec_examplf",
    ] {
        let verifier = Verifier::new(other).expect("secret");
        assert_eq!(
            verifier.verify(b"{}", header.as_str().as_bytes()),
            Err(VerifyError::SignatureMismatch)
        );
    }
}

#[test]
fn trailing_zero_bytes_of_a_short_secret_are_the_same_hmac_key() {
    // HMAC pads keys shorter than a block with zeros (RFC 2104), so these secrets are one key.
    // DialNexa secrets are text, where a NUL byte does not occur; this pins the behaviour.
    let a = Verifier::new(b"whsec_example").expect("secret");
    let b = Verifier::new(b"whsec_example\0").expect("secret");
    let header = a.sign(b"{}").to_hex();
    assert_eq!(b.verify(b"{}", header.as_str().as_bytes()), Ok(()));
}

#[test]
fn rotation_reports_the_matching_secret_and_rejects_others() {
    let verifiers: Vec<Verifier> = ["whsec_c", "whsec_b", "whsec_a"]
        .iter()
        .map(|s| Verifier::new(s.as_bytes()).expect("secret"))
        .collect();
    for (i, verifier) in verifiers.iter().enumerate() {
        let header = verifier.sign(b"{}").to_hex();
        assert_eq!(
            verify_any(&verifiers, b"{}", header.as_str().as_bytes()),
            Ok(i)
        );
        assert_eq!(
            verify_any(&verifiers, b"{ }", header.as_str().as_bytes()),
            Err(VerifyError::SignatureMismatch)
        );
    }
    // The same secret twice: the first index wins.
    let twice = [verifiers[1].clone(), verifiers[1].clone()];
    let header = verifiers[1].sign(b"{}").to_hex();
    assert_eq!(verify_any(&twice, b"{}", header.as_str().as_bytes()), Ok(0));
    // No verifier at all is a configuration error, whatever the header, never a mismatch.
    let none: &[Verifier] = &[];
    for header in [header.as_str(), "", "zz"] {
        assert_eq!(verify_any(none, b"{}", header), Err(VerifyError::NoSecrets));
    }
    assert_eq!(
        verify_any(&verifiers, b"{}", b""),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        verify_any(&verifiers, b"{}", b"zz"),
        Err(VerifyError::MalformedSignature)
    );
}

#[test]
fn rotation_takes_any_collection_of_verifier_references() {
    let current = Verifier::new(b"whsec_current").expect("secret");
    let previous = Verifier::new(b"whsec_previous").expect("secret");
    let header = previous.sign(b"{}").to_hex();
    let owned = vec![current.clone(), previous.clone()];
    let arcs = [Arc::new(current.clone()), Arc::new(previous.clone())];
    assert_eq!(verify_any(&owned, b"{}", &header), Ok(1));
    assert_eq!(verify_any(owned.iter(), b"{}", &header), Ok(1));
    assert_eq!(verify_any([&current, &previous], b"{}", &header), Ok(1));
    assert_eq!(verify_any([&previous], b"{}", &header), Ok(0));
    assert_eq!(
        verify_any(arcs.iter().map(AsRef::as_ref), b"{}", &header),
        Ok(1)
    );
    assert_eq!(
        verify_any([&current], b"{}", &header),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn a_stream_rejects_what_the_one_shot_call_rejects() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let header = verifier.sign(b"hello, world").to_hex();
    let streamed = |chunks: &[&[u8]], header: &str| {
        let mut stream = verifier.stream();
        for chunk in chunks {
            stream.update(chunk);
        }
        stream.verify(header)
    };
    assert_eq!(streamed(&[b"hello", b", world"], header.as_str()), Ok(()));
    assert_eq!(
        streamed(&[b"hello", b", world!"], header.as_str()),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        streamed(&[b"hello"], header.as_str()),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        streamed(&[b"hello, world"], &"0".repeat(64)),
        Err(VerifyError::SignatureMismatch)
    );
    assert_eq!(
        streamed(&[b"hello, world"], ""),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        streamed(&[b"hello, world"], &header.as_str()[1..]),
        Err(VerifyError::MalformedSignature)
    );
    let other = Verifier::new(b"whsec_other").expect("secret");
    let signature: Signature = header.as_str().parse().expect("signature");
    let mut stream = other.stream();
    stream.update(b"hello, world");
    assert_eq!(
        stream.verify_signature(&signature),
        Err(VerifyError::SignatureMismatch)
    );
    let mut stream = verifier.stream();
    stream.update(b"hello, world");
    assert_eq!(stream.verify_signature(&signature), Ok(()));
}

#[test]
fn a_parsed_signature_verifies_like_its_header() {
    let verifier = Verifier::new(b"whsec_example").expect("secret");
    let signature = verifier.sign(b"{}");
    assert_eq!(verifier.verify_signature(b"{}", &signature), Ok(()));
    assert_eq!(
        verifier.verify_signature(b"{ }", &signature),
        Err(VerifyError::SignatureMismatch)
    );
    // Header forms: &str, String, bytes, a HexDigest.
    let hex = signature.to_hex();
    assert_eq!(verifier.verify(b"{}", hex.as_str()), Ok(()));
    let owned: String = hex.as_str().into();
    assert_eq!(verifier.verify(b"{}", owned), Ok(()));
    assert_eq!(verifier.verify(b"{}", hex.as_str().as_bytes()), Ok(()));
    assert_eq!(verifier.verify(b"{}", &hex), Ok(()));
    // Equality of signatures is by value, in constant time.
    assert_eq!(signature, verifier.sign(b"{}"));
    assert_ne!(signature, verifier.sign(b"{ }"));
    assert_eq!(Signature::from(*signature.as_bytes()), signature);
}
