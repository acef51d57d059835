// Vercel's Edge runtime and Next.js edge routes (`edge-light`): like Workers, no compiling from
// bytes at run time; Next's bundler turns a `?module` import into a compiled WebAssembly.Module.
import wasmModule from './dialnexa_verify.wasm?module';

export { wasmModule };
