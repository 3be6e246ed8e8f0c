// model.exportOnnx() against ONNX Runtime (onnxruntime-web's wasm backend in
// Node): the exported graph computes what Convolab predicts, for every page
// preset and random stacks over every layer type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { loadConvolab } from '../../bindings/convolab.js';
import { PRESETS } from '../../web/src/presets.js';
import { ONNX_LAYERS } from '../../bindings/onnx-layer-table.js';
import { assertAgrees, randomStack, randomizeWeights, rng } from '../support/interop.js';

ort.env.wasm.numThreads = 1;
const cl = await loadConvolab();

async function checkAgainstOnnxRuntime(model, n, seed, what) {
  const x = rng(seed).floats(n * model.inputShape.reduce((a, b) => a * b, 1), 0, 1);
  const ours = model.predict(x, n);
  const bytes = await model.exportOnnx();
  assert.ok(bytes instanceof Uint8Array);
  const session = await ort.InferenceSession.create(bytes);
  assert.deepEqual(session.inputNames, ['input']);
  assert.deepEqual(session.outputNames, ['output']);
  const { output } = await session.run({ input: new ort.Tensor('float32', x, [n, ...model.inputShape]) });
  assert.deepEqual(output.dims, [n, model.numClasses], `${what}: output shape`);
  assertAgrees(output.data, ours, `${what}: ONNX Runtime vs Convolab`);
  await session.release();
}

test('every page preset runs in ONNX Runtime with the same predictions', async () => {
  for (const [key, preset] of Object.entries(PRESETS)) {
    const model = cl.sequential({ inputShape: [28, 28, 1], layers: preset.layers });
    randomizeWeights(model, rng(9));
    await checkAgainstOnnxRuntime(model, 3, 13, `preset ${key}`);
    model.dispose();
  }
});

test(
  'random stacks over every layer type run in ONNX Runtime with the same predictions',
  { todo: 'interop rows for the tfjs ranks and the new layers (Reshape, Dense on a map) are being added' },
  async () => {
    const seen = new Set();
    for (let seed = 1; seed <= 40; seed++) {
      const model = randomStack(cl, seed);
      model.toJSON().layers.forEach((l) => seen.add(l.type));
      await checkAgainstOnnxRuntime(model, 2, seed, `random stack ${seed} ${JSON.stringify(model.toJSON())}`);
      model.dispose();
    }
    assert.deepEqual(
      [...seen].sort(),
      Object.keys(ONNX_LAYERS).sort(),
      'the random stacks cover every row of the table',
    );
  },
);

test(
  'rank changes, explicit padding and BatchNormalization first run in ONNX Runtime',
  { todo: 'interop rows for the tfjs ranks and the new layers (Reshape, Dense on a map) are being added' },
  async () => {
    const model = cl.sequential({
      inputShape: [7, 5, 2],
      layers: [
        { type: 'batchNormalization' },
        {
          type: 'conv2d',
          filters: 3,
          kernelSize: [3, 3],
          padding: [1, 2],
          strides: [2, 1],
          activation: 'softmax',
        },
        { type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same' },
        { type: 'flatten' },
        { type: 'dense', units: 4, activation: 'tanh', useBias: false },
        { type: 'conv2d', filters: 5, kernelSize: 1, activation: 'sigmoid' },
        { type: 'globalAveragePooling2d' },
        { type: 'dense', units: 3 },
        { type: 'conv2d', filters: 3, kernelSize: 1, activation: 'softmax' },
      ],
    });
    randomizeWeights(model, rng(21));
    await checkAgainstOnnxRuntime(model, 4, 5, 'mixed ranks');
    model.dispose();
  },
);

// A page whose Content-Security-Policy has no 'unsafe-eval' refuses new
// Function() and eval(); Node's flag refuses them the same way.
test('exportOnnx compiles no code at run time (works where eval is refused)', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    import { loadConvolab } from ${JSON.stringify(new URL('../../bindings/convolab.js', import.meta.url).href)};
    const cl = await loadConvolab();
    const model = cl.sequential({ inputShape: [6, 6, 1], layers: [
      { type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 3 }] });
    let refused = false;
    try { new Function('return 1'); } catch { refused = true; }
    const bytes = await model.exportOnnx();
    console.log(JSON.stringify({ refused, size: bytes.length }));`;
  const out = execFileSync(
    process.execPath,
    ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  const { refused, size } = JSON.parse(out.trim().split('\n').pop());
  assert.equal(refused, true, 'the flag refuses new Function()');
  assert.ok(size > 100, `an ONNX model of ${size} bytes`);
});
