// Cloudflare Workers / workerd (and wrangler): the .wasm is imported as a compiled
// WebAssembly.Module; Workers forbid compiling wasm from bytes at run time.
import wasmModule from './dialnexa_verify.wasm';

export { wasmModule };
