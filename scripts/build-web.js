// Bundles the page with esbuild: web/src/main.js (with uPlot and its CSS) and
// the training worker into web/build/ (ignored by git, served at /build/).
// The engine wrapper stays a separate module at /bindings/convolab.js so the
// Emscripten glue still finds its .wasm next to itself.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'web/src/main.js'), join(root, 'web/src/train-worker.js')],
  outdir: join(root, 'web/build'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  external: ['/bindings/convolab.js'],
  logLevel: 'warning',
});
console.log('convolab build: page bundled into web/build/');
