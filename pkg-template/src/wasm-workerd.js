// Cloudflare Workers / workerd: the .wasm is imported as a compiled WebAssembly.Module (Workers
// forbid compiling wasm from bytes at run time) and instantiated synchronously.
import * as glue from './dialnexa_verify.js';
import module from './dialnexa_verify_bg.wasm';

export const wasm = { ...glue, memory: glue.initSync({ module }).memory };
