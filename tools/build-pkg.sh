#!/usr/bin/env bash
# Builds the npm package into pkg/: the WebAssembly engine (pkg-template/wasm, optimised by
# wasm-opt from the npm package binaryen: Debian's wasm-opt 108 mis-handles current Rust output),
# then one bundled entry file per runtime (tools/bundle-pkg.mjs), the types and the README.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

out=pkg
rm -rf "$out"
mkdir -p "$out/dist"

# The module's flags are .cargo/config.toml's (SIMD, a 128 KiB stack): flags from the environment
# would replace them, not add to them.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
# Panic locations name source files: a dependency's path would carry this machine's cargo home
# into the module. Remapped (--config adds to the target's rustflags), the module is the same
# bytes wherever it is built. The path goes in as a TOML string: absolute, quotes escaped.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
[[ $cargo_home = /* ]] || cargo_home=$PWD/$cargo_home
remap="--remap-path-prefix=$cargo_home/registry/src=/cargo/registry/src"
remap=${remap//\\/\\\\}
remap=${remap//\"/\\\"}
cargo build --release -p dialnexa-verify-wasm --target wasm32-unknown-unknown \
    --config "target.wasm32-unknown-unknown.rustflags=[\"$remap\"]"
wasm-opt -O3 --strip-debug --strip-producers --strip-target-features \
    target/wasm32-unknown-unknown/release/dialnexa_verify_wasm.wasm -o "$out/dist/dialnexa_verify.wasm"

node tools/bundle-pkg.mjs "$out"
cp pkg-template/package.json pkg-template/README.md pkg-template/index.d.ts LICENSE-MIT LICENSE-APACHE "$out/"
cp pkg-template/index.d.ts "$out/index.d.cts"
mkdir -p "$out/integrations"
for name in node fastify hono lambda; do
    cp "pkg-template/integrations/$name.d.ts" "$out/integrations/$name.d.ts"
    if [ -f "pkg-template/integrations/$name.d.cts" ]; then
        cp "pkg-template/integrations/$name.d.cts" "$out/integrations/$name.d.cts"
    else
        cp "pkg-template/integrations/$name.d.ts" "$out/integrations/$name.d.cts"
    fi
done

raw=$(stat -c %s "$out/dist/dialnexa_verify.wasm")
gz=$(gzip -9 -c "$out/dist/dialnexa_verify.wasm" | wc -c)
echo "pkg/: dialnexa_verify.wasm $raw bytes raw, $gz bytes gzipped"
