//! Runs the example on 127.0.0.1. Configuration from the environment:
//! - `DIALNEXA_WEBHOOK_SECRETS`: webhook secrets, comma-separated, newest first;
//! - `DIALNEXA_API_KEYS`: accepted keys as `keyid:sha256hex`, comma-separated (the hex from
//!   `SecretHash::to_hex`);
//! - `PORT` (default 8787).

use std::collections::HashMap;
use std::error::Error;

use dialnexa_verify::{SecretHash, Verifier};
use dialnexa_verify_axum_example::{app, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let secrets = std::env::var("DIALNEXA_WEBHOOK_SECRETS").unwrap_or_default();
    let webhook_secrets = secrets
        .split(',')
        .filter(|s| !s.is_empty())
        .map(Verifier::new)
        .collect::<Result<Vec<_>, _>>()?;
    let mut api_keys = HashMap::new();
    for record in std::env::var("DIALNEXA_API_KEYS")
        .unwrap_or_default()
        .split(',')
    {
        if let Some((key_id, hash)) = record.split_once(':') {
            api_keys.insert(key_id.to_owned(), SecretHash::from_hex(hash)?);
        }
    }
    if webhook_secrets.is_empty() {
        eprintln!("warning: DIALNEXA_WEBHOOK_SECRETS is empty: every webhook gets 500");
    }
    let port = std::env::var("PORT").unwrap_or_else(|_| "8787".into());
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    eprintln!(
        "listening on http://{} ({} webhook secret(s), {} API key(s))",
        listener.local_addr()?,
        webhook_secrets.len(),
        api_keys.len()
    );
    let config = Config {
        webhook_secrets,
        api_keys,
    };
    axum::serve(listener, app(config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
