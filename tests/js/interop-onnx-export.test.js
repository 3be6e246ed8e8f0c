// model.exportOnnx() against ONNX Runtime (onnxruntime-web's wasm backend in
// Node): the exported graph computes what Convolab predicts, for every page
// preset and random stacks over every layer type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-web';
import { loadConvolab } from '../../bindings/convolab.js';
import { PRESETS } from '../../web/src/presets.js';
import { ONNX_LAYERS } from '../../bindings/onnx-layer-table.js';
import { assertAgrees, randomStack, randomizeWeights, rng, stackFeatures } from '../support/interop.js';

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
  assert.deepEqual(output.dims, [n, ...model.outputShape], `${what}: output shape`);
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

const STACKS = 80;

test('random stacks over every layer type run in ONNX Runtime with the same predictions', async () => {
  const seen = new Set();
  const features = new Set();
  for (let seed = 1; seed <= STACKS; seed++) {
    const model = randomStack(cl, seed);
    model.toJSON().layers.forEach((l) => seen.add(l.type));
    stackFeatures(model).forEach((f) => features.add(f));
    await checkAgainstOnnxRuntime(model, 2, seed, `random stack ${seed} ${JSON.stringify(model.toJSON())}`);
    model.dispose();
  }
  console.log(`ONNX Runtime: ${STACKS} random stacks over ${seen.size} layer types agree with predict`);
  assert.deepEqual(
    [...seen].sort(),
    Object.keys(ONNX_LAYERS).sort(),
    'the random stacks cover every row of the table',
  );
  for (const f of [
    'output rank 1',
    'output rank 2',
    'output rank 3',
    'input rank 1',
    'input rank 2',
    'upSampling2d nearest',
    'upSampling2d bilinear',
    'dense on rank 2',
    'dense on rank 3',
    'reshape to rank 2',
    'reshape to rank 3',
    'conv2d explicit padding',
    'zeroPadding2d uneven sides',
    'cropping2d uneven sides',
    'maxPooling2d explicit padding',
    'batchNormalization on rank 1',
    'batchNormalization on rank 2',
    'batchNormalization on rank 3',
    'conv2dTranspose valid',
    'conv2dTranspose same',
    'conv2dTranspose kernel < stride',
    'depthwiseConv2d depthMultiplier > 1',
  ])
    assert.ok(features.has(f), `the random stacks cover ${f} (${[...features].sort().join(', ')})`);
});

test('rank changes, explicit padding and BatchNormalization first run in ONNX Runtime', async () => {
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
      { type: 'reshape', targetShape: [1, 1, 4] }, // a vector is no image: conv2d needs the reshape, as in tfjs
      { type: 'conv2d', filters: 5, kernelSize: 1, activation: 'sigmoid' },
      { type: 'globalAveragePooling2d' },
      { type: 'dense', units: 3 },
      { type: 'reshape', targetShape: [1, 1, 3] },
      { type: 'conv2d', filters: 3, kernelSize: 1, activation: 'softmax' },
    ],
  });
  randomizeWeights(model, rng(21));
  await checkAgainstOnnxRuntime(model, 4, 5, 'mixed ranks');
  model.dispose();
});

// ONNX Runtime's PadFusion folds a zero Pad into the MaxPool after it, whose pads are ignored:
// on negative inputs the padding's zeros would drop out of the maximum. The export keeps them.
test('zeroPadding2d before maxPooling2d keeps its zeros in ONNX Runtime', async () => {
  const model = cl.sequential({
    inputShape: [4, 4, 1],
    layers: [
      { type: 'conv2d', filters: 1, kernelSize: 1, useBias: false }, // the tensor is NCHW from here
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 0],
          [0, 1],
        ],
      },
      { type: 'maxPooling2d', poolSize: 2, strides: 1 },
    ],
  });
  model.layers[0].setWeights([Float32Array.of(1)]);
  const x = Float32Array.from({ length: 16 }, (_, i) => -1 - i);
  const bytes = await model.exportOnnx();
  const session = await ort.InferenceSession.create(bytes);
  const { output } = await session.run({ input: new ort.Tensor('float32', x, [1, 4, 4, 1]) });
  const ours = model.predict(x, 1);
  assert.equal(ours[0], 0, 'the top row of windows reaches the zero padding');
  assertAgrees(output.data, ours, 'padded max pooling');
  await session.release();
  model.dispose();
});

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
