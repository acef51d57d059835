// Node, for require (dist/node.cjs, CommonJS: `require` and `__dirname` are the module's own):
// reads the .wasm beside the entry file and compiles it synchronously.
export function loadWasm() {
  const { readFileSync } = require('node:fs');
  const { join } = require('node:path');
  return new WebAssembly.Module(readFileSync(join(__dirname, 'dialnexa_verify.wasm')));
}
