#!/usr/bin/env bash
# Runs the wasm-bindgen tests under Node, headless Chrome and headless Firefox, and fails unless
# each run executed every test: wasm-pack exits 0 when a browser run silently skips them all.
set -euo pipefail
cd "$(dirname "$0")/.."
expected=$(grep -c '^#\[wasm_bindgen_test\]' tests/wasm_shared/mod.rs)

run() {
    local label=$1
    shift
    local log
    log=$(mktemp)
    wasm-pack test "$@" --features wasm 2>&1 | grep -v '^\s*Compiling' | tee "$log"
    local passed
    passed=$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' "$log" | tail -n 1)
    rm -f "$log"
    if [ "${passed:-0}" != "$expected" ]; then
        echo "wasm tests in $label: ${passed:-0} passed, expected $expected" >&2
        exit 1
    fi
    echo "wasm tests in $label: $passed of $expected ran and passed"
}

run node --node --test wasm_node
run chrome --headless --chrome --test wasm_browser
run firefox --headless --firefox --test wasm_browser
