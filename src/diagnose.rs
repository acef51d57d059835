//! Why a webhook signature did not match: [`diagnose`] tries the known ways an integration
//! mangles the secret, the body or the header, and names the one that explains the signature.
//!
//! `signature_mismatch` is the answer a developer gets when the body, the secret and the header
//! all *look* right. With the secret in hand, [`diagnose`] recomputes the signature over the
//! usual suspects (the secret with the newline of its `.env` line, the body before a JSON
//! parser re-serialized it, a body delivered in base64, ...) and reports the first one whose
//! HMAC equals the received tag, as a [`Cause`] with a stable [`code`](Cause::code) and a fixed,
//! actionable [`hint`](Cause::hint).
//!
//! ```
//! use dialnexa_verify::{diagnose, Cause, Verifier};
//!
//! let registered = b"whk_R4nd0mS3cr3t";
//! let body = r#"{"event":"call.completed","caller":{"name":"Zoë"}}"#;
//! let header = hex::encode(Verifier::new(registered)?.sign(body.as_bytes()).as_bytes());
//!
//! // The secret as read from a `.env` line that kept its newline:
//! let diagnosis = diagnose(&[b"whk_R4nd0mS3cr3t\n"], body.as_bytes(), header.as_bytes());
//! assert_eq!(diagnosis.cause, Cause::SecretWhitespace);
//! assert_eq!(diagnosis.secret, Some(0));
//! assert_eq!(diagnosis.cause.code(), "secret_whitespace");
//!
//! // The body after `JSON.stringify(JSON.parse(body), null, 2)`:
//! let pretty = "{\n  \"event\": \"call.completed\",\n  \"caller\": {\n    \"name\": \"Zoë\"\n  }\n}";
//! let diagnosis = diagnose(&[registered], pretty.as_bytes(), header.as_bytes());
//! assert_eq!(diagnosis.cause.code(), "body_reserialized");
//! assert!(diagnosis.cause.hint().contains("express.raw()"));
//!
//! // A valid delivery, and one that nothing explains:
//! assert_eq!(diagnose(&[registered], body.as_bytes(), header.as_bytes()).cause, Cause::None);
//! assert_eq!(diagnose(&[b"whk_another_secret"], body.as_bytes(), header.as_bytes()).cause, Cause::Unknown);
//! # Ok::<(), dialnexa_verify::SecretError>(())
//! ```
//!
//! The order of the checks, why a diagnosis is no oracle, why it belongs off in production, and
//! its bounds are documented on [`diagnose`], which users see (this module is private).

mod codec;
mod json;

use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Signature, Verifier, WebhookStream};

/// How many of the `secrets` given to [`diagnose`] are tried: the first four. Rotation needs
/// two or three; the cap keeps the work bounded whatever a caller passes.
///
/// ```
/// use dialnexa_verify::{diagnose, Cause, Verifier, MAX_DIAGNOSIS_SECRETS};
///
/// let secrets: Vec<&[u8]> = vec![b"whk_old"; MAX_DIAGNOSIS_SECRETS];
/// let header = hex::encode(Verifier::new(b"whk_new")?.sign(b"{}").as_bytes());
/// let tried = [&secrets[..], &[&b"whk_new"[..]]].concat();
/// assert_eq!(diagnose(&tried, b"{}", header.as_bytes()).cause, Cause::Unknown);
/// assert_eq!(diagnose(&tried[1..], b"{}", header.as_bytes()).secret, Some(MAX_DIAGNOSIS_SECRETS - 1));
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
pub const MAX_DIAGNOSIS_SECRETS: usize = 4;

/// The longest body whose variants are tried: 1 MiB. DialNexa's event payloads are a few KiB;
/// above this size only the checks that need no body or secret variant run (see [`diagnose`]).
pub const MAX_DIAGNOSIS_BODY: usize = 1 << 20;

/// Secret variants per secret: trimmed and unquoted, then either hex, base64 and prefixed-base64
/// decodings (a printable secret) or four encodings (a secret with other bytes).
const SECRET_VARIANTS: usize = 6;
/// Body variants: base64-decoded, two trailing-newline variants, one byte-order-mark variant, two
/// line-ending conversions, and the JSON styles.
const BODY_VARIANTS: usize = 1 + 2 + 1 + 2 + json::STYLES.len();

/// The most tags one [`diagnose`] call computes, in total for all the secrets it tries: 97.
///
/// Per secret: the signature as received (1), the secret variants (6), the body variants (16:
/// base64, 2 trailing newlines, byte-order mark, 2 line-ending conversions, 10 JSON styles) and
/// the swapped-arguments HMAC (1), that is 24, times [`MAX_DIAGNOSIS_SECRETS`]; plus the one
/// unkeyed SHA-256 of the body. Every one but the swapped HMAC (which hashes the secret) reads the
/// body or a variant of it. A header that is not 64 hex digits costs at most one HMAC per secret.
/// Variants that cannot differ from the received bytes are skipped, so most calls do far fewer.
pub const MAX_DIAGNOSIS_HMACS: usize =
    MAX_DIAGNOSIS_SECRETS * (1 + SECRET_VARIANTS + BODY_VARIANTS + 1) + 1;

/// A JSON variant may be this many times longer than the body (plus [`JSON_SLACK`]): indenting a
/// compact array of small numbers a few levels deep stays within it, and a pathological nesting
/// cannot make the work quadratic. A longer variant is abandoned.
const JSON_EXPANSION: usize = 8;
const JSON_SLACK: usize = 4096;

const BOM: &[u8] = b"\xef\xbb\xbf";
const REPLACEMENT_CHARACTER: &[u8] = b"\xef\xbf\xbd";

/// What [`diagnose`] found: the cause and, when a computed tag matched, which secret it used.
///
/// ```
/// use dialnexa_verify::{diagnose, Cause, Verifier};
///
/// let header = hex::encode(Verifier::new(b"whk_old")?.sign(b"{}").as_bytes());
/// let diagnosis = diagnose(&[b"whk_new", b"whk_old"], b"{}", header.as_bytes());
/// assert_eq!((diagnosis.cause, diagnosis.secret), (Cause::None, Some(1)));
/// assert_eq!(format!("{diagnosis:?}"), "Diagnosis { cause: None, secret: Some(1) }");
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Diagnosis {
    /// What explains the signature.
    pub cause: Cause,
    /// The index in `secrets` of the secret whose (possibly varied) HMAC matched the header.
    /// `None` for the causes decided by shape, for [`Cause::HeaderUnkeyed`] (no secret involved)
    /// and for [`Cause::Unknown`].
    pub secret: Option<usize>,
}

/// Why a webhook signature did or did not match, as found by [`diagnose`].
///
/// Every variant has a fixed [`code`](Self::code), [`hint`](Self::hint) and `Display` message,
/// none of which ever contains a byte of the secret, the body or the header.
///
/// ```
/// use dialnexa_verify::Cause;
///
/// assert_eq!(Cause::BodyBase64.code(), "body_base64");
/// assert_eq!(Cause::BodyBase64.to_string(), "the body is the base64 encoding of the signed bytes");
/// assert!(Cause::BodyBase64.hint().contains("isBase64Encoded"));
/// assert_eq!(Cause::ALL.len(), 19);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cause {
    /// `none`: the signature is valid with one of the secrets as given.
    None,
    /// `secret_whitespace`: valid with a secret stripped of surrounding ASCII whitespace, such as
    /// the trailing newline (`\n` or `\r\n`) of a `.env` line or a copy-paste.
    SecretWhitespace,
    /// `secret_quoted`: valid with a secret stripped of surrounding `"` or `'` quotes (and the
    /// whitespace around them), as a `.env` line read without a dotenv parser leaves them.
    SecretQuoted,
    /// `secret_encoding`: valid with the hex- or base64-decoded bytes of the secret (either
    /// alphabet, padded or not, also after a prefix such as `whsec_`), or with the hex or base64
    /// encoding of a secret given as bytes: the secret was converted between text and bytes.
    SecretEncoding,
    /// `body_base64`: valid for the base64-decoded body: the platform delivered the body
    /// base64-encoded (API Gateway, Lambda function URLs, Vercel with `isBase64Encoded`).
    BodyBase64,
    /// `body_empty`: the body is empty, typically because the request stream was consumed
    /// before the check. Decided by shape: there is nothing to recompute.
    BodyEmpty,
    /// `body_trailing_newline`: valid after removing a trailing `\n`, `\r\n` or `\r`, or after
    /// adding a `\n` or `\r\n`.
    BodyTrailingNewline,
    /// `body_line_endings`: valid after converting every CRLF to LF, or every lone LF to CRLF.
    BodyLineEndings,
    /// `body_bom`: valid after removing or adding a UTF-8 byte-order mark (EF BB BF).
    BodyBom,
    /// `body_reserialized`: valid for the same JSON written in another common style: compact,
    /// Python's default `, `/`: ` separators, 2- or 4-space indentation; non-ASCII as raw UTF-8 or
    /// as `\uXXXX` escapes; `/` as is or escaped. The JSON was parsed and serialized again.
    BodyReserialized,
    /// `body_not_utf8`: nothing matched and the body holds U+FFFD replacement characters: it was
    /// decoded with the wrong charset somewhere, which cannot be undone. Decided by shape.
    BodyNotUtf8,
    /// `header_base64`: the header is the base64 (either alphabet, padded or not) of the right
    /// tag, instead of its hex.
    HeaderBase64,
    /// `header_other_algorithm`: the header is 40, 96 or 128 hex digits (SHA-1, SHA-384 or
    /// SHA-512), optionally after `sha1=`, `sha384=` or `sha512=`. Decided by shape: those
    /// digests are not computed.
    HeaderOtherAlgorithm,
    /// `header_unkeyed`: the header is the plain SHA-256 of the body, computed without the
    /// secret.
    HeaderUnkeyed,
    /// `header_swapped`: the header is the HMAC keyed with the body over the secret: the key and
    /// the message were swapped.
    HeaderSwapped,
    /// `header_other_scheme`: the header holds another header's value: an `Authorization`
    /// credential (`Bearer ...`, `Basic ...`) or another provider's signature list
    /// (`t=...,v1=...`, `v1,...`). Decided by shape.
    HeaderOtherScheme,
    /// `header_missing`: the header is absent or empty. Decided by shape.
    HeaderMissing,
    /// `header_malformed`: the header is not 64 hex digits and no other header cause explains it
    /// (truncated, quoted, with inner whitespace, ...). Decided by shape.
    HeaderMalformed,
    /// `unknown`: no known mistake explains the signature: the secret is probably not the one
    /// registered for this webhook, or the body changed on its way.
    Unknown,
}

impl Cause {
    /// Every cause, in declaration order.
    pub const ALL: &'static [Cause] = &[
        Self::None,
        Self::SecretWhitespace,
        Self::SecretQuoted,
        Self::SecretEncoding,
        Self::BodyBase64,
        Self::BodyEmpty,
        Self::BodyTrailingNewline,
        Self::BodyLineEndings,
        Self::BodyBom,
        Self::BodyReserialized,
        Self::BodyNotUtf8,
        Self::HeaderBase64,
        Self::HeaderOtherAlgorithm,
        Self::HeaderUnkeyed,
        Self::HeaderSwapped,
        Self::HeaderOtherScheme,
        Self::HeaderMissing,
        Self::HeaderMalformed,
        Self::Unknown,
    ];

    /// The stable machine-readable code, such as `body_reserialized`.
    ///
    /// ```
    /// assert_eq!(dialnexa_verify::Cause::HeaderMissing.code(), "header_missing");
    /// ```
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::SecretWhitespace => "secret_whitespace",
            Self::SecretQuoted => "secret_quoted",
            Self::SecretEncoding => "secret_encoding",
            Self::BodyBase64 => "body_base64",
            Self::BodyEmpty => "body_empty",
            Self::BodyTrailingNewline => "body_trailing_newline",
            Self::BodyLineEndings => "body_line_endings",
            Self::BodyBom => "body_bom",
            Self::BodyReserialized => "body_reserialized",
            Self::BodyNotUtf8 => "body_not_utf8",
            Self::HeaderBase64 => "header_base64",
            Self::HeaderOtherAlgorithm => "header_other_algorithm",
            Self::HeaderUnkeyed => "header_unkeyed",
            Self::HeaderSwapped => "header_swapped",
            Self::HeaderOtherScheme => "header_other_scheme",
            Self::HeaderMissing => "header_missing",
            Self::HeaderMalformed => "header_malformed",
            Self::Unknown => "unknown",
        }
    }

    /// One fixed sentence that says what to change.
    ///
    /// ```
    /// use dialnexa_verify::Cause;
    ///
    /// assert!(Cause::HeaderMissing.hint().contains("lowercases header names"));
    /// ```
    #[must_use]
    pub const fn hint(self) -> &'static str {
        match self {
            Self::None => "Nothing to fix: the signature is valid.",
            Self::SecretWhitespace => {
                "Trim the secret: it kept surrounding whitespace or the newline of its .env line \
                 or copy-paste (for example process.env.DIALNEXA_WEBHOOK_SECRET.trim())."
            }
            Self::SecretQuoted => {
                "Remove the quotes around the secret: its .env line was read without a parser \
                 that strips them (dotenv does; Docker's --env-file does not)."
            }
            Self::SecretEncoding => {
                "Pass the secret as the exact text registered with the webhook: do not hex- or \
                 base64-decode it, and decode it if it is stored encoded (as in a Kubernetes \
                 Secret's data field)."
            }
            Self::BodyBase64 => {
                "Decode the body from base64 before verifying it when the platform says so \
                 (event.isBase64Encoded on API Gateway and Lambda function URLs, Vercel)."
            }
            Self::BodyEmpty => {
                "The body is empty: read the raw body before any other middleware consumes the \
                 request stream, and verify those bytes."
            }
            Self::BodyTrailingNewline => {
                "Verify the body byte for byte as received: a trailing newline was appended or \
                 removed (by a trim(), a text file, or curl -d where --data-binary keeps it)."
            }
            Self::BodyLineEndings => {
                "Verify the body byte for byte as received: its line endings were converted \
                 between CRLF and LF (a text-mode read, git autocrlf, or a copy-paste)."
            }
            Self::BodyBom => {
                "Read the body as bytes, not as text: a UTF-8 byte-order mark was inserted or \
                 removed by a text decoder or encoder."
            }
            Self::BodyReserialized => {
                "Verify the raw bytes before any JSON parser touches them: express.raw(), \
                 request.arrayBuffer(), NestJS rawBody: true, or a Fastify raw-body parser."
            }
            Self::BodyNotUtf8 => {
                "Read the body as raw bytes: it was decoded as text with the wrong charset, \
                 which left U+FFFD replacement characters and cannot be undone."
            }
            Self::HeaderBase64 => {
                "Send the tag as 64 lowercase hex digits, as DialNexa does: the sender or replay \
                 tool encoded it in base64 (use digest('hex') or hexdigest())."
            }
            Self::HeaderOtherAlgorithm => {
                "Sign with HMAC-SHA256 as DialNexa does: the header is a SHA-1, SHA-384 or \
                 SHA-512 digest from a sender or replay tool set to another algorithm."
            }
            Self::HeaderUnkeyed => {
                "Sign with HMAC-SHA256 keyed with the webhook secret: the header is a plain \
                 SHA-256 of the body, which anyone can compute."
            }
            Self::HeaderSwapped => {
                "Swap the arguments where the delivery is signed: the secret is the HMAC key \
                 and the raw body is the message."
            }
            Self::HeaderOtherScheme => {
                "Read the x-dialnexa-signature header: the value given is another header's, such \
                 as an Authorization token or another provider's t=,v1= signature list."
            }
            Self::HeaderMissing => {
                "Read the header as x-dialnexa-signature in lowercase (Node lowercases header \
                 names, so req.headers['X-DialNexa-Signature'] is undefined) and check that no \
                 proxy drops it."
            }
            Self::HeaderMalformed => {
                "Pass the header value exactly as received: it is not 64 hex digits (truncated, \
                 quoted, or with inner whitespace)."
            }
            Self::Unknown => {
                "Check that the secret is the one registered for this webhook and that nothing \
                 between DialNexa and the check changes the body."
            }
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "the signature is valid",
            Self::SecretWhitespace => "the secret has surrounding whitespace or a trailing newline",
            Self::SecretQuoted => "the secret still has the quotes around it",
            Self::SecretEncoding => "the secret was converted between text and its hex or base64",
            Self::BodyBase64 => "the body is the base64 encoding of the signed bytes",
            Self::BodyEmpty => "the body is empty",
            Self::BodyTrailingNewline => {
                "a trailing newline was appended to or removed from the body"
            }
            Self::BodyLineEndings => "the line endings of the body were converted",
            Self::BodyBom => "a byte-order mark was inserted into or removed from the body",
            Self::BodyReserialized => "the JSON body was parsed and serialized again",
            Self::BodyNotUtf8 => "the body was decoded with the wrong charset",
            Self::HeaderBase64 => "the signature header is base64 instead of hex",
            Self::HeaderOtherAlgorithm => "the signature header is a digest of another algorithm",
            Self::HeaderUnkeyed => "the signature header is an unkeyed SHA-256 of the body",
            Self::HeaderSwapped => "the signature header is an HMAC with key and message swapped",
            Self::HeaderOtherScheme => "the signature header holds another header's value",
            Self::HeaderMissing => "the signature header is missing or empty",
            Self::HeaderMalformed => "the signature header is not 64 hexadecimal digits",
            Self::Unknown => "no known mistake explains the signature",
        })
    }
}

/// Finds why `header` is or is not the signature of `payload` under one of `secrets`: takes the
/// inputs of a verification (the secrets as configured, the raw body and the
/// `X-DialNexa-Signature` value as received) and returns the first [`Cause`] that explains the
/// header.
///
/// Only the first [`MAX_DIAGNOSIS_SECRETS`] secrets are tried; empty ones are skipped. The
/// answer is [`Cause::None`] exactly when [`Verifier::verify`] accepts the header with one of
/// them. Nothing panics, allocates or takes more than linear time on any input.
///
/// # One mistake at a time, cheapest first
///
/// Each candidate changes one thing: one secret variant with the body as received, or one body
/// variant with the secrets as given, or one reading of the header. Two mistakes at once (a
/// quoted secret *and* a re-serialized body) give [`Cause::Unknown`]. The checks run in this
/// order and stop at the first match: the signature as received ([`Cause::None`]); an empty
/// body; the secret trimmed, then unquoted; the body decoded from base64, with a trailing newline
/// removed or added, with its byte-order mark removed or added, with its line endings converted;
/// the header as an unkeyed SHA-256 or an HMAC with swapped arguments; the secret hex- or
/// base64-decoded or encoded; the JSON body re-serialized in each common style; a body holding
/// U+FFFD. A header that is not 64 hex digits is examined on its own: missing, another
/// algorithm's length, base64 of the tag, another header's value, or malformed.
///
/// # Not an oracle
///
/// Every cause other than the few that are decided by shape alone ([`Cause::BodyEmpty`],
/// [`Cause::BodyNotUtf8`], [`Cause::HeaderMissing`], [`Cause::HeaderOtherAlgorithm`],
/// [`Cause::HeaderOtherScheme`], [`Cause::HeaderMalformed`], and [`Cause::Unknown`]) is reported
/// only when a full 32-byte tag, computed here, equals the received one, compared in constant
/// time with [`subtle`]. To get any of them, a sender must already hold a tag that only the
/// secret can make (for [`Cause::HeaderUnkeyed`], the plain SHA-256 of the body, which reveals
/// nothing about the secret). Partial tags are never compared, so a truncated header is
/// [`Cause::HeaderMalformed`] whether or not its digits are right, and the diagnosis cannot be
/// used to guess a tag digit by digit.
///
/// # Off in production by default
///
/// A diagnosis costs up to [`MAX_DIAGNOSIS_HMACS`] HMAC computations over the body (and its
/// variants) where a verification costs one, on every rejected request, which anyone can send.
/// It also takes time that depends on the *shape* of the secrets: whether one has surrounding
/// whitespace or quotes, is printable, is valid hex or base64 decides which variants are tried.
/// Their content never decides anything but the final, constant-time tag comparisons. So run it
/// while integrating (and in tests), keep it off (or rate-limited) in production, and never on
/// the path that accepts or rejects a delivery: [`Verifier::verify`]
/// stays that path.
///
/// # Bounds
///
/// - The first [`MAX_DIAGNOSIS_SECRETS`] entries of `secrets` are tried, no more.
/// - At most [`MAX_DIAGNOSIS_HMACS`] tags are computed per call, whatever the input; each reads
///   the body or a variant of it, and no variant is longer than eight times the body plus 4 KiB.
/// - Bodies longer than [`MAX_DIAGNOSIS_BODY`] get only the checks that need no variant of the
///   body or the secret: the signature as received, the header checks and the shape checks.
/// - Nothing allocates, recurses on the input, or backtracks: time is linear in the body's length
///   times the number of variants.
///
/// # Examples
///
/// ```
/// use dialnexa_verify::{diagnose, Cause, Verifier};
///
/// let secret = b"whk_R4nd0mS3cr3t";
/// let body = br#"{"event":"call.completed"}"#;
/// let tag = Verifier::new(secret)?.sign(body);
///
/// // A Lambda function URL hands the body over in base64:
/// let lambda_body = b"eyJldmVudCI6ImNhbGwuY29tcGxldGVkIn0=";
/// let header = hex::encode(tag.as_bytes());
/// assert_eq!(diagnose(&[secret], lambda_body, header.as_bytes()).cause, Cause::BodyBase64);
///
/// // Node lowercases header names, so `req.headers['X-DialNexa-Signature']` is undefined:
/// assert_eq!(diagnose(&[secret], body, b"").cause, Cause::HeaderMissing);
/// // A truncated header is malformed, right digits or not (no partial tag is ever compared);
/// // at the length of a SHA-1 digest, it looks like one:
/// assert_eq!(diagnose(&[secret], body, &header.as_bytes()[..63]).cause, Cause::HeaderMalformed);
/// assert_eq!(diagnose(&[secret], body, &header.as_bytes()[..40]).cause, Cause::HeaderOtherAlgorithm);
/// # Ok::<(), dialnexa_verify::SecretError>(())
/// ```
#[must_use]
pub fn diagnose(secrets: &[&[u8]], payload: &[u8], header: &[u8]) -> Diagnosis {
    let mut run = Run::new(secrets, payload);
    run.diagnose(header)
}

/// Where a candidate's bytes go, piece by piece: a set of HMACs in progress or a key being built.
trait Out {
    fn put(&mut self, bytes: &[u8]);

    /// True once the output went past its limit: a writer may stop early, and the candidate is
    /// abandoned.
    fn full(&self) -> bool {
        false
    }
}

/// One diagnosis in progress: the secrets tried, the body, and the tags computed so far.
struct Run<'s, 'p> {
    secrets: &'s [&'s [u8]],
    payload: &'p [u8],
    /// Tags computed so far (HMACs, and the one unkeyed SHA-256). The checks are planned to stay
    /// within [`MAX_DIAGNOSIS_HMACS`]; [`Run::spend`] enforces it all the same.
    tags: usize,
    /// Bytes hashed into those tags, for the tests' linearity checks.
    #[cfg(test)]
    hashed: usize,
}

fn found(cause: Cause, secret: usize) -> Diagnosis {
    Diagnosis {
        cause,
        secret: Some(secret),
    }
}

fn by_shape(cause: Cause) -> Diagnosis {
    Diagnosis {
        cause,
        secret: None,
    }
}

impl<'s, 'p> Run<'s, 'p> {
    fn new(secrets: &'s [&'s [u8]], payload: &'p [u8]) -> Self {
        Self {
            secrets: &secrets[..secrets.len().min(MAX_DIAGNOSIS_SECRETS)],
            payload,
            tags: 0,
            #[cfg(test)]
            hashed: 0,
        }
    }

    /// Accounts for `n` more tags; false (and nothing is computed) if that would exceed the bound.
    fn spend(&mut self, n: usize) -> bool {
        if self.tags + n > MAX_DIAGNOSIS_HMACS {
            return false;
        }
        self.tags += n;
        true
    }

    /// Counts `bytes` hashed (in the tests only).
    #[cfg_attr(not(test), allow(clippy::unused_self))]
    fn count_hashed(&mut self, bytes: usize) {
        #[cfg(test)]
        {
            self.hashed += bytes;
        }
        let _ = bytes;
    }

    fn diagnose(&mut self, header: &[u8]) -> Diagnosis {
        let value = header.trim_ascii();
        if value.is_empty() {
            return by_shape(Cause::HeaderMissing);
        }
        match Signature::from_header(header) {
            Ok(signature) => self.with_tag(signature.as_bytes()),
            Err(_) => self.without_tag(value),
        }
    }

    /// The header is a hex tag: try the secret and body variants against it.
    fn with_tag(&mut self, received: &[u8; 32]) -> Diagnosis {
        let payload = self.payload;
        if let Some(i) = self.body_matches(received, usize::MAX, &|out| {
            out.put(payload);
            true
        }) {
            return found(Cause::None, i);
        }
        if payload.is_empty() {
            return by_shape(Cause::BodyEmpty);
        }
        let variants = payload.len() <= MAX_DIAGNOSIS_BODY;
        let diagnosis = if variants {
            self.secret_trimmed(received)
                .or_else(|| self.body_variants(received))
                .or_else(|| self.header_hashes(received))
                .or_else(|| self.secret_encoded(received))
                .or_else(|| self.body_reserialized(received))
        } else {
            self.header_hashes(received)
        };
        diagnosis.unwrap_or_else(|| {
            let replaced = payload
                .windows(REPLACEMENT_CHARACTER.len())
                .any(|w| w == REPLACEMENT_CHARACTER);
            by_shape(if replaced {
                Cause::BodyNotUtf8
            } else {
                Cause::Unknown
            })
        })
    }

    /// The header is not a hex tag (`value` is it trimmed, not empty).
    fn without_tag(&mut self, value: &[u8]) -> Diagnosis {
        if other_algorithm(value) {
            return by_shape(Cause::HeaderOtherAlgorithm);
        }
        let encoded = strip_prefix_ignore_case(value, b"sha256=").unwrap_or(value);
        // 32 bytes are 43 base64 digits, 44 with padding.
        let digits = match encoded.len() {
            43 | 44 => codec::base64_digits(encoded),
            _ => None,
        };
        if let Some(digits) = digits {
            if codec::base64_decoded_len(digits) == 32 {
                let mut tag = Tag::default();
                codec::decode_base64(digits, &mut tag);
                let payload = self.payload;
                if let Some(i) = self.body_matches(&tag.bytes, usize::MAX, &|out| {
                    out.put(payload);
                    true
                }) {
                    return found(Cause::HeaderBase64, i);
                }
            }
        }
        if other_scheme(value) {
            return by_shape(Cause::HeaderOtherScheme);
        }
        by_shape(Cause::HeaderMalformed)
    }

    /// Whether the HMAC keyed with the bytes `key` writes, over the bytes `message` writes, is
    /// `received`. An empty key is no candidate; a message that `message` abandons (false) or
    /// that is longer than `limit` matches nothing. Every tag is computed here, in one place, so
    /// the WebAssembly engine carries one copy of the HMAC code; callbacks are `dyn` for the same
    /// reason.
    #[inline(never)]
    fn candidate(
        &mut self,
        received: &[u8; 32],
        key: &dyn Fn(&mut dyn Out),
        message: &dyn Fn(&mut dyn Out) -> bool,
        limit: usize,
    ) -> bool {
        let mut builder = Key::default();
        key(&mut builder);
        let Some(verifier) = builder.verifier() else {
            return false;
        };
        if !self.spend(1) {
            return false;
        }
        let mut sink = Sink {
            stream: verifier.stream(),
            written: 0,
            limit,
        };
        let complete = message(&mut sink);
        self.count_hashed(sink.written.min(limit));
        complete && sink.finish(received)
    }

    /// Whether the HMAC of the body as received, keyed with the bytes `key` writes, matches.
    fn secret_matches(&mut self, received: &[u8; 32], key: &dyn Fn(&mut dyn Out)) -> bool {
        let payload = self.payload;
        self.candidate(
            received,
            key,
            &|out| {
                out.put(payload);
                true
            },
            usize::MAX,
        )
    }

    /// The index of the first secret whose HMAC of the bytes `message` writes matches. The
    /// candidate is written again for each secret: it is never stored.
    fn body_matches(
        &mut self,
        received: &[u8; 32],
        limit: usize,
        message: &dyn Fn(&mut dyn Out) -> bool,
    ) -> Option<usize> {
        let secrets = self.secrets;
        (0..secrets.len())
            .find(|&i| self.candidate(received, &|key| key.put(secrets[i]), message, limit))
    }

    fn secret_trimmed(&mut self, received: &[u8; 32]) -> Option<Diagnosis> {
        for (i, &secret) in self.secrets.iter().enumerate() {
            let trimmed = secret.trim_ascii();
            if trimmed.len() != secret.len() && self.secret_matches(received, &|k| k.put(trimmed)) {
                return Some(found(Cause::SecretWhitespace, i));
            }
        }
        for (i, &secret) in self.secrets.iter().enumerate() {
            if let Some(inner) = unquote(secret.trim_ascii()) {
                if self.secret_matches(received, &|k| k.put(inner)) {
                    return Some(found(Cause::SecretQuoted, i));
                }
            }
        }
        None
    }

    fn secret_encoded(&mut self, received: &[u8; 32]) -> Option<Diagnosis> {
        for (i, &secret) in self.secrets.iter().enumerate() {
            // Text (a printable secret) may be an encoding of the registered bytes; other bytes
            // may be the decoding of the registered text. Decided without an early exit.
            let printable = secret
                .iter()
                .fold(true, |all, &b| all & (0x20..0x7f).contains(&b));
            let matched = if printable {
                let hex = codec::is_hex(secret)
                    && self.secret_matches(received, &|k| codec::decode_hex(secret, k));
                hex || codec::base64_digits(secret).is_some_and(|digits| {
                    self.secret_matches(received, &|k| codec::decode_base64(digits, k))
                }) || after_key_prefix(secret)
                    .and_then(codec::base64_digits)
                    .is_some_and(|digits| {
                        self.secret_matches(received, &|k| codec::decode_base64(digits, k))
                    })
            } else {
                // Base64 as Node, Python and Standard Webhooks (`whsec_`) write it.
                let forms = [
                    (&b""[..], false, true),
                    (b"", true, false),
                    (b"whsec_", false, true),
                ];
                self.secret_matches(received, &|k| codec::encode_hex(secret, k))
                    || forms.into_iter().any(|(prefix, url, pad)| {
                        self.secret_matches(received, &|k| {
                            k.put(prefix);
                            codec::encode_base64(secret, url, pad, k);
                        })
                    })
            };
            if matched {
                return Some(found(Cause::SecretEncoding, i));
            }
        }
        None
    }

    fn body_variants(&mut self, received: &[u8; 32]) -> Option<Diagnosis> {
        let payload = self.payload;
        let check = |run: &mut Self, cause, write: &dyn Fn(&mut dyn Out)| {
            run.body_matches(received, usize::MAX, &|out| {
                write(out);
                true
            })
            .map(|i| found(cause, i))
        };

        if let Some(digits) = codec::base64_digits(payload) {
            let decoded = check(self, Cause::BodyBase64, &|out| {
                codec::decode_base64(digits, out);
            });
            if decoded.is_some() {
                return decoded;
            }
        }

        let without_newline = payload
            .strip_suffix(b"\r\n")
            .or_else(|| payload.strip_suffix(b"\n"))
            .or_else(|| payload.strip_suffix(b"\r"));
        let newline = match without_newline {
            Some(shorter) => check(self, Cause::BodyTrailingNewline, &|out| out.put(shorter)),
            None => [&b"\n"[..], b"\r\n"].into_iter().find_map(|ending| {
                check(self, Cause::BodyTrailingNewline, &|out| {
                    out.put(payload);
                    out.put(ending);
                })
            }),
        };
        if newline.is_some() {
            return newline;
        }

        let bom = match payload.strip_prefix(BOM) {
            Some(rest) => check(self, Cause::BodyBom, &|out| out.put(rest)),
            None => check(self, Cause::BodyBom, &|out| {
                out.put(BOM);
                out.put(payload);
            }),
        };
        if bom.is_some() {
            return bom;
        }

        let crlf = payload.windows(2).any(|w| w == b"\r\n");
        let lone_lf = payload
            .iter()
            .enumerate()
            .any(|(i, &b)| b == b'\n' && (i == 0 || payload[i - 1] != b'\r'));
        if crlf {
            let lf = check(self, Cause::BodyLineEndings, &|out| {
                crlf_to_lf(payload, out)
            });
            if lf.is_some() {
                return lf;
            }
        }
        if lone_lf {
            return check(self, Cause::BodyLineEndings, &|out| {
                lf_to_crlf(payload, out)
            });
        }
        None
    }

    fn body_reserialized(&mut self, received: &[u8; 32]) -> Option<Diagnosis> {
        let payload = self.payload;
        let shape = json::scan(payload)?;
        let limit = payload
            .len()
            .saturating_mul(JSON_EXPANSION)
            .saturating_add(JSON_SLACK);
        json::STYLES
            .into_iter()
            .filter(|&style| shape.distinguishes(style))
            .find_map(|style| {
                self.body_matches(received, limit, &|out| json::write(payload, style, out))
            })
            .map(|i| found(Cause::BodyReserialized, i))
    }

    /// The header as the plain SHA-256 of the body, or as the HMAC keyed with the body over a
    /// secret. The body is not empty here.
    fn header_hashes(&mut self, received: &[u8; 32]) -> Option<Diagnosis> {
        let payload = self.payload;
        if !self.spend(1) {
            return None;
        }
        self.count_hashed(payload.len());
        let digest: [u8; 32] = Sha256::digest(payload).into();
        if bool::from(digest.ct_eq(received)) {
            return Some(by_shape(Cause::HeaderUnkeyed));
        }
        // HMAC keys longer than SHA-256's 64-byte block are replaced by their hash (RFC 2104):
        // reuse the digest rather than hash the body again.
        let key = if payload.len() > 64 {
            &digest[..]
        } else {
            payload
        };
        let secrets = self.secrets;
        (0..secrets.len())
            .find(|&i| {
                let secret = secrets[i];
                !secret.is_empty()
                    && self.candidate(
                        received,
                        &|out| out.put(key),
                        &|out| {
                            out.put(secret);
                            true
                        },
                        usize::MAX,
                    )
            })
            .map(|i| found(Cause::HeaderSwapped, i))
    }
}

/// One candidate message on its way into an HMAC; abandoned once it is longer than its limit.
/// (No buffer of its own: the HMAC state buffers a block, and this code is smaller.)
struct Sink {
    stream: WebhookStream,
    written: usize,
    limit: usize,
}

impl Sink {
    /// Whether the whole candidate was written and its HMAC is `received`.
    fn finish(self, received: &[u8; 32]) -> bool {
        !self.full() && bool::from(self.stream.sign().as_bytes().ct_eq(received))
    }
}

impl Out for Sink {
    fn put(&mut self, bytes: &[u8]) {
        self.written = self.written.saturating_add(bytes.len());
        if !self.full() {
            self.stream.update(bytes);
        }
    }

    fn full(&self) -> bool {
        self.written > self.limit
    }
}

/// An HMAC key being written piece by piece: kept in one block while it fits, hashed as it
/// arrives when it is longer (RFC 2104 replaces such a key by its SHA-256), wiped when dropped.
#[derive(Default)]
struct Key {
    block: KeyBlock,
    len: usize,
    long: Option<Sha256>,
}

struct KeyBlock([u8; 64]);

impl Default for KeyBlock {
    fn default() -> Self {
        Self([0; 64])
    }
}

impl Drop for KeyBlock {
    fn drop(&mut self) {
        self.0.fill(0);
        core::hint::black_box(&mut self.0);
    }
}

impl Out for Key {
    fn put(&mut self, bytes: &[u8]) {
        if self.long.is_none() {
            if let Some(free) = self.block.0.get_mut(self.len..self.len + bytes.len()) {
                free.copy_from_slice(bytes);
                self.len += bytes.len();
                return;
            }
            let mut hash = Sha256::new();
            absorb(&mut hash, &self.block.0[..self.len]);
            self.long = Some(hash);
        }
        if let Some(hash) = &mut self.long {
            absorb(hash, bytes);
        }
    }
}

/// `Sha256::update`, not inlined: one copy of it serves every long key.
#[inline(never)]
fn absorb(hash: &mut Sha256, bytes: &[u8]) {
    hash.update(bytes);
}

impl Key {
    /// The verifier for the key written, or `None` if it is empty.
    fn verifier(mut self) -> Option<Verifier> {
        if let Some(hash) = self.long.take() {
            self.block.0[..32].copy_from_slice(&hash.finalize());
            self.len = 32;
        }
        Verifier::new(&self.block.0[..self.len]).ok()
    }
}

/// The 32 bytes of a base64 header.
#[derive(Default)]
struct Tag {
    bytes: [u8; 32],
    len: usize,
}

impl Out for Tag {
    fn put(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if let Some(slot) = self.bytes.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
    }
}

/// `value` after `prefix` (compared ignoring ASCII case), if it starts with it. Not inlined:
/// one copy serves every prefix test.
#[inline(never)]
fn strip_prefix_ignore_case<'a>(value: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    match value.split_at_checked(prefix.len()) {
        Some((head, rest)) if head.eq_ignore_ascii_case(prefix) => Some(rest),
        _ => None,
    }
}

/// `"…"` or `'…'` with something inside.
fn unquote(value: &[u8]) -> Option<&[u8]> {
    match value {
        [open @ (b'"' | b'\''), inner @ .., close] if open == close && !inner.is_empty() => {
            Some(inner)
        }
        _ => None,
    }
}

/// What follows a key-type prefix such as `whsec_`: two to eight ASCII letters and `_`.
fn after_key_prefix(secret: &[u8]) -> Option<&[u8]> {
    let end = secret.iter().take(9).position(|&b| b == b'_')?;
    let letters = (2..=8).contains(&end) && secret[..end].iter().all(u8::is_ascii_alphabetic);
    letters.then(|| &secret[end + 1..])
}

/// 40, 96 or 128 hex digits, optionally after `sha1=`, `sha384=` or `sha512=`.
fn other_algorithm(value: &[u8]) -> bool {
    let mut digits = value;
    for prefix in [&b"sha1="[..], b"sha384=", b"sha512="] {
        if let Some(rest) = strip_prefix_ignore_case(value, prefix) {
            digits = rest;
        }
    }
    matches!(digits.len(), 40 | 96 | 128) && digits.iter().all(u8::is_ascii_hexdigit)
}

/// Another header's value: an `Authorization` credential, or another provider's signature list
/// (Stripe's `t=…,v1=…`, Standard Webhooks' `v1,…`).
fn other_scheme(value: &[u8]) -> bool {
    let credential = [&b"bearer "[..], b"basic ", b"token ", b"digest "]
        .into_iter()
        .any(|scheme| strip_prefix_ignore_case(value, scheme).is_some_and(|rest| !rest.is_empty()));
    let versioned = value.starts_with(b"v1,") || value.starts_with(b"v1a,");
    // A `name=value,…` list: a comma, and a first item of a short alphanumeric name, `=`, a value.
    let first = value.split(|&b| b == b',').next().unwrap_or_default();
    let list = first.len() < value.len()
        && first.iter().position(|&b| b == b'=').is_some_and(|eq| {
            (1..=16).contains(&eq)
                && eq + 1 < first.len()
                && first[..eq].iter().all(u8::is_ascii_alphanumeric)
        });
    credential || versioned || list
}

/// Writes `text` with every CRLF as LF.
fn crlf_to_lf(text: &[u8], out: &mut dyn Out) {
    let mut start = 0;
    for (i, pair) in text.windows(2).enumerate() {
        if pair == b"\r\n" {
            out.put(&text[start..i]);
            start = i + 1;
        }
    }
    out.put(&text[start..]);
}

/// Writes `text` with every LF not already after a CR as CRLF.
fn lf_to_crlf(text: &[u8], out: &mut dyn Out) {
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' && (i == 0 || text[i - 1] != b'\r') {
            out.put(&text[start..i]);
            out.put(b"\r\n");
            start = i + 1;
        }
    }
    out.put(&text[start..]);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    use super::{
        diagnose, Cause, Run, JSON_EXPANSION, JSON_SLACK, MAX_DIAGNOSIS_BODY, MAX_DIAGNOSIS_HMACS,
        MAX_DIAGNOSIS_SECRETS,
    };

    /// Runs a diagnosis and returns the cause, the tags computed and the bytes hashed.
    fn run(secrets: &[&[u8]], payload: &[u8], header: &[u8]) -> (Cause, usize, usize) {
        let mut run = Run::new(secrets, payload);
        let diagnosis = run.diagnose(header);
        assert_eq!(diagnosis, diagnose(secrets, payload, header));
        (diagnosis.cause, run.tags, run.hashed)
    }

    /// A header that no candidate produces.
    const NO_MATCH: &[u8] = b"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// The most expensive input: four secrets that are quoted, surrounded by newlines and not
    /// printable (every secret variant applies), and a JSON body with every feature the styles
    /// and the line-ending conversions look at, without a trailing newline or a byte-order mark.
    fn worst_case() -> (Vec<Vec<u8>>, Vec<u8>) {
        let secrets = (0..MAX_DIAGNOSIS_SECRETS as u8)
            .map(|i| [&b"\n\"\x01\x02secret"[..], &[b'0' + i], b"\"\r\n"].concat())
            .collect();
        let body = "{\"caller\":\"Zoë/😀\",\r\n\"legs\":[1,\n2],\"tags\":{}}"
            .as_bytes()
            .to_vec();
        (secrets, body)
    }

    #[test]
    fn the_worst_case_computes_every_planned_tag_and_stays_within_the_bound() {
        let (secrets, body) = worst_case();
        let secrets: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
        let (cause, tags, _) = run(&secrets, &body, NO_MATCH);
        assert_eq!(cause, Cause::Unknown);
        // Per secret: as given 1, trimmed and unquoted 2, two added newlines 2, a byte-order
        // mark 1, two line-ending conversions 2, four encodings 4, ten JSON styles 10, swapped 1;
        // plus one unkeyed SHA-256. Only the base64 body (which cannot also be this JSON) is
        // missing from the bound.
        assert_eq!(tags, MAX_DIAGNOSIS_SECRETS * 23 + 1);
        assert!(tags <= MAX_DIAGNOSIS_HMACS);
        assert_eq!(MAX_DIAGNOSIS_HMACS, MAX_DIAGNOSIS_SECRETS * 24 + 1);

        // A base64 body and every secret variant, for the other branch.
        let (_, tags, _) = run(&secrets, b"eyJldmVudCI6ImNhbGwifQ", NO_MATCH);
        assert!(tags <= MAX_DIAGNOSIS_HMACS, "{tags}");
        assert!(tags > MAX_DIAGNOSIS_SECRETS * 10, "{tags}");
    }

    #[test]
    fn more_secrets_or_a_bigger_body_do_not_add_work() {
        let (secrets, body) = worst_case();
        let many: Vec<&[u8]> = secrets
            .iter()
            .map(Vec::as_slice)
            .cycle()
            .take(1000)
            .collect();
        let (_, tags, _) = run(&many, &body, NO_MATCH);
        assert_eq!(tags, MAX_DIAGNOSIS_SECRETS * 23 + 1);

        // Above the body cap only the signature as given and the header hashes are computed.
        let mut big = body.clone();
        big.resize(MAX_DIAGNOSIS_BODY + 1, b' ');
        let (cause, tags, hashed) = run(&many, &big, NO_MATCH);
        assert_eq!(cause, Cause::Unknown);
        assert_eq!(tags, 2 * MAX_DIAGNOSIS_SECRETS + 1);
        assert!(hashed < (MAX_DIAGNOSIS_SECRETS + 2) * big.len());

        // A header that is not hex costs at most one HMAC per secret.
        let base64_tag = b"ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=";
        let (cause, tags, _) = run(&many, &body, base64_tag);
        assert_eq!(cause, Cause::HeaderMalformed);
        assert_eq!(tags, MAX_DIAGNOSIS_SECRETS);
        for header in [&b"Bearer abc:def"[..], b"t=1,v1=2", &[b'a'; 40], b"\"abc\""] {
            let (_, tags, _) = run(&many, &body, header);
            assert_eq!(tags, 0);
        }
    }

    #[test]
    fn pathological_json_costs_linear_work() {
        // Deep nesting full of one-byte numbers: indenting it would write about 500 * 4 spaces
        // per number, quadratic in the body. The output limit stops each variant.
        let body = |numbers: usize| {
            let mut text = "[".repeat(500);
            text.push_str(&"1,".repeat(numbers));
            text.push('1');
            text.push_str(&"]".repeat(500));
            text.into_bytes()
        };
        let secret: &[&[u8]] = &[b"whk_linear"];
        let (small, large) = (body(10_000), body(40_000));
        let (_, tags_small, hashed_small) = run(secret, &small, NO_MATCH);
        let (_, tags_large, hashed_large) = run(secret, &large, NO_MATCH);
        assert_eq!(tags_small, tags_large);
        let bound = |len: usize| tags_large * (JSON_EXPANSION * len + JSON_SLACK);
        assert!(hashed_small <= bound(small.len()));
        assert!(hashed_large <= bound(large.len()));
        // Four times the body, about four times the bytes hashed.
        let ratio = hashed_large as f64 / hashed_small as f64;
        assert!((3.0..4.5).contains(&ratio), "{ratio}");
    }
}
