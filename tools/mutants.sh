#!/usr/bin/env bash
# Mutation testing (cargo-mutants, configured in .cargo/mutants.toml): every mutant must make one
# of the unit or integration tests fail. Fails on any missed or timed-out mutant; results go to
# target/mutants-<part>/. Installs cargo-mutants if it is missing.
# Usage: tools/mutants.sh [core|engine|all] [extra cargo-mutants arguments]
#   core (default): the core crate's src/ against its tests;
#   engine: the npm engine (pkg-template/wasm/src/lib.rs) against its native tests
#           (src/exports.rs only exists on wasm32 and is excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
part=core
case "${1:-}" in core | engine | all) part=$1; shift ;; esac
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked
run() { # name, package
    local start=$SECONDS
    cargo mutants --package "$2" --jobs 2 --output "target/mutants-$1" "${extra[@]}"
    echo "mutants: $1, every viable mutant caught ($((SECONDS - start)) s)"
}
extra=("$@")
[ "$part" = engine ] || run core dialnexa-verify
[ "$part" = core ] || run engine dialnexa-verify-wasm
