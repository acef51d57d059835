# The project's interface. README.md opens with `make demo` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: demo test test-rust setup-rust

demo: setup-rust
	cargo run --quiet --example demo

test: test-rust

setup-rust:
	tools/setup.sh rust

# Lints, unit/integration/property tests, doctests (README included), and the two builds that
# prove the core is no_std and compiles to WebAssembly.
test-rust: setup-rust
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo test
	RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps
	cargo build --no-default-features --lib --target thumbv7em-none-eabihf
	cargo build --lib --target wasm32-unknown-unknown
