//! `ApiKey::from_authorization` on arbitrary input: never panics, agrees with `ApiKey::parse` on
//! the token after `Bearer `, and classifies every other header as one of its documented errors.
#![no_main]

use dialnexa_verify::{ApiKey, ApiKeyError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    let result = ApiKey::from_authorization(header);
    let trimmed = header.trim_ascii();
    match trimmed.split_once(' ') {
        _ if trimmed.is_empty() => assert_eq!(result.unwrap_err(), ApiKeyError::MissingHeader),
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => {
            let token = rest.trim_start_matches(' ');
            if token.is_empty() {
                assert_eq!(result.unwrap_err(), ApiKeyError::MissingToken);
            } else {
                let direct = ApiKey::parse(token);
                match (&result, &direct) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.key_id(), b.key_id());
                        assert_eq!(a.secret().expose(), b.secret().expose());
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b),
                    _ => panic!("from_authorization and parse disagree"),
                }
            }
        }
        None if trimmed.eq_ignore_ascii_case("bearer") => {
            assert_eq!(result.unwrap_err(), ApiKeyError::MissingToken);
        }
        _ => assert_eq!(result.unwrap_err(), ApiKeyError::WrongScheme),
    }
});
