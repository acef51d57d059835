//! The wasm exports under Node (`wasm-pack test --node`). The tests live in `wasm_shared/`.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

mod wasm_shared;
