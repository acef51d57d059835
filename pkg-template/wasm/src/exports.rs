//! The module's exports: each moves numbers between JavaScript and the one [`Engine`].
//!
//! This file holds the crate's only unsafe code, both forced by the boundary: `no_mangle` (so
//! that JavaScript finds the functions by name) and the promise that the engine's static cell is
//! `Sync`. The module is built for `wasm32-unknown-unknown` without the `atomics` feature: it has
//! exactly one thread, and no export calls back into JavaScript, so no call can observe another
//! in progress.
#![allow(unsafe_code)]

use core::cell::RefCell;

use crate::{Engine, BAD_CALL, SCRATCH};

struct Global(RefCell<[u8; SCRATCH]>);

// SAFETY: see the module documentation: one thread, no re-entrancy.
unsafe impl Sync for Global {}

/// The scratch buffer: zero pages in the module's memory until a call touches them.
static SCRATCH_BUFFER: Global = Global(RefCell::new([0; SCRATCH]));

/// Runs `f` on the engine, then wipes what the call may have left in the module's memory: the
/// whole scratch buffer after a refused call (whatever the caller wrote, wherever), and the part
/// of the stack the call used (Rust moves leave copies of key states there, which no `Drop`
/// sees). A borrow can only fail after a trap in the middle of a call, and the JavaScript layer
/// never calls an instance again after a trap; answer `BAD_CALL` all the same.
fn with(mut f: impl FnMut(&mut Engine<'_>) -> i32) -> i32 {
    run(&mut f, scrub_stack)
}

/// [`with`] for the calls that go deeper: a diagnosis, preparing a key.
fn with_deep(mut f: impl FnMut(&mut Engine<'_>) -> i32) -> i32 {
    run(&mut f, scrub_stack_deep)
}

// One copy for every export (not generic): the module's size is budgeted.
#[inline(never)]
fn run(f: &mut dyn FnMut(&mut Engine<'_>) -> i32, scrub: fn()) -> i32 {
    let code = match SCRATCH_BUFFER.0.try_borrow_mut() {
        Ok(mut scratch) => {
            let mut engine = Engine::new(&mut scratch);
            let code = f(&mut engine);
            if code == BAD_CALL {
                engine.wipe_all();
            }
            code
        }
        Err(_) => BAD_CALL,
    };
    scrub();
    code
}

/// Overwrites the stack below the caller with zeros: a frame at least as deep as any verification,
/// signature or stream call reaches (measured by tests/js/node.test.mjs, which scans the module's
/// memory right after each kind of call).
#[inline(never)]
fn scrub_stack() {
    let mut area = [0u8; 8 * 1024];
    core::hint::black_box(&mut area);
}

/// The same, as deep as a diagnosis goes.
#[inline(never)]
fn scrub_stack_deep() {
    let mut area = [0u8; 64 * 1024];
    core::hint::black_box(&mut area);
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // Nothing here panics on any input; if it ever did, trap, and JavaScript starts afresh.
    core::arch::wasm32::unreachable()
}

#[unsafe(no_mangle)]
extern "C" fn scratch() -> usize {
    match SCRATCH_BUFFER.0.try_borrow_mut() {
        Ok(mut scratch) => scratch.as_mut_ptr() as usize,
        Err(_) => 0,
    }
}

#[unsafe(no_mangle)]
extern "C" fn scratch_len() -> usize {
    SCRATCH
}

#[unsafe(no_mangle)]
extern "C" fn header_shape(sig_len: usize) -> i32 {
    with(|e| e.header_shape(sig_len))
}

#[unsafe(no_mangle)]
extern "C" fn prepare(secret_len: usize) -> i32 {
    with_deep(|e| e.prepare(secret_len))
}

#[unsafe(no_mangle)]
extern "C" fn verify(keys: usize, body_len: usize, sig_len: usize) -> i32 {
    with(|e| e.verify(keys, body_len, sig_len))
}

#[unsafe(no_mangle)]
extern "C" fn sign(body_len: usize) -> i32 {
    with(|e| e.sign(body_len))
}

#[unsafe(no_mangle)]
extern "C" fn stream_start(keys: usize) -> i32 {
    with(|e| e.stream_start(keys))
}

#[unsafe(no_mangle)]
extern "C" fn stream_update(keys: usize, len: usize) -> i32 {
    with(|e| e.stream_update(keys, len))
}

#[unsafe(no_mangle)]
extern "C" fn stream_verify(keys: usize, sig_len: usize) -> i32 {
    with(|e| e.stream_verify(keys, sig_len))
}

#[unsafe(no_mangle)]
extern "C" fn stream_sign() -> i32 {
    with(|e| e.stream_sign())
}

#[unsafe(no_mangle)]
extern "C" fn sha256_hex(len: usize) -> i32 {
    with(|e| e.sha256_hex(len))
}

#[unsafe(no_mangle)]
extern "C" fn parse_key(len: usize, authorization: u32) -> i32 {
    with(|e| e.parse_key(len, authorization != 0))
}

#[unsafe(no_mangle)]
extern "C" fn redact(len: usize) -> i32 {
    with(|e| e.redact(len))
}

#[unsafe(no_mangle)]
extern "C" fn check_api_key(presented_len: usize, key_id_len: usize, hash_len: usize) -> i32 {
    with(|e| e.check_api_key(presented_len, key_id_len, hash_len))
}

#[unsafe(no_mangle)]
extern "C" fn diagnose(count: usize, body_len: usize, sig_len: usize) -> i32 {
    with_deep(|e| e.diagnose(count, body_len, sig_len))
}
