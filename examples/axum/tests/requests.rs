//! Starts the example on 127.0.0.1 and sends it real HTTP/1.1 requests: signed, tampered,
//! unsigned, doubly signed and rotated webhooks; good, wrong and missing API keys.

use std::collections::HashMap;
use std::net::SocketAddr;

use dialnexa_verify::{ApiKey, Verifier, UNAUTHORIZED_BODY};
use dialnexa_verify_axum_example::{app, Config};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const CURRENT: &str = "whsec_axum_current";
const PREVIOUS: &str = "whsec_axum_previous";
const KEY: &str = "abcdefghijklmn:123456a1b1234b";
const BODY: &str = r#"{"event":"call.completed","call_id":"call_8f2a","duration_seconds":42}"#;

async fn start(webhook_secrets: &[&str]) -> SocketAddr {
    let key = ApiKey::parse(KEY).expect("key");
    let config = Config {
        webhook_secrets: webhook_secrets
            .iter()
            .map(|s| Verifier::new(s).expect("secret"))
            .collect(),
        api_keys: HashMap::from([(key.key_id().to_owned(), key.secret_hash())]),
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app(config)).await });
    addr
}

/// Sends one request and returns the status code and the body.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let (_, body) = response.split_once("\r\n\r\n").expect("head and body");
    (status, body.to_owned())
}

fn signature(secret: &str, body: &str) -> String {
    Verifier::new(secret)
        .expect("secret")
        .sign(body.as_bytes())
        .to_hex()
        .as_str()
        .to_owned()
}

#[tokio::test]
async fn webhooks_are_verified_from_the_raw_body() {
    let addr = start(&[CURRENT, PREVIOUS]).await;
    let good = signature(CURRENT, BODY);
    let post = |headers: Vec<(&'static str, String)>, body: &'static str| async move {
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        send(addr, "POST", "/webhooks/dialnexa", &headers, body).await
    };
    let sig = |value: &str| vec![("X-DialNexa-Signature", value.to_owned())];

    assert_eq!(post(sig(&good), BODY).await, (204, String::new()));
    let prefixed = format!("sha256={}", good.to_ascii_uppercase());
    assert_eq!(post(sig(&prefixed), BODY).await.0, 204);
    // Rotation: a delivery still signed with the previous secret.
    assert_eq!(post(sig(&signature(PREVIOUS, BODY)), BODY).await.0, 204);

    let tampered = r#"{"event":"call.completed","call_id":"call_8f2b","duration_seconds":42}"#;
    assert_eq!(
        post(sig(&good), tampered).await,
        (401, "signature_mismatch".into())
    );
    // The same JSON re-serialized with a space is a different body.
    let reserialized = r#"{"event": "call.completed","call_id":"call_8f2a","duration_seconds":42}"#;
    assert_eq!(post(sig(&good), reserialized).await.0, 401);
    assert_eq!(post(vec![], BODY).await, (401, "missing_signature".into()));
    assert_eq!(
        post(sig(&good[..40]), BODY).await,
        (401, "malformed_signature".into())
    );
    assert_eq!(
        post(sig(&signature("whsec_someone_else", BODY)), BODY).await,
        (401, "signature_mismatch".into())
    );
    // Sent twice (a forged copy first, then the real one): rejected, never "take the first".
    let twice = vec![
        ("X-DialNexa-Signature", "0".repeat(64)),
        ("X-DialNexa-Signature", good.clone()),
    ];
    assert_eq!(post(twice, BODY).await, (401, "malformed_signature".into()));
}

#[tokio::test]
async fn no_configured_secret_is_a_server_error() {
    let addr = start(&[]).await;
    let header = signature(CURRENT, BODY);
    let (status, _) = send(
        addr,
        "POST",
        "/webhooks/dialnexa",
        &[("X-DialNexa-Signature", &header)],
        BODY,
    )
    .await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn api_routes_need_the_stored_key() {
    let addr = start(&[CURRENT]).await;
    let get = |authorization: Option<String>| async move {
        let headers: Vec<(&str, &str)> = authorization
            .iter()
            .map(|v| ("Authorization", v.as_str()))
            .collect();
        send(addr, "GET", "/v1/agents", &headers, "").await
    };
    assert_eq!(
        get(Some(format!("Bearer {KEY}"))).await,
        (200, r#"{"agents":[],"key_id":"abcdefghijklmn"}"#.into())
    );
    assert_eq!(get(Some(format!("bearer   {KEY}"))).await.0, 200);
    for bad in [
        None,
        Some("Bearer abcdefghijklmn:123456a1b1234c".to_owned()),
        // The right secret under another key ID.
        Some("Bearer someone-else:123456a1b1234b".to_owned()),
        Some(format!("Basic {KEY}")),
        Some("Bearer".to_owned()),
        Some(KEY.to_owned()),
        Some("Bearer abcdefghijklmn".to_owned()),
    ] {
        assert_eq!(
            get(bad.clone()).await,
            (401, UNAUTHORIZED_BODY.to_owned()),
            "{bad:?}"
        );
    }
    // Two Authorization headers, even both right.
    let auth = format!("Bearer {KEY}");
    let (status, body) = send(
        addr,
        "GET",
        "/v1/agents",
        &[("Authorization", &auth), ("Authorization", &auth)],
        "",
    )
    .await;
    assert_eq!((status, body.as_str()), (401, UNAUTHORIZED_BODY));
}
