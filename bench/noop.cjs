// Required first by cold-child.cjs, so that the CommonJS loader is warm before the timed require.
module.exports = {};
