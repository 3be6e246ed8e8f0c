// Bundles the ONNX encoder (bindings/onnx-proto.js with protobufjs/light)
// into one ES module, dist/onnx-encoder.js, which onnx-export.js imports by
// a relative path: so exportOnnx works wherever the package runs (Node,
// bundlers, unbundled pages and workers, where a bare 'protobufjs' import
// could not resolve) and the package has no runtime dependency.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// protobufjs's BSD-3-Clause license asks that its notice travel with its code
const notice = readFileSync(join(root, 'node_modules/protobufjs/LICENSE'), 'utf8').replaceAll('*/', '* /');

await build({
  entryPoints: [join(root, 'bindings/onnx-proto.js')],
  outfile: join(root, 'dist/onnx-encoder.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  target: 'es2020',
  minify: true,
  banner: {
    js: `/* dist/onnx-encoder.js: bindings/onnx-proto.js with protobufjs (protobuf.js) bundled.\n\n${notice}*/`,
  },
  logLevel: 'warning',
});
console.log('convolab build: ONNX encoder bundled into dist/onnx-encoder.js');
