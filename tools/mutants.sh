#!/usr/bin/env bash
# Mutation testing (cargo-mutants, configured in .cargo/mutants.toml): every mutant of the core's
# src/ must make one of its unit or integration tests fail. When the npm engine has native tests
# (pkg-template/wasm/tests/*.rs), its src/lib.rs is mutated too, against those tests (the exports
# in src/exports.rs only exist on wasm32 and are excluded). Fails on any missed or timed-out
# mutant; results go to target/mutants/ and target/mutants-engine/. Installs cargo-mutants if it
# is missing. Extra arguments go to cargo-mutants (e.g. --file src/api_key.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked
start=$SECONDS
cargo mutants --package dialnexa-verify --jobs 2 --output target/mutants "$@"
echo "mutants: core, every viable mutant caught ($((SECONDS - start)) s)"
if compgen -G "pkg-template/wasm/tests/*.rs" >/dev/null; then
    start=$SECONDS
    cargo mutants --package dialnexa-verify-wasm --jobs 2 --output target/mutants-engine "$@"
    echo "mutants: engine, every viable mutant caught ($((SECONDS - start)) s)"
fi
