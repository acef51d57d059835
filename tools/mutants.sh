#!/usr/bin/env bash
# Mutation testing (cargo-mutants, configured in .cargo/mutants.toml): every mutant must make one
# of the unit or integration tests fail. Fails on any missed or timed-out mutant; results go to
# target/mutants-<part>/. Installs cargo-mutants if it is missing.
# Usage: tools/mutants.sh [core|diagnose|engine|all] [extra cargo-mutants arguments]
#   core (default): the core crate's src/ except the diagnosis, against the crate's tests
#                   (about 180 mutants, 6 to 8 minutes on 2 cores);
#   diagnose:       src/diagnose.rs and src/diagnose/ (about 660 mutants);
#   engine:         the npm engine, pkg-template/wasm/src/lib.rs, against its native tests
#                   (src/exports.rs only exists on wasm32 and is excluded).
set -euo pipefail
cd "$(dirname "$0")/.."
part=core
case "${1:-}" in core | diagnose | engine | all) part=$1; shift ;; esac
command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked
run() { # name, package, cargo-mutants arguments...
    local name=$1 package=$2 start=$SECONDS
    shift 2
    cargo mutants --package "$package" --jobs 2 --output "target/mutants-$name" "$@"
    echo "mutants: $name, every viable mutant caught ($((SECONDS - start)) s)"
}
diagnosis=(--file 'src/diagnose.rs' --file 'src/diagnose/*.rs')
if [ "$part" = core ] || [ "$part" = all ]; then
    run core dialnexa-verify --exclude 'src/diagnose.rs' --exclude 'src/diagnose/*.rs' "$@"
fi
if [ "$part" = diagnose ] || [ "$part" = all ]; then
    run diagnose dialnexa-verify "${diagnosis[@]}" "$@"
fi
if [ "$part" = engine ] || [ "$part" = all ]; then
    run engine dialnexa-verify-wasm "$@"
fi
