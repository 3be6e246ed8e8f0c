// cl.importTfjs: a model built and trained in tfjs-layers 4.22, saved with
// model.save(tf.io.withSaveHandler(...)), opens in Convolab with the same
// predictions and trains on; a Keras-converter-style model.json imports;
// and bad files are refused with errors that say what and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadConvolab } from '../../bindings/convolab.js';
import { assertAgrees, rng } from '../support/interop.js';

await tf.setBackend('cpu');
const cl = await loadConvolab();

async function saved(tfModel) {
  let artifacts;
  await tfModel.save(
    tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date() } })),
    { includeOptimizer: true },
  );
  const modelJSON = {
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    trainingConfig: artifacts.trainingConfig,
  };
  return { modelJSON: JSON.parse(JSON.stringify(modelJSON)), weightData: artifacts.weightData };
}

test('a model trained in tfjs-layers imports with the same predictions, then trains on in Convolab', async () => {
  const r = rng(5);
  const n = 48;
  const x = r.floats(n * 10 * 10 * 2, 0, 1);
  const labels = Int32Array.from(
    { length: n },
    (_, i) => (x[i * 200] + x[i * 200 + 7] > 1 ? 1 : 0) + (i % 3 === 0 ? 2 : 0),
  );
  const m = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [10, 10, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
      tfl.layers.batchNormalization(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 6,
        kernelSize: [3, 2],
        strides: [1, 2],
        activation: 'tanh',
        useBias: false,
      }),
      tfl.layers.leakyReLU({ alpha: 0.2 }),
      tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tfl.layers.flatten(),
      tfl.layers.dropout({ rate: 0.2 }),
      tfl.layers.dense({ units: 8, activation: 'sigmoid' }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const xt = tf.tensor(x, [n, 10, 10, 2]);
  const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), 4);
  await m.fit(xt, yt, { epochs: 3, batchSize: 16, verbose: 0 });
  const theirs = m.predict(xt).dataSync();
  const files = await saved(m);
  // tfjs writes trainable weights first, then the moving statistics, then Adam's state: the import goes by name
  const names = files.modelJSON.weightsManifest[0].weights.map((w) => w.name);
  assert.ok(
    names.findIndex((w) => /moving_variance$/.test(w)) > names.findIndex((w) => /dense.*\/bias$/.test(w)),
  );
  assert.ok(files.modelJSON.weightsManifest[0].weights.some((w) => w.group === 'optimizer'));

  const model = cl.importTfjs(files.modelJSON, files.weightData);
  assert.deepEqual(model.inputShape, [10, 10, 2]);
  assert.equal(model.compileConfig.optimizer.type, 'adam');
  assert.equal(model.compileConfig.optimizer.learningRate, 0.01);
  assert.equal(model.compileConfig.loss, 'categoricalCrossentropy');
  assert.match(model.importNotes.join(), /optimizer state/);
  assertAgrees(model.predict(x, n), theirs, 'Convolab vs tfjs-layers after import');

  const before = model.evaluate({ data: x, shape: [n, 10, 10, 2] }, labels).loss;
  await model.fit({ data: x, shape: [n, 10, 10, 2] }, labels, { epochs: 5, batchSize: 16, shuffle: false });
  const after = model.evaluate({ data: x, shape: [n, 10, 10, 2] }, labels).loss;
  assert.ok(after < before, `the loss goes down in Convolab: ${before} → ${after}`);
  model.dispose();
  m.dispose();
  tf.dispose([xt, yt]);
});

// Every layer Convolab added for tfjs-layers' common CNNs, as tfjs itself
// saves them: its class names, configs (SeparableConv2D's without
// depth_multiplier: tfjs 4.22 leaves it out), initializer objects Convolab
// lacks (VarianceScaling), weight names and order, a feature-map output.
test('a tfjs-layers model with every newer layer (as tfjs saves it) imports with the same predictions', async () => {
  const m = tfl.sequential({
    layers: [
      tfl.layers.zeroPadding2d({
        inputShape: [7, 6, 2],
        padding: [
          [1, 2],
          [0, 1],
        ],
      }),
      tfl.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, activation: 'relu' }),
      tfl.layers.cropping2D({
        cropping: [
          [1, 0],
          [0, 1],
        ],
      }),
      tfl.layers.separableConv2d({
        filters: 3,
        kernelSize: 2,
        depthMultiplier: 2,
        padding: 'same',
        strides: 2,
      }),
      tfl.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear' }),
      tfl.layers.conv2dTranspose({
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'tanh',
      }),
      tfl.layers.upSampling2d({ size: [1, 2] }),
      tfl.layers.reshape({ targetShape: [16, 6, 12] }),
      tfl.layers.dense({ units: 2, activation: 'sigmoid' }),
    ],
  });
  const r = rng(8);
  m.setWeights(m.getWeights().map((w) => tf.tensor(r.floats(w.size, -0.6, 0.6), w.shape)));
  const x = r.floats(3 * 7 * 6 * 2, -1, 1);
  const theirs = m.predict(tf.tensor(x, [3, 7, 6, 2])).dataSync();
  const files = await saved(m);
  const sep = files.modelJSON.modelTopology.config.layers[3].config;
  assert.equal(sep.depth_multiplier, undefined, 'tfjs 4.22 writes no depth_multiplier for SeparableConv2D');
  const model = cl.importTfjs(files.modelJSON, files.weightData);
  assert.deepEqual(
    model.toJSON().layers.map((l) => l.type),
    [
      'zeroPadding2d',
      'depthwiseConv2d',
      'cropping2d',
      'separableConv2d',
      'upSampling2d',
      'conv2dTranspose',
      'upSampling2d',
      'reshape',
      'dense',
    ],
  );
  assert.equal(model.toJSON().layers[3].depthMultiplier, 2, "read from the depthwise kernel's shape");
  assert.deepEqual(model.outputShape, [16, 6, 2]);
  assert.deepEqual(
    model.layers[3].weightSpecs.map((w) => w.name),
    ['depthwiseKernel', 'pointwiseKernel', 'bias'],
  );
  assertAgrees(model.predict(x, 3), theirs, 'Convolab vs tfjs-layers after import');
  model.dispose();
  m.dispose();
});

// What tensorflowjs_converter writes from a Keras 3 model: Keras class names,
// an InputLayer first with batch_shape, DTypePolicy dtypes, Keras initializer
// objects, snake_case optimizer config, a scope prefix on weight names, two shards.
function kerasStyle() {
  const dtype = {
    module: 'keras',
    class_name: 'DTypePolicy',
    config: { name: 'float32' },
    registered_name: null,
  };
  const init = (c) => ({
    module: 'keras.initializers',
    class_name: c,
    config: { seed: null },
    registered_name: null,
  });
  return {
    format: 'layers-model',
    generatedBy: 'keras v3.3.3',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '3.3.3',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Sequential',
        config: {
          name: 'sequential',
          trainable: true,
          dtype,
          layers: [
            {
              class_name: 'InputLayer',
              config: { batch_shape: [null, 6, 6, 1], dtype: 'float32', sparse: false, name: 'input_layer' },
            },
            {
              class_name: 'Conv2D',
              config: {
                name: 'conv2d',
                trainable: true,
                dtype,
                filters: 2,
                kernel_size: [3, 3],
                strides: [1, 1],
                padding: 'valid',
                data_format: 'channels_last',
                dilation_rate: [1, 1],
                groups: 1,
                activation: 'relu',
                use_bias: true,
                kernel_initializer: init('GlorotUniform'),
                bias_initializer: init('Zeros'),
                kernel_regularizer: null,
                bias_regularizer: null,
                activity_regularizer: null,
                kernel_constraint: null,
                bias_constraint: null,
              },
            },
            {
              class_name: 'MaxPooling2D',
              config: {
                name: 'max_pooling2d',
                trainable: true,
                dtype,
                pool_size: [2, 2],
                padding: 'valid',
                strides: [2, 2],
                data_format: 'channels_last',
              },
            },
            {
              class_name: 'Flatten',
              config: { name: 'flatten', trainable: true, dtype, data_format: 'channels_last' },
            },
            {
              class_name: 'Dense',
              config: {
                name: 'dense',
                trainable: true,
                dtype,
                units: 3,
                activation: 'softmax',
                use_bias: true,
                kernel_initializer: init('GlorotUniform'),
                bias_initializer: init('Zeros'),
                kernel_regularizer: null,
                bias_regularizer: null,
                kernel_constraint: null,
                bias_constraint: null,
                lora_rank: null,
              },
            },
          ],
          build_input_shape: [null, 6, 6, 1],
        },
      },
      training_config: null,
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
        weights: [
          { name: 'sequential/conv2d/kernel', shape: [3, 3, 1, 2], dtype: 'float32' },
          { name: 'sequential/conv2d/bias', shape: [2], dtype: 'float32' },
          { name: 'sequential/dense/kernel', shape: [8, 3], dtype: 'float32' },
          { name: 'sequential/dense/bias', shape: [3], dtype: 'float32' },
        ],
      },
    ],
    trainingConfig: {
      loss: 'categorical_crossentropy',
      optimizer_config: {
        class_name: 'SGD',
        config: { learning_rate: 0.05, momentum: 0.9, nesterov: false },
      },
    },
  };
}
const KERAS_VALUES = 18 + 2 + 24 + 3;

test('a Keras-converter-style model.json (Keras class names, InputLayer, batch_shape, shards) imports', () => {
  const values = rng(2).floats(KERAS_VALUES, -0.5, 0.5);
  const bytes = values.buffer;
  const json = kerasStyle();
  const model = cl.importTfjs(JSON.stringify(json), [bytes.slice(0, 40), bytes.slice(40)]);
  assert.deepEqual(model.inputShape, [6, 6, 1]);
  assert.deepEqual(
    model.toJSON().layers.map((l) => l.type),
    ['conv2d', 'maxPooling2d', 'flatten', 'dense'],
  );
  assert.deepEqual(model.compileConfig.optimizer, {
    type: 'momentum',
    momentum: 0.9,
    useNesterov: false,
    learningRate: 0.05,
  });
  assert.deepEqual(Array.from(model.layers[0].getWeights()[0].data), Array.from(values.subarray(0, 18)));
  assert.deepEqual(Array.from(model.layers[3].getWeights()[1].data), Array.from(values.subarray(44, 47)));
  // the same file through tfjs-layers' own Conv2D/Dense math
  const x = rng(3).floats(2 * 36, 0, 1);
  const ref = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  ref.setWeights([
    tf.tensor(values.subarray(0, 18), [3, 3, 1, 2]),
    tf.tensor(values.subarray(18, 20)),
    tf.tensor(values.subarray(20, 44), [8, 3]),
    tf.tensor(values.subarray(44)),
  ]);
  assertAgrees(
    model.predict(x, 2),
    ref.predict(tf.tensor(x, [2, 6, 6, 1])).dataSync(),
    'Keras-style import vs tfjs-layers',
  );
  model.dispose();
  ref.dispose();
});

// Each bad file: a change to the Keras-style one, the error's class and fields.
const layerConfig = (json, i) => json.modelTopology.model_config.config.layers[i].config;
const BAD = [
  {
    what: 'an unsupported layer',
    change: (j) =>
      (j.modelTopology.model_config.config.layers[3] = {
        class_name: 'GRU',
        config: { name: 'gru', units: 4 },
      }),
    fields: { code: 'unsupported-layer', layerIndex: 3, layerName: 'gru', className: 'GRU' },
  },
  {
    what: 'an unsupported option',
    change: (j) => (layerConfig(j, 1).dilation_rate = [2, 2]),
    fields: {
      code: 'unsupported-option',
      layerIndex: 1,
      layerName: 'conv2d',
      className: 'Conv2D',
      option: 'dilation_rate',
    },
  },
  {
    what: 'an unknown option with a value',
    change: (j) => (layerConfig(j, 4).lora_rank = 4),
    fields: { code: 'unsupported-option', layerIndex: 4, option: 'lora_rank' },
  },
  {
    what: 'an activation Convolab lacks',
    change: (j) => (layerConfig(j, 4).activation = 'gelu'),
    fields: { code: 'unsupported-option', layerIndex: 4, option: 'activation', actual: 'gelu' },
  },
  {
    what: 'channels_first',
    change: (j) => (layerConfig(j, 2).data_format = 'channels_first'),
    fields: {
      code: 'unsupported-option',
      layerIndex: 2,
      className: 'MaxPooling2D',
      option: 'data_format',
      actual: 'channels_first',
    },
  },
  {
    what: 'a functional model',
    change: (j) => (j.modelTopology.model_config.class_name = 'Functional'),
    fields: { code: 'functional-model', className: 'Functional' },
  },
  {
    what: 'weight bytes short',
    bytes: (b) => b.slice(0, b.byteLength - 4),
    fields: { code: 'weights-short', expected: KERAS_VALUES * 4, actual: KERAS_VALUES * 4 - 4 },
  },
  {
    what: 'weight bytes long',
    bytes: (b) => new Uint8Array(b.byteLength + 8).buffer,
    fields: { code: 'weights-long', expected: KERAS_VALUES * 4, actual: KERAS_VALUES * 4 + 8 },
  },
  {
    what: 'a weight shape that does not match the layer',
    change: (j) => {
      const w = j.weightsManifest[0].weights;
      w[2].shape = [4, 6];
    },
    fields: {
      code: 'weight-shape',
      layerIndex: 4,
      weightName: 'sequential/dense/kernel',
      expected: [8, 3],
      actual: [4, 6],
    },
  },
  {
    what: 'a weight name missing',
    change: (j) => (j.weightsManifest[0].weights[1].name = 'sequential/conv2d/offset'),
    fields: { code: 'weight-missing', layerIndex: 1, weightName: 'conv2d/bias' },
  },
  {
    what: 'a weight without a name',
    change: (j) => delete j.weightsManifest[0].weights[0].name,
    fields: { code: 'weight-missing' },
  },
  {
    what: 'no input shape',
    change: (j) => j.modelTopology.model_config.config.layers.shift(),
    fields: { code: 'bad-file', option: 'batch_input_shape', layerIndex: 0 },
  },
  {
    what: 'a huge declared weight, before any allocation',
    change: (j) => (j.weightsManifest[0].weights[0].shape = [4096, 4096, 4096]),
    fields: { code: 'bad-file' },
  },
];

test('bad files are refused with errors that name the layer, option and numbers', () => {
  const values = rng(2).floats(KERAS_VALUES).buffer;
  const heap = cl.memory().allocatedBytes;
  for (const bad of BAD) {
    const json = kerasStyle();
    bad.change?.(json);
    const bytes = bad.bytes ? bad.bytes(values) : values;
    assert.throws(
      () => cl.importTfjs(json, bytes),
      (err) => {
        assert.ok(err instanceof cl.InteropError, `${bad.what}: ${err.name} ${err.message}`);
        assert.ok(err instanceof cl.SpecError);
        for (const [k, v] of Object.entries(bad.fields))
          assert.deepEqual(err[k], v, `${bad.what}: err.${k} (${err.message})`);
        return true;
      },
      bad.what,
    );
  }
  assert.equal(cl.memory().allocatedBytes, heap, 'a refused file leaves no model behind');
  assert.throws(() => cl.importTfjs('{not json', values), { name: 'InteropError', code: 'bad-file' });
  assert.throws(() => cl.importTfjs(kerasStyle(), [1, 2]), { name: 'InteropError', code: 'bad-file' });
});

test('a Keras loss object in trainingConfig imports with its from_logits', () => {
  const values = rng(2).floats(KERAS_VALUES, -0.5, 0.5).buffer;
  for (const [loss, expected] of [
    [
      {
        class_name: 'CategoricalCrossentropy',
        config: { from_logits: true, name: 'categorical_crossentropy' },
      },
      { loss: 'categoricalCrossentropy', fromLogits: true },
    ],
    [
      { class_name: 'SparseCategoricalCrossentropy', config: { from_logits: false } },
      { loss: 'sparseCategoricalCrossentropy', fromLogits: false },
    ],
    [{ class_name: 'MeanSquaredError', config: {} }, { loss: 'meanSquaredError' }],
  ]) {
    const json = kerasStyle();
    json.trainingConfig.loss = loss;
    const model = cl.importTfjs(JSON.stringify(json), [values.slice(0, 40), values.slice(40)]);
    const { loss: got, fromLogits } = model.compileConfig;
    assert.deepEqual({ loss: got, ...(fromLogits === undefined ? {} : { fromLogits }) }, expected);
    model.dispose();
  }
});
