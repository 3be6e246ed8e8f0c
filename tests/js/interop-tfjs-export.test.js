// model.exportTfjs() against tfjs-layers 4.22 itself: what it loads from the
// exported files (tf.loadLayersModel over tf.io.fromMemory) predicts what
// Convolab predicts, for every page preset and random stacks over every
// layer type; and the export reads back (cl.importTfjs) to the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadConvolab } from '../../bindings/convolab.js';
import { PRESETS } from '../../web/src/presets.js';
import { taskOf } from '../../web/src/tasks.js';
import { TFJS_LAYERS } from '../../bindings/tfjs-layer-table.js';
import { InteropError } from '../../bindings/convolab.js';
import { assertAgrees, randomStack, randomizeWeights, rng, stackFeatures } from '../support/interop.js';

await tf.setBackend('cpu');
const cl = await loadConvolab();

async function loadInTfjs({ modelJSON, weightData }) {
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJSON.modelTopology,
      weightSpecs: modelJSON.weightsManifest[0].weights,
      weightData,
      trainingConfig: modelJSON.trainingConfig,
    }),
  );
}

async function checkAgainstTfjs(model, n, seed, what) {
  const x = rng(seed).floats(n * model.inputShape.reduce((a, b) => a * b, 1), 0, 1);
  const ours = model.predict(x, n);
  const files = model.exportTfjs();
  const json = JSON.parse(JSON.stringify(files.modelJSON)); // what a model.json on disk holds
  const loaded = await loadInTfjs({ modelJSON: json, weightData: files.weightData });
  const theirs = tf.tidy(() => loaded.predict(tf.tensor(x, [n, ...model.inputShape])).dataSync());
  assertAgrees(theirs, ours, `${what}: tfjs-layers vs Convolab`);
  loaded.dispose();
  // and back: the import rebuilds the same predictions
  const back = cl.importTfjs(json, files.weightData);
  assertAgrees(back.predict(x, n), ours, `${what}: re-imported vs Convolab`);
  back.dispose();
  return json;
}

test('every page preset exports to tfjs-layers with the same predictions', async () => {
  for (const [key, preset] of Object.entries(PRESETS)) {
    const model = cl.sequential({ inputShape: [28, 28, 1], layers: preset.layers });
    randomizeWeights(model, rng(7));
    model.compile({
      optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 },
      loss: taskOf(preset.task).loss, // the denoiser's is meanSquaredError
    });
    const json = await checkAgainstTfjs(model, 3, 11, `preset ${key}`);
    assert.equal(json.format, 'layers-model');
    assert.equal(json.convertedBy, null);
    assert.deepEqual(json.modelTopology.config.layers[0].config.batch_input_shape, [null, 28, 28, 1]);
    assert.equal(json.trainingConfig.optimizer_config.class_name, 'Momentum');
    model.dispose();
  }
});

const STACKS = 60;

// The one option tfjs cannot express: explicit padding on max pooling (ignored cells, not zeros).
const maxPoolPadding = (spec) =>
  spec.layers.findIndex((l) => l.type === 'maxPooling2d' && typeof l.padding !== 'string');

test('random stacks over every layer type export with the same predictions', async () => {
  const seen = new Set();
  const features = new Set();
  let refused = 0;
  for (let seed = 1; seed <= STACKS; seed++) {
    const model = randomStack(cl, seed);
    const spec = model.toJSON();
    const what = `random stack ${seed} ${JSON.stringify(spec)}`;
    const bad = maxPoolPadding(spec);
    if (bad >= 0) {
      assert.throws(
        () => model.exportTfjs(),
        (err) => {
          assert.ok(err instanceof InteropError, `${what}: ${err.message}`);
          assert.equal(err.code, 'unsupported-option');
          assert.equal(err.layerIndex, bad);
          assert.equal(err.option, 'padding');
          return true;
        },
      );
      refused++;
    } else {
      spec.layers.forEach((l) => seen.add(l.type));
      stackFeatures(model).forEach((f) => features.add(f));
      await checkAgainstTfjs(model, 2, seed, what);
    }
    model.dispose();
  }
  console.log(
    `tfjs-layers: ${STACKS - refused} random stacks over ${seen.size} layer types agree with predict and import back; ${refused} refused (max pooling with explicit padding)`,
  );
  assert.ok(refused > 0, 'the refusal is exercised');
  assert.deepEqual(
    [...seen].sort(),
    Object.keys(TFJS_LAYERS).sort(),
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
    'batchNormalization on rank 3',
    'conv2dTranspose valid',
    'conv2dTranspose same',
    'depthwiseConv2d depthMultiplier > 1',
  ])
    assert.ok(features.has(f), `the random stacks cover ${f} (${[...features].sort().join(', ')})`);
});

test('rank changes, explicit padding, leakyRelu and trained BatchNormalization statistics survive', async () => {
  // dense → reshape → conv (a vector is no image, in tfjs as here), a net ending on a 1x1xK map, a padded conv (ZeroPadding2D)
  const model = cl.sequential({
    inputShape: [6, 6, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: [1, 2], activation: 'leakyRelu', alpha: 0.2 },
      { type: 'batchNormalization', momentum: 0.5 },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'tanh' },
      { type: 'reshape', targetShape: [1, 1, 4] },
      { type: 'conv2d', filters: 5, kernelSize: 1 },
      { type: 'globalAveragePooling2d' },
      { type: 'dense', units: 3 },
      { type: 'reshape', targetShape: [1, 1, -1] },
      { type: 'conv2d', filters: 3, kernelSize: 1, activation: 'softmax' },
    ],
  });
  model.compile({
    optimizer: { type: 'adam', learningRate: 0.01, l2: 0.001 },
    loss: 'categoricalCrossentropy',
  });
  const r = rng(3);
  const x = r.floats(16 * 72, 0, 1);
  await model.fit(
    { data: x, shape: [16, 6, 6, 2] },
    Int32Array.from({ length: 16 }, (_, i) => i % 3),
    { epochs: 2, batchSize: 8 },
  );
  const json = await checkAgainstTfjs(model, 4, 5, 'mixed ranks');
  const classes = json.modelTopology.config.layers.map((l) => l.class_name);
  assert.deepEqual(classes, [
    'ZeroPadding2D',
    'Conv2D',
    'LeakyReLU',
    'BatchNormalization',
    'Flatten',
    'Dense',
    'Reshape',
    'Conv2D',
    'GlobalAveragePooling2D',
    'Dense',
    'Reshape',
    'Conv2D',
  ]);
  assert.deepEqual(json.modelTopology.config.layers[1].config.kernel_regularizer, {
    class_name: 'L1L2',
    config: { l1: 0, l2: 0.001 },
  });
  const bn = json.weightsManifest[0].weights
    .filter((w) => w.name.startsWith('batchNormalization_2/'))
    .map((w) => w.name);
  assert.deepEqual(
    bn,
    ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => `batchNormalization_2/${n}`),
  );
  // the moving statistics moved during training and are what tfjs got
  const [, , mean] = model.layers[1].getWeights();
  assert.ok(mean.data.some((v) => v !== 0));
  const back = cl.importTfjs(json, model.exportTfjs().weightData);
  assert.equal(back.compileConfig.optimizer.l2, 0.001);
  assert.equal(back.compileConfig.optimizer.type, 'adam');
  // each tfjs layer comes back as the Convolab layer of its class: the conv's padding as a zeroPadding2d
  assert.deepEqual(
    back.toJSON().layers.map((l) => l.type),
    [
      'zeroPadding2d',
      'conv2d',
      'leakyReLU',
      'batchNormalization',
      'flatten',
      'dense',
      'reshape',
      'conv2d',
      'globalAveragePooling2d',
      'dense',
      'reshape',
      'conv2d',
    ],
  );
  assert.deepEqual(back.toJSON().layers[0].padding, [1, 2]);
  assert.equal(back.toJSON().layers[1].padding, 'valid');
  // the -1 is written out: tfjs cannot build a layer after an unknown size
  assert.deepEqual(json.modelTopology.config.layers[10].config.target_shape, [1, 1, 3]);
  back.dispose();
  model.dispose();
});

test('a model compiled with sparseCategoricalCrossentropy exports that loss: tfjs then trains it on class indices', async () => {
  const model = cl.sequential(
    {
      inputShape: [4, 4, 1],
      layers: [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }],
    },
    { seed: 4 },
  );
  model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
  assert.equal(model.compileConfig.loss, 'sparseCategoricalCrossentropy');
  const { modelJSON, weightData } = model.exportTfjs();
  assert.equal(modelJSON.trainingConfig.loss, 'sparseCategoricalCrossentropy');
  const loaded = await loadInTfjs({ modelJSON, weightData });
  const x = tf.tensor(rng(5).floats(4 * 16, 0, 1), [4, 4, 4, 1]);
  const y = tf.tensor([0, 2, 1, 2], [4, 1]);
  const h = await loaded.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
  assert.ok(Number.isFinite(h.history.loss[0]), `tfjs loss ${h.history.loss[0]}`);
  assert.equal(cl.importTfjs(modelJSON, weightData).compileConfig.loss, 'sparseCategoricalCrossentropy');
  tf.dispose([x, y]);
  loaded.dispose();
  model.dispose();
});

test('fromLogits travels as metadata beside the trainingConfig (tfjs reads a loss by name only) and imports back', async () => {
  const spec = {
    inputShape: [4, 4, 1],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }],
  };
  for (const fromLogits of [true, undefined]) {
    const model = cl.sequential(spec, { seed: 2 });
    model.compile({
      optimizer: 'adam',
      loss: 'categoricalCrossentropy',
      ...(fromLogits === undefined ? {} : { fromLogits }),
    });
    const { modelJSON, weightData } = model.exportTfjs();
    const json = JSON.parse(JSON.stringify(modelJSON));
    assert.equal(json.trainingConfig.loss, 'categoricalCrossentropy');
    // left out, it follows the linear last layer: logits
    assert.deepEqual(json.userDefinedMetadata, { convolab: { fromLogits: fromLogits ?? true } });
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData,
        trainingConfig: json.trainingConfig,
        userDefinedMetadata: json.userDefinedMetadata,
      }),
    );
    assert.deepEqual(loaded.getUserDefinedMetadata(), json.userDefinedMetadata);
    loaded.dispose();
    const back = cl.importTfjs(json, weightData);
    assert.equal(back.compileConfig.loss, 'categoricalCrossentropy');
    assert.equal(back.compileConfig.fromLogits, fromLogits ?? true);
    back.dispose();
    model.dispose();
  }
});
