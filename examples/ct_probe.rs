//! Instruction-count probe for `tests/constant_time.sh`, which runs it under valgrind's callgrind
//! with collection switched on only inside `verify` and `check_key`. The argument picks how the
//! compared value differs from the right one: `*-equal` (not at all), `*-first` (first byte),
//! `*-last` (last byte). Constant time means the counts are identical; `naive-*`, a plain `==`,
//! is the control that shows the method sees a difference where there is one.

use core::hint::black_box;

use dialnexa_verify::{check_api_key, SecretHash, Verifier};

#[inline(never)]
fn verify(verifier: &Verifier, body: &[u8], header: &[u8]) -> bool {
    verifier.verify(body, header).is_ok()
}

#[inline(never)]
fn check_key(presented: &str, stored_hash: &str) -> bool {
    check_api_key(presented, stored_hash)
}

/// The negative control: an ordinary early-exit comparison of the same hex strings, which the
/// method must catch (its count depends on where the first difference is).
#[inline(never)]
fn naive(expected: &[u8], received: &[u8]) -> bool {
    expected == received
}

/// Changes one hex digit to another digit with a different value.
fn change(digit: &mut u8) {
    *digit = if *digit == b'0' { b'1' } else { b'0' };
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    let body = br#"{"event":"call.completed","call_id":"call_8f2a91","duration_seconds":42}"#;
    let verifier = Verifier::new(b"whsec_ct_probe_secret").expect("secret");
    let mut header = verifier.sign(body).to_hex().as_str().as_bytes().to_vec();
    let key = "abcdefghijklmn:123456a1b1234b";
    let mut stored = SecretHash::of(b"123456a1b1234b")
        .to_hex()
        .as_str()
        .as_bytes()
        .to_vec();
    match case.as_str() {
        "verify-first" | "naive-first" => change(&mut header[0]),
        "verify-last" | "naive-last" => change(&mut header[63]),
        "key-first" => change(&mut stored[0]),
        "key-last" => change(&mut stored[63]),
        "verify-equal" | "key-equal" | "naive-equal" => {}
        _ => panic!("usage: ct_probe (verify|key|naive)-(equal|first|last)"),
    }
    let stored = String::from_utf8(stored).expect("hex");
    let good = verifier.sign(body).to_hex();
    let rounds = 100;
    let mut accepted = 0;
    for _ in 0..rounds {
        let ok = if case.starts_with("verify") {
            verify(black_box(&verifier), black_box(body), black_box(&header))
        } else if case.starts_with("naive") {
            naive(black_box(good.as_str().as_bytes()), black_box(&header))
        } else {
            check_key(black_box(key), black_box(&stored))
        };
        accepted += usize::from(ok);
    }
    println!("{case}: {accepted} of {rounds} accepted");
}
