# The project's interface. README.md opens with `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080
FUZZ_SECONDS ?= 300

.PHONY: demo www test test-rust test-msrv test-axum test-js test-cli test-www test-examples test-hardening test-mutants mutants pkg bench fuzz

# The main job: build the npm package, then run the end-to-end demo on 127.0.0.1.
demo: pkg
	tools/setup.sh demo
	node examples/demo/demo.mjs

# The webhook and API-key debugger page, built and served on 127.0.0.1 (PORT=8080 by default).
www: pkg
	tools/build-www.sh
	node tools/serve.mjs www-example $(PORT)

# Every test suite the project has.
test: test-rust test-msrv test-axum test-js test-cli test-www test-examples test-hardening test-mutants

# Lints, unit/integration/property tests and doctests of the core (default and all features) and
# of the npm package's WebAssembly engine (natively, the same calls the module answers), the
# generated cause table, the docs, the Rust demo, and the builds that prove the core is no_std
# (for itself and for a no_std crate that depends on it) and the engine compiles to WebAssembly.
test-rust:
	tools/setup.sh rust
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p dialnexa-verify --all-features --all-targets -- -D warnings
	cargo clippy -p dialnexa-verify-wasm --lib --target wasm32-unknown-unknown -- -D warnings
	cargo test --workspace
	cargo test -p dialnexa-verify --all-features
	cargo run --quiet -p dialnexa-verify-wasm --example tables | diff - pkg-template/src/causes.js
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps -p dialnexa-verify --all-features
	cargo run --quiet --example rust_demo
	cargo build -p dialnexa-verify --no-default-features --target thumbv7em-none-eabihf
	cargo build -p dialnexa-verify-wasm --release --target wasm32-unknown-unknown
	tools/no-std-check.sh

# The crate as published, built and tested with its declared minimum Rust (rust-version).
test-msrv:
	tools/msrv.sh

# The axum example (its own crate): a receiver and API gateway over 127.0.0.1.
test-axum:
	tools/axum-example.sh

# The packed npm package in Node 20, 22 and 24, Deno, Bun, workerd, headless Chromium and
# Firefox, and its types.
test-js: pkg
	tools/setup.sh js browsers node_versions examples
	tools/js-tests.sh

# The command line of the packed package (its bin, spawned: sign, verify, send, test-endpoint,
# listen, key) in Node 20, 22 and 24, Deno, Bun and npx.
test-cli: pkg
	tools/setup.sh js node_versions
	tests/cli/run.sh

# The debugger page in headless Chromium (and the screenshot README.md shows).
test-www: pkg
	tools/setup.sh js browsers
	tools/build-www.sh
	node --test --test-reporter=spec tests/www/page.test.mjs tests/www/serve.test.mjs

# Every framework example on 127.0.0.1, plus the demo's scenario.
test-examples: pkg
	tools/setup.sh js examples node_versions redis
	cd examples && node --test --test-reporter=spec tests/node-servers.test.mjs tests/fetch-runtimes.test.mjs tests/replay-redis.test.mjs
	node examples/demo/demo.mjs | tee target/demo.log
	node tools/check-log.mjs target/demo.log whk_Q7k2VbT9xR whk_Z9x1LmP4sW 123456a1b1234b
	node bench/load.mjs target/load-quick.json --quick

# Constant-time evidence (instruction counts under valgrind), a short pass of every fuzz target,
# and the dependency tree's licenses and sources.
test-hardening:
	tools/setup.sh rust fuzz deny
	tests/constant_time.sh
	tools/fuzz.sh 10
	cargo deny check licenses bans sources

# Mutation testing: every mutant of the core (but the diagnosis) and of the engine must make a
# test fail (tools/mutants.sh; the diagnosis's 660 mutants: `make mutants`).
test-mutants:
	tools/setup.sh rust mutants
	tools/mutants.sh core
	tools/mutants.sh engine

mutants:
	tools/setup.sh rust mutants
	tools/mutants.sh all

# Every fuzz target for FUZZ_SECONDS each (default 300); `tools/fuzz.sh --runs N` for a count.
fuzz:
	tools/setup.sh rust fuzz
	tools/fuzz.sh $(FUZZ_SECONDS)

# The npm package, in pkg/.
pkg:
	tools/setup.sh build_tools
	tools/build-pkg.sh

# Speed, cold start, memory and size against the field; writes BENCHMARKS.md and bench/chart.svg.
bench: pkg
	tools/setup.sh js node_versions examples
	bench/run.sh
