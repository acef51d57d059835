#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: each step is skipped when its tool is
# already there. Usage: tools/setup.sh rust
set -euo pipefail
cd "$(dirname "$0")/.."

have_target() { rustup target list --installed | grep -qx "$1"; }

setup_rust() {
    for target in wasm32-unknown-unknown thumbv7em-none-eabihf; do
        have_target "$target" || rustup target add "$target"
    done
    rustup component list --installed | grep -q '^clippy' || rustup component add clippy
    rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
}

for part in "$@"; do
    "setup_$part"
done
