// Node and Bun: one instance of the API per process, whether it is loaded by `import`
// (dist/node.mjs) or by `require` (dist/node.cjs).
//
// The two entry files each carry the API, so that neither format pays for the other's loader: a
// CommonJS program that requires an ES module starts Node's ES module loader first (Node 22: about
// 1.5 ms of its cold start, BENCHMARKS.md). Two copies must still act as one: a WebhookVerifier
// made through one must be accepted by the other (its brand check is a private field, which only
// its own class can read), `instanceof ApiKeyError` must hold whichever entry threw, and the
// process should hold one WebAssembly instance, not two. So whichever entry runs first compiles
// the module, freezes its API and publishes it under a registry symbol of this exact version; the
// other finds it there and exports that same object, without compiling anything. Different
// versions of the package get different symbols and stay apart, as npm installs them.
//
// The symbol is not a secret and guards nothing: code that runs in the same process can already
// replace any module or global it likes. The published object is frozen and cannot be replaced
// (the property is neither writable nor configurable).
const KEY = Symbol.for(`dialnexa-verify@${DIALNEXA_VERIFY_VERSION}`);

/**
 * The process's API: the one already published under this version's symbol, or `core` (the API
 * with its `install`) installed with `loadWasm()`'s module, frozen and published.
 */
export function oneInstance(core, loadWasm) {
  const published = globalThis[KEY];
  if (published !== undefined) return published;
  const { install, ...api } = core;
  install(loadWasm());
  Object.freeze(api);
  // A frozen or sealed global refuses the property: the API then works unshared.
  Reflect.defineProperty(globalThis, KEY, { value: api });
  return api;
}
