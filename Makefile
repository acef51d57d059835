# The project's interface. README.md opens with `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: demo test test-rust test-wasm test-js pkg bench

# The main job: build the npm package, then run the demo.
demo: pkg
	cargo run --quiet --example demo

# Every test suite the project has.
test: test-rust test-wasm test-js

# Lints, unit/integration/property tests, doctests (README included), and the two builds that
# prove the core is no_std and compiles to WebAssembly.
test-rust:
	tools/setup.sh rust
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --tests --features wasm --target wasm32-unknown-unknown -- -D warnings
	cargo test
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --features wasm
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

# The npm package, in pkg/.
pkg:
	tools/setup.sh wasm js
	tools/build-pkg.sh

# Speed, cold start, memory and size against the field; writes BENCHMARKS.md and bench/chart.svg.
bench: pkg
	tools/setup.sh js
	bench/run.sh
