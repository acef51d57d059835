// Node and Bun: reads the .wasm beside the entry file and compiles it synchronously.
import { readFileSync } from 'node:fs';

export const wasmModule = new WebAssembly.Module(readFileSync(new URL('./dialnexa_verify.wasm', import.meta.url)));
