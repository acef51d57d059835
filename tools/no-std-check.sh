#!/usr/bin/env bash
# The core as its no_std dependents use it: tests/no_std_dependent is a `#![no_std]` library that
# depends on dialnexa-verify with `default-features = false`. Its unit tests run on the host
# (where a crate that needed a panic handler or std would fail to link), then it builds for
# thumbv7em-none-eabihf, a target with no std at all. Installs that target if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="$PWD/target/no-std-dependent"
target=thumbv7em-none-eabihf
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
manifest=tests/no_std_dependent/Cargo.toml
cargo test --manifest-path "$manifest"
cargo build --manifest-path "$manifest" --target "$target"
# Also the core alone, with no features, with `zeroize`, and with `zeroize` and `rand_core`
# (generate_api_key needs neither std nor alloc).
for features in "--no-default-features" "--no-default-features --features zeroize" "--no-default-features --features zeroize,rand_core"; do
    # shellcheck disable=SC2086
    cargo build --locked -p dialnexa-verify --lib $features --target "$target"
done
echo "no_std: the dependent's tests passed on the host and it built for $target"
