// Browsers and bundlers (Vite, webpack, esbuild, Rollup): fetches and compiles the .wasm that sits
// next to the glue once, at import (top-level await). Everything is synchronous afterwards.
import init, * as glue from './dialnexa_verify.js';

const exports = await init();
export const wasm = { ...glue, memory: exports.memory };
