// Preloaded into bench/load.mjs's servers (with --expose-gc): SIGUSR2 runs a full garbage
// collection, so that the RSS read from /proc afterwards is what the process still holds, not
// garbage the collector has not reached yet.
process.on('SIGUSR2', () => globalThis.gc?.());
