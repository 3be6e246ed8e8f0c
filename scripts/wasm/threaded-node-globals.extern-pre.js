// Prepended to dist/convolab-core-mt.js (an ES module). Emscripten 3.1.6's
// pthread glue uses CommonJS globals (require, __dirname) when it runs in
// Node, which ES modules do not have: provide them there. Browsers skip this.
var require, __dirname, __filename;
if (
  typeof process == 'object' &&
  typeof process.versions == 'object' &&
  typeof process.versions.node == 'string'
) {
  const { createRequire } = await import('node:module');
  const { fileURLToPath } = await import('node:url');
  require = createRequire(import.meta.url);
  __filename = fileURLToPath(import.meta.url);
  __dirname = __filename.replace(/[\\/][^\\/]*$/, '');
}
