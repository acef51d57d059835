# The project's interface. README.md opens with `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: demo www test test-rust test-wasm test-js test-www test-examples pkg bench

# The main job: build the npm package, then run the end-to-end demo on 127.0.0.1.
demo: pkg
	tools/setup.sh examples
	node examples/demo/demo.mjs

# The webhook and API-key debugger page, built and served on 127.0.0.1 (PORT=8080 by default).
www: pkg
	tools/build-www.sh
	node tools/serve.mjs www-example $(PORT)

# Every test suite the project has.
test: test-rust test-wasm test-js test-www test-examples

# Lints, unit/integration/property tests, doctests (README included), the Rust demo, and the two
# builds that prove the core is no_std and compiles to WebAssembly.
test-rust:
	tools/setup.sh rust
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --tests --features wasm --target wasm32-unknown-unknown -- -D warnings
	cargo test
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --features wasm
	cargo run --quiet --example rust_demo
	cargo build --no-default-features --lib --target thumbv7em-none-eabihf
	cargo build --lib --target wasm32-unknown-unknown

# wasm-bindgen tests of the exports in Node, headless Chrome and headless Firefox (counts checked).
test-wasm:
	tools/setup.sh wasm browsers
	tools/wasm-tests.sh

# The packed npm package in Node, Deno, Bun, workerd and headless Chromium, and its types.
test-js: pkg
	tools/setup.sh browsers
	tools/js-tests.sh

# The debugger page in headless Chromium (and the screenshot README.md shows).
test-www: pkg
	tools/setup.sh browsers
	tools/build-www.sh
	node --test --test-reporter=spec tests/www/page.test.mjs

# Every framework example on 127.0.0.1, plus the demo's scenario.
test-examples: pkg
	tools/setup.sh examples
	cd examples && node --test --test-reporter=spec test.mjs
	node examples/demo/demo.mjs

# The npm package, in pkg/.
pkg:
	tools/setup.sh wasm js
	tools/build-pkg.sh

# Speed, cold start, memory and size against the field; writes BENCHMARKS.md and bench/chart.svg.
bench: pkg
	tools/setup.sh js
	bench/run.sh
