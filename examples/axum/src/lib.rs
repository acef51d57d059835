//! A DialNexa webhook receiver and API-key gateway on axum.
//!
//! - `POST /webhooks/dialnexa` verifies `X-DialNexa-Signature` against the raw body, as the
//!   `Bytes` axum received (never re-serialized JSON), with every configured secret (rotation),
//!   and answers 204, or 401 with the reason's code. A signature header sent twice is rejected.
//! - `GET /v1/agents` (and everything under `/v1`) is guarded by a middleware that reads
//!   `Authorization: Bearer keyid:secret`, looks the record up by key ID and checks key ID and
//!   secret together in constant time. A bad key gets DialNexa's exact 401 body; a good one is
//!   put into the request's extensions as an `OwnedApiKey` for the handlers.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use dialnexa_verify::{
    verify_any, ApiKey, OwnedApiKey, SecretHash, Signature, StoredKey, Verifier, VerifyError,
    UNAUTHORIZED_BODY,
};

/// What the server is configured with at start-up.
#[derive(Debug)]
pub struct Config {
    /// Webhook secrets, newest first: during a rotation the old one stays until every delivery
    /// signed with it has arrived.
    pub webhook_secrets: Vec<Verifier>,
    /// Accepted API keys: key ID to the SHA-256 of the secret.
    pub api_keys: HashMap<String, SecretHash>,
}

/// The axum application for `config`.
pub fn app(config: Config) -> Router {
    let config = Arc::new(config);
    let api = Router::new()
        .route("/agents", get(list_agents))
        .route_layer(middleware::from_fn_with_state(
            config.clone(),
            require_api_key,
        ));
    Router::new()
        .route("/webhooks/dialnexa", post(receive_webhook))
        .nest("/v1", api)
        .with_state(config)
}

async fn receive_webhook(
    State(config): State<Arc<Config>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // `from_headers` rejects a repeated header; `verify_any` then tries every secret.
    let checked = Signature::from_headers(&headers)
        .and_then(|signature| verify_any(&config.webhook_secrets, &body, signature.to_hex()));
    match checked {
        Ok(_index) => StatusCode::NO_CONTENT.into_response(),
        // No secret configured: the server's fault, not the sender's.
        Err(VerifyError::NoSecrets) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        Err(error) => (StatusCode::UNAUTHORIZED, error.code()).into_response(),
    }
}

async fn require_api_key(
    State(config): State<Arc<Config>>,
    mut request: Request,
    next: Next,
) -> Response {
    let accepted = ApiKey::from_headers(request.headers())
        .ok()
        .filter(|key| {
            // Key IDs are public, so looking one up by it may take its own time.
            config
                .api_keys
                .get(key.key_id())
                .is_some_and(|hash| key.matches(&StoredKey::new(key.key_id(), hash.clone())))
        })
        .map(OwnedApiKey::from);
    match accepted {
        Some(key) => {
            request.extensions_mut().insert(key);
            next.run(request).await
        }
        None => unauthorized(),
    }
}

/// DialNexa's own answer to a request without a valid API key.
fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "application/json")],
        UNAUTHORIZED_BODY,
    )
        .into_response()
}

async fn list_agents(Extension(key): Extension<OwnedApiKey>) -> Response {
    // The key ID is safe to show and to log; the secret is not reachable from here by accident.
    let body = format!(r#"{{"agents":[],"key_id":"{}"}}"#, key.key_id());
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}
