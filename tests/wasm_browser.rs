//! The wasm exports in headless Chrome and Firefox (`wasm-pack test --headless --chrome/--firefox`).
//! Without `run_in_browser` those runs silently skip every test, so `tools/wasm-tests.sh` also
//! checks how many ran.
#![cfg(all(target_arch = "wasm32", feature = "wasm"))]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_shared;
