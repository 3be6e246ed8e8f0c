// Convolab layer types ↔ TensorFlow.js LayersModel (Keras) layer classes:
// one row per Convolab type, used both ways (tfjs-export.js, tfjs-import.js).
// A new layer type adds one row here.
//
// Row fields:
//   className   the tfjs-layers / Keras class it becomes
//   aliases     other class names that import to it (Keras spellings)
//   input       'spatial' when tfjs needs a [h, w, c] input, 'flat' when [n],
//               'any' otherwise (Convolab's flat is 1x1xn, so export inserts a
//               Reshape or Flatten where tfjs's rank differs)
//   weights     [[tfjs weight name, Convolab param name], ...], tfjs order
//   toTfjs(spec) → [{ className, config, weights? }]: the tfjs layers, in
//               order (one, or a Conv2D plus a LeakyReLU / ZeroPadding2D);
//               `weights: true` marks the one holding this layer's weights
//   fromTfjs(r)  → a Convolab spec entry, from a LayerConfigReader
//   defaults    Convolab's defaults for the options toTfjs reads
import { InteropError } from './errors.js';

// Activations both sides name the same; Convolab's leakyRelu becomes a
// LeakyReLU layer (tfjs has no leakyRelu activation string).
const SHARED_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

const pair = (v) => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);
// A square pair as one number, as a Convolab spec (and the page's builder) writes it.
const compact = ([h, w]) => (h === w ? h : [h, w]);
const initializer = (name) =>
  ({
    glorotUniform: { class_name: 'GlorotUniform', config: { seed: null } },
    heNormal: { class_name: 'HeNormal', config: { seed: null } },
    zeros: { class_name: 'Zeros', config: {} },
    ones: { class_name: 'Ones', config: {} },
  })[name];
const INITIALIZER_FROM = {
  GlorotUniform: 'glorotUniform',
  HeNormal: 'heNormal',
  Zeros: 'zeros',
  Ones: 'ones',
};

function readInitializer(r, key, specKey, spec) {
  const v = r.get(key, null);
  const name = INITIALIZER_FROM[v?.class_name];
  // Other initializers are only used before weights exist; the file's weights replace them.
  if (name) spec[specKey] = name;
}

// A Conv2D/Dense activation: the tfjs activation string, plus a LeakyReLU layer after it when needed.
function activationLayers(spec, defaults) {
  const act = spec.activation ?? 'linear';
  if (act === 'leakyRelu')
    return {
      activation: 'linear',
      after: [{ className: 'LeakyReLU', config: { alpha: spec.alpha ?? defaults.alpha } }],
    };
  return { activation: act, after: [] };
}

function readActivation(r, key = 'activation') {
  const v = r.get(key, 'linear');
  if (typeof v !== 'string' || !SHARED_ACTIVATIONS.includes(v))
    throw r.fail(
      key,
      `is ${JSON.stringify(v)}; Convolab has ${SHARED_ACTIVATIONS.join(', ')} (and LeakyReLU as a layer)`,
      {
        expected: SHARED_ACTIVATIONS,
        actual: v,
      },
    );
  return v;
}

// Convolab's l2 is one optimizer setting for every conv and dense kernel;
// tfjs spells it as a kernel_regularizer on each layer.
function l2Regularizer(l2) {
  return l2 > 0 ? { class_name: 'L1L2', config: { l1: 0, l2 } } : null;
}
function readKernelRegularizer(r) {
  const v = r.get('kernel_regularizer', null);
  if (v === null) return 0;
  const l1 = v?.config?.l1 ?? 0;
  const l2 = v?.config?.l2;
  if (!['L1L2', 'L2'].includes(v?.class_name) || l1 !== 0 || typeof l2 !== 'number' || !(l2 >= 0))
    throw r.fail(
      'kernel_regularizer',
      `is ${JSON.stringify(v)}; Convolab has only an L2 penalty on kernels`,
      { actual: v },
    );
  return l2;
}

function commonNone(r) {
  r.absent('bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint');
}

function readPadding(r) {
  return r.oneOf('padding', ['valid', 'same'], 'valid');
}

const conv2d = {
  className: 'Conv2D',
  aliases: ['Convolution2D'],
  input: 'spatial',
  weights: [
    ['kernel', 'kernel'],
    ['bias', 'bias'],
  ],
  defaults: { strides: 1, padding: 'valid', useBias: true, activation: 'linear', alpha: 0.3 },
  toTfjs(spec, { l2 }) {
    const d = conv2d.defaults;
    const { activation, after } = activationLayers(spec, d);
    const padding = spec.padding ?? d.padding;
    // Explicit padding (a number or [h, w]) is a ZeroPadding2D before a 'valid' conv in tfjs.
    const before =
      typeof padding === 'string'
        ? []
        : [
            {
              className: 'ZeroPadding2D',
              config: { padding: pair(padding).map((p) => [p, p]), data_format: 'channels_last' },
            },
          ];
    return [
      ...before,
      {
        className: 'Conv2D',
        weights: true,
        config: {
          filters: spec.filters,
          kernel_size: pair(spec.kernelSize),
          strides: pair(spec.strides ?? d.strides),
          padding: typeof padding === 'string' ? padding : 'valid',
          data_format: 'channels_last',
          dilation_rate: [1, 1],
          activation,
          use_bias: spec.useBias ?? d.useBias,
          kernel_initializer: initializer(spec.kernelInitializer ?? 'glorotUniform'),
          bias_initializer: initializer(spec.biasInitializer ?? 'zeros'),
          kernel_regularizer: l2Regularizer(l2),
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    commonNone(r);
    r.oneOf('dilation_rate', [1, [1, 1], [1]], [1, 1]);
    r.oneOf('groups', [1], 1);
    const spec = {
      type: 'conv2d',
      filters: r.number('filters', undefined, { min: 1, max: 1 << 20 }),
      kernelSize: compact(r.pair('kernel_size')),
      strides: compact(r.pair('strides', [1, 1])),
      padding: readPadding(r),
      activation: readActivation(r),
      useBias: r.bool('use_bias', true),
    };
    if (!Number.isInteger(spec.filters)) throw r.fail('filters', 'must be a whole number');
    readInitializer(r, 'kernel_initializer', 'kernelInitializer', spec);
    readInitializer(r, 'bias_initializer', 'biasInitializer', spec);
    return { spec, l2: readKernelRegularizer(r) };
  },
};

const pooling = (type, className, aliases) => {
  const row = {
    className,
    aliases,
    input: 'spatial',
    weights: [],
    defaults: { poolSize: 2, padding: 'valid' },
    toTfjs(spec) {
      const poolSize = pair(spec.poolSize ?? 2);
      return [
        {
          className,
          config: {
            pool_size: poolSize,
            padding: spec.padding ?? 'valid',
            strides: pair(spec.strides ?? poolSize),
            data_format: 'channels_last',
          },
        },
      ];
    },
    fromTfjs(r) {
      r.channelsLast();
      r.float32();
      const poolSize = r.pair('pool_size', [2, 2]);
      return {
        spec: {
          type,
          poolSize: compact(poolSize),
          strides: compact(r.pair('strides', poolSize)),
          padding: readPadding(r),
        },
      };
    },
  };
  return row;
};

const globalAveragePooling2d = {
  className: 'GlobalAveragePooling2D',
  aliases: ['GlobalAvgPool2D'],
  input: 'spatial',
  weights: [],
  toTfjs: () => [{ className: 'GlobalAveragePooling2D', config: { data_format: 'channels_last' } }],
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    r.oneOf('keepdims', [false], false);
    return { spec: { type: 'globalAveragePooling2d' } };
  },
};

const flatten = {
  className: 'Flatten',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: () => [{ className: 'Flatten', config: { data_format: 'channels_last' } }],
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    return { spec: { type: 'flatten' } };
  },
};

const dense = {
  className: 'Dense',
  aliases: [],
  input: 'flat',
  weights: [
    ['kernel', 'kernel'],
    ['bias', 'bias'],
  ],
  defaults: { useBias: true, activation: 'linear', alpha: 0.3 },
  toTfjs(spec, { l2 }) {
    const { activation, after } = activationLayers(spec, dense.defaults);
    return [
      {
        className: 'Dense',
        weights: true,
        config: {
          units: spec.units,
          activation,
          use_bias: spec.useBias ?? true,
          kernel_initializer: initializer(spec.kernelInitializer ?? 'glorotUniform'),
          bias_initializer: initializer(spec.biasInitializer ?? 'zeros'),
          kernel_regularizer: l2Regularizer(l2),
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r) {
    r.float32();
    commonNone(r);
    const units = r.number('units', undefined, { min: 1, max: 1 << 20 });
    if (!Number.isInteger(units)) throw r.fail('units', 'must be a whole number');
    const spec = { type: 'dense', units, activation: readActivation(r), useBias: r.bool('use_bias', true) };
    readInitializer(r, 'kernel_initializer', 'kernelInitializer', spec);
    readInitializer(r, 'bias_initializer', 'biasInitializer', spec);
    return { spec, l2: readKernelRegularizer(r) };
  },
};

const dropout = {
  className: 'Dropout',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: (spec) => [{ className: 'Dropout', config: { rate: spec.rate, noise_shape: null, seed: null } }],
  fromTfjs(r) {
    r.float32();
    r.absent('noise_shape');
    return { spec: { type: 'dropout', rate: r.number('rate', undefined, { min: 0, max: 0.999999 }) } };
  },
};

const batchNormalization = {
  className: 'BatchNormalization',
  aliases: [],
  input: 'any',
  weights: [
    ['gamma', 'gamma'],
    ['beta', 'beta'],
    ['moving_mean', 'movingMean'],
    ['moving_variance', 'movingVariance'],
  ],
  toTfjs: (spec) => [
    {
      className: 'BatchNormalization',
      weights: true,
      config: {
        axis: -1,
        momentum: spec.momentum ?? 0.99,
        epsilon: spec.epsilon ?? 1e-3,
        center: spec.center ?? true,
        scale: spec.scale ?? true,
        beta_initializer: { class_name: 'Zeros', config: {} },
        gamma_initializer: { class_name: 'Ones', config: {} },
        moving_mean_initializer: { class_name: 'Zeros', config: {} },
        moving_variance_initializer: { class_name: 'Ones', config: {} },
        beta_regularizer: null,
        gamma_regularizer: null,
        beta_constraint: null,
        gamma_constraint: null,
      },
    },
  ],
  fromTfjs(r) {
    r.float32();
    // The axis is checked against the input's rank by the importer (-1 or the last axis).
    const axis = r.get('axis', -1);
    const axes = Array.isArray(axis) ? axis : [axis];
    if (axes.length !== 1 || !Number.isInteger(axes[0]))
      throw r.fail('axis', `must be one axis, got ${JSON.stringify(axis)}`);
    r.absent('beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint');
    r.oneOf('renorm', [false], false);
    r.oneOf('synchronized', [false], false);
    r.oneOf('fused', [true, false, null], null);
    return {
      spec: {
        type: 'batchNormalization',
        momentum: r.number('momentum', 0.99, { min: 0, max: 0.999999 }),
        epsilon: r.number('epsilon', 1e-3, { min: 1e-12, max: 1e6 }),
        center: r.bool('center', true),
        scale: r.bool('scale', true),
      },
      axis: axes[0],
    };
  },
};

const activation = {
  className: 'Activation',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: (spec) =>
    spec.activation === 'leakyRelu'
      ? [{ className: 'LeakyReLU', config: { alpha: spec.alpha ?? 0.3 } }]
      : [{ className: 'Activation', config: { activation: spec.activation } }],
  fromTfjs(r) {
    r.float32();
    return { spec: { type: 'activation', activation: readActivation(r) } };
  },
};

const reLU = {
  className: 'ReLU',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: () => [{ className: 'ReLU', config: { max_value: null } }],
  fromTfjs(r) {
    r.float32();
    r.absent('max_value');
    r.oneOf('negative_slope', [0], 0);
    r.oneOf('threshold', [0], 0);
    return { spec: { type: 'reLU' } };
  },
};

const leakyReLU = {
  className: 'LeakyReLU',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: (spec) => [{ className: 'LeakyReLU', config: { alpha: spec.alpha ?? 0.3 } }],
  fromTfjs(r) {
    r.float32();
    // tfjs writes alpha, Keras 3 negative_slope; Convolab's backward needs a slope above 0
    const key = r.has('negative_slope') ? 'negative_slope' : 'alpha';
    if (key === 'negative_slope') r.absent('alpha');
    return { spec: { type: 'leakyReLU', alpha: r.number(key, 0.3, { min: 1e-9, max: 1e6 }) } };
  },
};

const softmax = {
  className: 'Softmax',
  aliases: [],
  input: 'any',
  weights: [],
  toTfjs: () => [{ className: 'Softmax', config: { axis: -1 } }],
  fromTfjs(r) {
    r.float32();
    const axis = r.get('axis', -1);
    if (!(axis === -1 || (Array.isArray(axis) && axis.length === 1 && axis[0] === -1)))
      throw r.fail(
        'axis',
        `is ${JSON.stringify(axis)}; Convolab's softmax runs over the last (channel) axis, -1`,
        { actual: axis },
      );
    return { spec: { type: 'softmax' } };
  },
};

/** Convolab spec type → row. */
export const TFJS_LAYERS = {
  conv2d,
  maxPooling2d: pooling('maxPooling2d', 'MaxPooling2D', ['MaxPool2D']),
  averagePooling2d: pooling('averagePooling2d', 'AveragePooling2D', ['AvgPool2D', 'AveragePooling2D']),
  globalAveragePooling2d,
  flatten,
  dense,
  dropout,
  batchNormalization,
  activation,
  reLU,
  leakyReLU,
  softmax,
};

/** tfjs / Keras class name → [Convolab type, row]. */
export const TFJS_CLASSES = new Map(
  Object.entries(TFJS_LAYERS).flatMap(([type, row]) =>
    [row.className, ...row.aliases].map((name) => [name, { type, row }]),
  ),
);

export function unsupportedLayer(where) {
  const known = [...new Set(Object.values(TFJS_LAYERS).map((r) => r.className))].join(', ');
  return new InteropError(
    `layer ${where.layerIndex} '${where.layerName}': Convolab has no layer for class '${where.className}' (it reads ${known}, InputLayer, and Reshape/ZeroPadding2D where they are no-ops)`,
    { code: 'unsupported-layer', ...where },
  );
}
