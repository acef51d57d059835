// Module resolution hooks (see express4.mjs): 'express' imported from examples/express4/ resolves
// to the 'express4' alias; every other import, and Express 4's own requires, resolve as usual.
let port;

export function initialize(data) {
  port = data.port;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'express' && context.parentURL?.includes('/examples/express4/')) {
    const resolved = await nextResolve('express4', context);
    port.postMessage(resolved.url);
    return resolved;
  }
  return nextResolve(specifier, context);
}
