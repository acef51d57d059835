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
// (the property is neither writable nor configurable), and a value that was not published this way
// (an inherited one, a writable one, another shape) is refused with an error.
const KEY = Symbol.for(`dialnexa-verify@${DIALNEXA_VERIFY_VERSION}`);

/**
 * The process's API: the one already published under this version's symbol, or `core` (the API
 * with its `install`) installed with `loadWasm()`'s module, frozen and published.
 *
 * A global that cannot take the property (frozen or not extensible) cannot publish: then
 * `fallback` (node.mjs: node.cjs through the CommonJS module cache, which is then the one
 * registry) gives the API, and only where it gives nothing does this entry keep its own instance.
 */
export function oneInstance(core, loadWasm, fallback) {
  const published = publishedApi(Object.keys(core).length - 1);
  if (published !== undefined) return published;
  if (!Object.isExtensible(globalThis)) {
    const api = fallback?.();
    if (api !== undefined) return api;
  }
  const { install, ...api } = core;
  install(loadWasm());
  Object.freeze(api);
  Reflect.defineProperty(globalThis, KEY, { value: api });
  return api;
}

// Only a property of the global itself, frozen and locked as oneInstance leaves it, with as many
// names as this copy's API, counts (not one inherited from a prototype).
function publishedApi(names) {
  const slot = Object.getOwnPropertyDescriptor(globalThis, KEY);
  if (slot === undefined) return undefined;
  const api = slot.value;
  if (slot.writable || slot.configurable || api === null || typeof api !== 'object' || !Object.isFrozen(api) || Object.keys(api).length !== names) {
    throw new Error(`dialnexa-verify: globalThis[Symbol.for('dialnexa-verify@${DIALNEXA_VERIFY_VERSION}')] was not set by this package; remove whatever sets it.`);
  }
  return api;
}
