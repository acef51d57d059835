// Deno: a Wasm source-phase import gives the compiled WebAssembly.Module through the module
// graph, so no --allow-read is needed; it is instantiated synchronously.
import source module from './dialnexa_verify_bg.wasm';
import * as glue from './dialnexa_verify.js';

export const wasm = { ...glue, memory: glue.initSync({ module }).memory };
