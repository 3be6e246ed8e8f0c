// Bundles the page with esbuild: web/src/main.js (with uPlot and its CSS)
// into web/build/ (ignored by git, served at /build/). The package's worker
// helper stays a separate module at /bindings/worker.js: the page runs it as
// shipped, and it starts /bindings/worker-thread.js, which finds
// /bindings/convolab.js and the engine in /dist/ beside it.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'web/src/main.js')],
  outdir: join(root, 'web/build'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  external: ['/bindings/convolab.js', '/bindings/worker.js'],
  logLevel: 'warning',
});
console.log('convolab build: page bundled into web/build/');
