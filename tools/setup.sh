#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: each step is skipped when what it
# installs is already there. Usage: tools/setup.sh rust|build_tools|browsers|js|node_versions|demo|examples|redis|fuzz|mutants|deny ...
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf 'setup: %s\n' "$*"; }

# The one Rust target building the package needs.
setup_wasm_target() {
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

setup_rust() {
    local installed
    installed=$(rustup target list --installed)
    for target in wasm32-unknown-unknown thumbv7em-none-eabihf; do
        grep -qx "$target" <<<"$installed" || rustup target add "$target"
    done
    installed=$(rustup component list --installed)
    for component in clippy rustfmt; do
        grep -q "^$component" <<<"$installed" || rustup component add "$component"
    done
}

# Debian's Chromium and Firefox ESR, driven by playwright-core and by WebDriver BiDi (never a
# browser download of a test tool's own).
setup_browsers() {
    if [ ! -x /usr/bin/chromium ] || ! command -v firefox-esr >/dev/null; then
        say "installing chromium and firefox-esr"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr >/dev/null
    fi
}

# `npm ci` in a folder, skipped while its package-lock.json is the one last installed (with the
# same options: a full install also satisfies a later --omit=dev one).
npm_ci_once() { # folder, what, [npm ci options]
    local stamp=$1/node_modules/.lock-sha256
    local want have
    want="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1) ${3:-full}"
    have=$(cat "$stamp" 2>/dev/null || true)
    if [ "$have" != "$want" ] && [ "$have" != "${want% *} full" ]; then
        say "installing $2 (npm ci ${3:-} in $1/)"
        (cd "$1" && npm ci --no-audit --no-fund --loglevel=error ${3:-})
        echo "$want" > "$stamp"
    fi
}

# What building the npm package needs beyond Rust: esbuild and wasm-opt (npm binaryen), the
# `dependencies` of tools/package.json. Enough for make pkg and make demo.
setup_build_tools() {
    setup_wasm_target
    npm_ci_once tools "the build tools" --omit=dev
}

# Every JavaScript tool, pinned in tools/package-lock.json: the build tools, and tsc, deno, bun,
# workerd, playwright-core, puppeteer-core, vite, webpack, publint, attw for the tests. Each finds
# its binary in a platform package whether or not its install script runs (npm 11 skips
# unapproved ones); `--ignore-scripts` itself breaks bun's launcher.
setup_js() {
    setup_wasm_target
    npm_ci_once tools "the JavaScript tools"
}

# Node 22 and 24 next to the machine's Node 20 (the npm packages node@22 and node@24), for the
# packed-package suite and the cold-start benchmark.
setup_node_versions() {
    npm_ci_once tools/node22 "Node 22"
    npm_ci_once tools/node24 "Node 24"
}

# What `make demo` needs: the package built into pkg/ (linked) and sql.js, for Node versions
# without node:sqlite (examples/demo/package-lock.json).
setup_demo() {
    npm_ci_once examples/demo "the demo's dependencies"
}

# The frameworks the examples are tested with (pinned in examples/package-lock.json) and a link to
# the package built into pkg/ (build it first).
setup_examples() {
    npm_ci_once examples "the examples' frameworks"
}

# Debian's redis-server, for the replay guard's shared-store test (examples/tests/replay-redis.test.mjs).
setup_redis() {
    if ! command -v redis-server >/dev/null; then
        say "installing redis-server"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    fi
}

# Fuzzing needs nightly (sanitizer flags) and cargo-fuzz; cargo-deny checks the dependency tree.
setup_fuzz() {
    rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
    command -v cargo-fuzz >/dev/null || { say "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
}

setup_mutants() {
    command -v cargo-mutants >/dev/null || { say "installing cargo-mutants"; cargo install cargo-mutants --locked; }
}

setup_deny() {
    command -v cargo-deny >/dev/null || { say "installing cargo-deny"; cargo install cargo-deny --locked; }
}

for part in "$@"; do
    "setup_$part"
done
