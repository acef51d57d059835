// Node and Bun: one instance of the API per process, whether it is loaded by `import`
// (dist/node.mjs) or by `require` (dist/node.cjs).
//
// The two entry files each carry the API, so that neither format pays for the other's loader: a
// CommonJS program that requires an ES module starts Node's ES module loader first (Node 22: about
// 1.5 ms of its cold start, BENCHMARKS.md). Two copies must still act as one: a WebhookVerifier
// made through one must be accepted by the other (its brand check is a private field, which only
// its own class can read), `instanceof ApiKeyError` must hold whichever entry threw, and the
// process should hold one WebAssembly instance, not two. So whichever entry runs first compiles
// the module, freezes its API and publishes it under a registry symbol of this exact build (the
// version and a hash of the sources and module); the other finds it there and exports that same
// object, without compiling anything. Other versions and other builds get other symbols and stay
// apart, as npm installs them.
//
// The registry is a property of the global object, or, where the global is not extensible (frozen
// or hardened), of `process`. Where neither can take it, each entry keeps its own instance, and a
// verifier passed from one to the other is refused with a message that says so. An API that
// another realm published on a shared `process` is not taken.
//
// The symbol is not a secret and guards nothing: code that runs in the same process can already
// replace any module or global it likes. The published object is frozen and cannot be replaced
// (the property is neither writable nor configurable), and a value under this build's symbol that
// was not published this way (an inherited one, a writable one, another shape) is refused.
const KEY = Symbol.for(`dialnexa-verify@${DIALNEXA_VERIFY_BUILD}`);

/**
 * The process's API: the one already published under this build's symbol, or `core` (the API
 * with its `install`) installed with `loadWasm()`'s module, frozen and published.
 */
export function oneInstance(core, loadWasm) {
  const holder = registryHolder();
  const published = holder === undefined ? undefined : publishedApi(holder, Object.keys(core).length - 1);
  if (published !== undefined) return published;
  const { install, ...api } = core;
  install(loadWasm());
  Object.freeze(api);
  if (holder !== undefined) Reflect.defineProperty(holder, KEY, { value: api });
  return api;
}

// The global object; `process` only where the global is not extensible (it never becomes
// extensible again, so every entry of this realm agrees). `process` can be shared with other
// realms (a vm context given the host's), so an API published there counts only if it is this
// realm's (publishedApi).
function registryHolder() {
  const usable = (holder) => Object.isExtensible(holder) || Object.hasOwn(holder, KEY);
  if (usable(globalThis)) return globalThis;
  const { process } = globalThis;
  return process !== null && typeof process === 'object' && usable(process) ? process : undefined;
}

// Only the holder's own property, frozen and locked as oneInstance leaves it, with as many names
// as this copy's API, counts (not one inherited from a prototype).
function publishedApi(holder, names) {
  const slot = Object.getOwnPropertyDescriptor(holder, KEY);
  if (slot === undefined) return undefined;
  const api = slot.value;
  if (slot.writable || slot.configurable || api === null || typeof api !== 'object' || !Object.isFrozen(api) || Object.keys(api).length !== names) {
    throw new Error(`dialnexa-verify: the property Symbol.for('dialnexa-verify@${DIALNEXA_VERIFY_BUILD}') was not set by this package; remove whatever sets it.`);
  }
  // Another realm's API (its classes fail this realm's instanceof): not shared.
  return api.WebhookVerifier instanceof Function ? api : undefined;
}
