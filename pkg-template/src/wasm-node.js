// Node and Bun, as an ES module (dist/node.mjs): reads the .wasm beside the entry file and
// compiles it synchronously. node:fs comes from process.getBuiltinModule (Node 20.16+ and 22.3+,
// recent Bun) or Bun's import.meta.require, not from an import: a cold `import 'node:fs'` builds
// its ES module facade, about 2 ms of a cold start (BENCHMARKS.md).
export function loadWasm() {
  const builtin = globalThis.process?.getBuiltinModule ?? import.meta.require;
  if (typeof builtin !== 'function') {
    throw new Error('dialnexa-verify: this runtime has neither process.getBuiltinModule nor import.meta.require: use Node 20.19+, 22.12+ or Bun.');
  }
  const { readFileSync } = builtin('node:fs');
  return new WebAssembly.Module(readFileSync(new URL('./dialnexa_verify.wasm', import.meta.url)));
}
