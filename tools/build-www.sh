#!/usr/bin/env bash
# Builds www-example/dist/: the page's script bundled with the package (browser condition) and
# the package's .wasm beside it. Run after tools/build-pkg.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$PATH"
rm -rf www-example/dist
mkdir -p www-example/dist
esbuild www-example/app.js --bundle --format=esm --platform=browser --target=es2022 \
    --alias:dialnexa-verify=./pkg/dist/browser.js --log-level=warning --outfile=www-example/dist/app.js
cp pkg/dist/dialnexa_verify.wasm www-example/dist/
echo "www-example/dist: $(stat -c %s www-example/dist/app.js) B of JavaScript, $(stat -c %s www-example/dist/dialnexa_verify.wasm) B of wasm"
