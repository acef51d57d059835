//! Any chunking of a body gives exactly the one-shot signature and verification result.
#![no_main]

use dialnexa_verify::Verifier;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<u8>, Vec<u8>, Vec<u16>, Vec<u8>)| {
    let (secret, body, cuts, header) = input;
    let Ok(verifier) = Verifier::new(&secret) else { return };
    let mut points: Vec<usize> = cuts.iter().map(|&c| usize::from(c) % (body.len() + 1)).collect();
    points.sort_unstable();
    let mut stream = verifier.stream();
    let mut start = 0;
    for point in points.into_iter().chain([body.len()]) {
        stream.update(&body[start..point]);
        start = point;
    }
    let one_shot = verifier.sign(&body);
    assert_eq!(stream.clone().sign().as_bytes(), one_shot.as_bytes());
    assert_eq!(stream.clone().verify(&header), verifier.verify(&body, &header));
    assert_eq!(stream.verify(one_shot.to_hex().as_str().as_bytes()), Ok(()));
});
