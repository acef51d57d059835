// Deno: a Wasm source-phase import gives the compiled WebAssembly.Module through the module
// graph, so no --allow-read is needed.
import source wasmModule from './dialnexa_verify.wasm';

export { wasmModule };
