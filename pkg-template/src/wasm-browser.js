// Browsers, web workers and bundlers (Vite, webpack, Rollup, esbuild): fetches and compiles the
// .wasm beside the entry file once, at import (top-level await). Bundlers see the `new URL(...,
// import.meta.url)` and emit the .wasm as an asset. Everything is synchronous afterwards.
const url = new URL('./dialnexa_verify.wasm', import.meta.url);

async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that sends the .wasm without `application/wasm`: compile the bytes instead.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

export const wasmModule = await compile();
