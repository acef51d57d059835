// Build-only: gives the CommonJS bundle an `import.meta.url` (esbuild --inject).
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
