//! Instruction-count probe for `tests/constant_time.sh`, which runs it under valgrind's callgrind
//! with collection switched on only inside one of the `#[inline(never)]` functions below. The
//! argument is `<function>-<case>`: how the compared value differs from the right one, `equal`
//! (not at all), `first` (first byte) or `last` (last byte). Constant time means the three counts
//! are identical; `naive-*`, a plain `==`, is the control that shows the method sees a difference
//! where there is one. `secret_len-<n>` only reports how `matches_secret`'s count grows with the
//! stored secret's length (`n` bytes), which its docs describe.

use core::hint::black_box;

use dialnexa_verify::{check_api_key, ApiKey, SecretHash, StoredKey, Verifier};

#[inline(never)]
fn verify(verifier: &Verifier, body: &[u8], header: &[u8]) -> bool {
    verifier.verify(body, header).is_ok()
}

#[inline(never)]
fn check_key(presented: &str, stored: &StoredKey<'_>) -> bool {
    check_api_key(presented, stored)
}

#[inline(never)]
fn matches_secret(key: &ApiKey<'_>, stored_secret: &[u8]) -> bool {
    key.matches_secret(stored_secret)
}

/// The negative control: an ordinary early-exit comparison of the same hex strings, which the
/// method must catch (its count depends on where the first difference is).
#[inline(never)]
fn naive(expected: &[u8], received: &[u8]) -> bool {
    expected == received
}

/// Changes one hex digit (or key character) to another with a different value.
fn change(byte: &mut u8) {
    *byte = if *byte == b'0' { b'1' } else { b'0' };
}

/// Applies `case` (`equal`, `first`, `last`) to `bytes`.
fn apply(case: &str, bytes: &mut [u8]) {
    let last = bytes.len() - 1;
    match case {
        "equal" => {}
        "first" => change(&mut bytes[0]),
        "last" => change(&mut bytes[last]),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!(
        "usage: ct_probe (verify|key|key_id|secret|naive)-(equal|first|last) | secret_len-<bytes>"
    );
    std::process::exit(2)
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_default();
    let (function, case) = arg.split_once('-').unwrap_or_else(|| usage());
    let body = br#"{"event":"call.completed","call_id":"call_8f2a91","duration_seconds":42}"#;
    let verifier = Verifier::new(b"whsec_ct_probe_secret").expect("secret");
    let good = verifier.sign(body).to_hex();
    let presented = "abcdefghijklmn:123456a1b1234b";
    let key = ApiKey::parse(presented).expect("key");
    let rounds = 100;
    let mut accepted = 0;
    let mut run = |check: &mut dyn FnMut() -> bool| {
        for _ in 0..rounds {
            accepted += usize::from(check());
        }
    };
    match function {
        "verify" | "naive" => {
            let mut header = good.as_str().as_bytes().to_vec();
            apply(case, &mut header);
            if function == "verify" {
                run(&mut || verify(black_box(&verifier), black_box(body), black_box(&header)));
            } else {
                run(&mut || naive(black_box(good.as_str().as_bytes()), black_box(&header)));
            }
        }
        "key" => {
            // The stored hash differs from the presented secret's.
            let mut hash = *SecretHash::of(b"123456a1b1234b").as_bytes();
            apply(case, &mut hash);
            let stored = StoredKey::new("abcdefghijklmn", SecretHash::from(hash));
            run(&mut || check_key(black_box(presented), black_box(&stored)));
        }
        "key_id" => {
            // The stored key ID differs from the presented one (same length).
            let mut id = b"abcdefghijklmn".to_vec();
            apply(case, &mut id);
            let id = String::from_utf8(id).expect("ASCII");
            let stored = StoredKey::new(&id, SecretHash::of(b"123456a1b1234b"));
            run(&mut || check_key(black_box(presented), black_box(&stored)));
        }
        "secret" => {
            // A stored plaintext secret of the same length with different content.
            let mut secret = b"123456a1b1234b".to_vec();
            apply(case, &mut secret);
            run(&mut || matches_secret(black_box(&key), black_box(&secret)));
        }
        "secret_len" => {
            let len: usize = case.parse().unwrap_or_else(|_| usage());
            let secret = vec![b'7'; len];
            run(&mut || matches_secret(black_box(&key), black_box(&secret)));
        }
        _ => usage(),
    }
    println!("{arg}: {accepted} of {rounds} accepted");
}
