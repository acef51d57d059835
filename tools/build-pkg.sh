#!/usr/bin/env bash
# Builds the npm package into pkg/ from the Rust crate (feature `wasm`) and pkg-template/.
# One .wasm serves every entry; it goes through wasm-opt from the npm package binaryen (Debian's
# wasm-opt 108 breaks wasm-bindgen 0.2.13x output).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

out=pkg
gen=target/pkg-gen
rm -rf "$out" "$gen"
mkdir -p "$out/dist" "$gen"

cargo build --release --lib --target wasm32-unknown-unknown --features wasm
wasm-bindgen --target web --no-typescript --out-dir "$gen" --out-name dialnexa_verify \
    target/wasm32-unknown-unknown/release/dialnexa_verify.wasm
wasm-opt -O3 --strip-debug --strip-producers --strip-target-features "$gen/dialnexa_verify_bg.wasm" -o "$out/dist/dialnexa_verify_bg.wasm"
cp "$gen/dialnexa_verify.js" "$out/dist/"

cp pkg-template/src/api.js pkg-template/src/wasm-*.js pkg-template/src/node.mjs "$out/dist/"
cp pkg-template/package.json pkg-template/README.md pkg-template/index.d.ts LICENSE-MIT LICENSE-APACHE "$out/"
cp pkg-template/index.d.ts "$out/index.d.cts"

# `require`: one CommonJS file with the glue, the API and the Node initialisation (wasm-fs.js,
# through the package's own `#wasm` import resolved with the `node` condition).
esbuild "$out/dist/api.js" --bundle --format=cjs --platform=node --target=node18 \
    --inject:pkg-template/src/cjs-shim.js --define:import.meta.url=importMetaUrl \
    --external:node:fs --log-level=warning --outfile="$out/dist/node.cjs"

raw=$(stat -c %s "$out/dist/dialnexa_verify_bg.wasm")
gz=$(gzip -9 -c "$out/dist/dialnexa_verify_bg.wasm" | wc -c)
echo "pkg/: dialnexa_verify_bg.wasm $raw bytes raw, $gz bytes gzipped"
