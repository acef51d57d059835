#!/usr/bin/env bash
# Builds and tests dialnexa-verify with its declared minimum Rust version (rust-version in
# Cargo.toml), as a user on that toolchain would get it:
# - the crate as `cargo package` ships it (so the published file list is checked too), unpacked
#   under target/msrv/;
# - dependencies from tools/msrv.lock, a lockfile resolved by Cargo's MSRV-aware resolver
#   (`incompatible-rust-versions = "fallback"`: the newest version of each dependency, dev ones
#   included, whose rust-version the MSRV satisfies; e.g. sha2 0.11.0, since 0.11.1 needs 1.88).
#   `tools/msrv.sh --update` re-resolves it;
# - `cargo test` with every feature, then no-default-features library builds for
#   thumbv7em-none-eabihf and wasm32-unknown-unknown.
# Installs the toolchain (minimal profile) and the two targets when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
msrv=$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
toolchain=$msrv
[[ $toolchain =~ ^[0-9]+\.[0-9]+$ ]] && toolchain=$toolchain.0
targets=(thumbv7em-none-eabihf wasm32-unknown-unknown)

if ! rustup toolchain list | grep -q "^$toolchain-"; then
    rustup toolchain install "$toolchain" --profile minimal
fi
installed=$(rustup target list --installed --toolchain "$toolchain")
for target in "${targets[@]}"; do
    grep -qx "$target" <<<"$installed" || rustup target add --toolchain "$toolchain" "$target"
done

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
cargo package --quiet --no-verify --allow-dirty -p dialnexa-verify
rm -rf target/msrv
mkdir -p target/msrv
tar -xzf "target/package/dialnexa-verify-$version.crate" -C target/msrv
cd "target/msrv/dialnexa-verify-$version"
# Its own workspace: the repository's Cargo.toml above it must not claim it.
printf '\n[workspace]\n' >>Cargo.toml
export CARGO_TARGET_DIR="$root/target/msrv/target"
export CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback

if [ "${1:-}" = "--update" ] || [ ! -f "$root/tools/msrv.lock" ]; then
    rm -f Cargo.lock
    cargo "+$toolchain" generate-lockfile
    cp Cargo.lock "$root/tools/msrv.lock"
    echo "msrv: resolved tools/msrv.lock for Rust $msrv"
else
    cp "$root/tools/msrv.lock" Cargo.lock
fi

cargo "+$toolchain" test --locked --all-features
for target in "${targets[@]}"; do
    cargo "+$toolchain" build --locked --lib --no-default-features --target "$target"
    cargo "+$toolchain" build --locked --lib --no-default-features --features zeroize --target "$target"
done
echo "msrv: dialnexa-verify $version tested with Rust $toolchain and built for ${targets[*]}"
