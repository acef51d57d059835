// The package's version, written in by tools/bundle-pkg.mjs from pkg-template/package.json (so
// the CLI reads no file at run time).
/* global DIALNEXA_VERIFY_VERSION */
export const VERSION = DIALNEXA_VERIFY_VERSION;
