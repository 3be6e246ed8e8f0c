// model.exportTfjs(): a Convolab model as a TensorFlow.js LayersModel
// (model.json content + weights.bin bytes), the format tfjs-layers loads
// with tf.loadLayersModel and tensorflowjs_converter turns into Keras.
//
// Convolab's shapes per example are tfjs's ([k], [a, b], [h, w, c]), so each
// layer becomes its tfjs class, with a LeakyReLU after a layer whose
// activation is leakyRelu and a ZeroPadding2D before an explicitly padded
// conv2d (named <layer>_leakyrelu / <layer>_zeropadding2d). An option tfjs
// cannot express (max pooling's explicit padding) is refused with an
// InteropError, never written as a different model.
import { InteropError } from './errors.js';
import { TFJS_LAYERS } from './tfjs-layer-table.js';

const GENERATED_BY = 'Convolab 0.1.0';
const TFJS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/;

const LOSSES = {
  categoricalCrossentropy: 'categoricalCrossentropy',
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
  meanSquaredError: 'meanSquaredError',
};

// Convolab's optimizer config → tfjs-core's { class_name, config } (its
// getConfig() names), Convolab's defaults (docs/model-spec.md) filled in.
function optimizerConfig(o) {
  const lr = o.learningRate;
  const type = o.type === 'sgd' && o.momentum > 0 ? 'momentum' : (o.type ?? 'sgd');
  switch (type) {
    case 'sgd':
      return { class_name: 'SGD', config: { learningRate: lr ?? 0.01 } };
    case 'momentum':
      return {
        class_name: 'Momentum',
        config: { learningRate: lr ?? 0.01, momentum: o.momentum ?? 0.9, useNesterov: !!o.useNesterov },
      };
    case 'adam':
      return {
        class_name: 'Adam',
        config: {
          learningRate: lr ?? 0.001,
          beta1: o.beta1 ?? 0.9,
          beta2: o.beta2 ?? 0.999,
          epsilon: o.epsilon ?? 1e-7,
        },
      };
    case 'rmsprop':
      return {
        class_name: 'RMSProp',
        config: {
          learningRate: lr ?? 0.001,
          decay: o.decay ?? 0.9,
          momentum: o.momentum ?? 0,
          epsilon: o.epsilon ?? 1e-7,
          centered: !!o.centered,
        },
      };
    case 'adadelta':
      return {
        class_name: 'Adadelta',
        config: { learningRate: lr ?? 0.001, rho: o.rho ?? 0.95, epsilon: o.epsilon ?? 1e-7 },
      };
    default:
      return null;
  }
}

function uniqueNames(model) {
  const taken = new Set();
  return model.layers.map((l) => {
    const wanted =
      typeof l.config.name === 'string' && TFJS_NAME.test(l.config.name) ? l.config.name : l.name;
    let name = wanted;
    for (let k = 2; taken.has(name); k++) name = `${wanted}_${k}`;
    taken.add(name);
    return name;
  });
}

/** { modelJSON, weightData }: model.json's content and weights.bin's bytes. */
export function exportTfjs(model) {
  const spec = model.toJSON();
  const compile = model.compileConfig;
  const l2 = compile?.optimizer?.l2 ?? 0;
  const names = uniqueNames(model);
  const layers = [];
  const weightSpecs = [];
  const weightArrays = [];
  const taken = new Set(names);
  const extraName = (base) => {
    let n = base;
    for (let k = 2; taken.has(n); k++) n = `${base}_${k}`;
    taken.add(n);
    return n;
  };
  const push = (className, config) => layers.push({ class_name: className, config });

  model.layers.forEach((layer, i) => {
    const entry = spec.layers[i];
    const row = TFJS_LAYERS[entry.type];
    if (!row)
      throw new InteropError(`exportTfjs: layer ${i + 1} (${layer.type}) has no TensorFlow.js form yet`, {
        code: 'unsupported-layer',
        layerIndex: i,
        layerName: names[i],
        className: layer.type,
      });
    const fail = (option, why, actual) =>
      new InteropError(
        `exportTfjs: layer ${i + 1} '${names[i]}' (${layer.type}): option '${option}' ${why}`,
        {
          code: 'unsupported-option',
          layerIndex: i,
          layerName: names[i],
          className: layer.type,
          option,
          actual,
        },
      );
    const parts = row.toTfjs(entry, { l2, layer, fail });
    const main = Math.max(
      0,
      parts.findIndex((p) => p.weights),
    ); // the part that keeps the layer's name
    parts.forEach((part, j) => {
      const name = j === main ? names[i] : extraName(`${names[i]}_${part.className.toLowerCase()}`);
      push(part.className, { name, trainable: true, dtype: 'float32', ...part.config });
      if (part.weights) {
        const have = new Map(layer.weightSpecs.map((w, k) => [w.name, k]));
        const values = layer.getWeights();
        for (const [tfjsName, clName] of row.weights) {
          const k = have.get(clName);
          if (k === undefined) continue; // e.g. no bias, BatchNormalization without scale
          weightSpecs.push({
            name: `${name}/${tfjsName}`,
            shape: layer.weightSpecs[k].shape,
            dtype: 'float32',
          });
          weightArrays.push(values[k].data);
        }
      }
    });
  });
  layers[0].config.batch_input_shape = [null, ...model.inputShape];

  const total = weightArrays.reduce((s, a) => s + a.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const a of weightArrays) {
    all.set(a, at);
    at += a.length;
  }
  const optimizer = compile?.optimizer ? optimizerConfig(compile.optimizer) : null;
  const modelJSON = {
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
    trainingConfig: {
      loss: LOSSES[compile?.loss] ?? compile?.loss ?? 'categoricalCrossentropy',
      metrics: ['accuracy'],
      optimizer_config: optimizer,
    },
    // tfjs's trainingConfig has no from_logits (its loader reads a loss only
    // by name): a choice made in compile travels beside it, where tfjs keeps
    // it as the model's user-defined metadata
    ...(typeof compile?.fromLogits === 'boolean'
      ? { userDefinedMetadata: { convolab: { fromLogits: compile.fromLogits } } }
      : {}),
  };
  return { modelJSON, weightData: all.buffer };
}
