// Imported by cold-child.mjs to warm Node's ESM loader before timing.
