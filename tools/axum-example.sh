#!/usr/bin/env bash
# The axum example (examples/axum, its own crate and workspace): lints, then its tests, which
# start the server on 127.0.0.1 and send it signed, tampered, unsigned, doubly signed and rotated
# webhooks and good, wrong and missing API keys.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="$PWD/target/axum-example"
manifest=examples/axum/Cargo.toml
cargo fmt --manifest-path "$manifest" -- --check
cargo clippy --manifest-path "$manifest" --all-targets -- -D warnings
cargo test --manifest-path "$manifest"
