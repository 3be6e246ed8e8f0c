// Convolab layer types ↔ TensorFlow.js LayersModel (Keras) layer classes:
// one row per Convolab type, used both ways (tfjs-export.js, tfjs-import.js).
// A new layer type adds one row here.
//
// Row fields:
//   className   the tfjs-layers / Keras class it becomes
//   aliases     other class names that import to it (Keras spellings)
//   input       'spatial' when the layer needs an image [h, w, c], 'any'
//               otherwise (Convolab's ranks per example are tfjs's: [k],
//               [a, b] or [h, w, c], so the layers map one to one)
//   weights     [[tfjs weight name, Convolab param name], ...], tfjs order
//   toTfjs(spec, { l2, layer, fail }) → [{ className, config, weights? }]:
//               the tfjs layers, in order (one, or a Conv2D plus a LeakyReLU
//               / ZeroPadding2D); `weights: true` marks the one holding this
//               layer's weights; fail(option, why) is the InteropError for an
//               option tfjs cannot express
//   fromTfjs(r)  → { spec, l2? }: a Convolab spec entry, from a LayerConfigReader
//   defaults    Convolab's defaults for the options toTfjs reads
import { InteropError } from './errors.js';
import { fourSides } from './interop-sides.js';
import { conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from './tfjs-conv-rows.js';
import {
  activationLayers,
  commonNone,
  compact,
  initializer,
  l2Regularizer,
  pair,
  readActivation,
  readCount,
  readInitializer,
  readPadding,
  readRegularizer,
} from './tfjs-config.js';

const pooling = (type, className, aliases) => {
  const row = {
    className,
    aliases,
    input: 'spatial',
    weights: [],
    defaults: { poolSize: 2, padding: 'valid' },
    toTfjs(spec, { fail }) {
      const poolSize = pair(spec.poolSize ?? 2);
      const padding = spec.padding ?? 'valid';
      // Convolab's explicit max-pool padding is never the window's maximum; ZeroPadding2D's zeros could be
      if (typeof padding !== 'string')
        throw fail(
          'padding',
          `is ${JSON.stringify(padding)}: tfjs pools pad only 'valid' or 'same' (a ZeroPadding2D's zeros would enter the maximum)`,
          padding,
        );
      return [
        {
          className,
          config: {
            pool_size: poolSize,
            padding,
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

const globalPooling = (type, className, aliases) => ({
  className,
  aliases,
  input: 'spatial',
  weights: [],
  toTfjs: () => [{ className, config: { data_format: 'channels_last' } }],
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    r.oneOf('keepdims', [false], false);
    return { spec: { type } };
  },
});

// [[top, bottom], [left, right]] as the shortest Convolab spelling: n, [h, w] or the pairs.
function compactSides(sides) {
  const [[t, b], [l, r]] = sides;
  if (t === b && l === r) return compact([t, l]);
  return sides;
}

// ZeroPadding2D's padding / Cropping2D's cropping: n, [h, w] or [[t, b], [l, r]].
function readSides(r, key, fallback) {
  const v = r.get(key, fallback);
  const whole = (x) => Number.isInteger(x) && x >= 0 && x <= 4096;
  const ok =
    whole(v) ||
    (Array.isArray(v) &&
      v.length === 2 &&
      (v.every(whole) || v.every((p) => Array.isArray(p) && p.length === 2 && p.every(whole))));
  if (!ok)
    throw r.fail(
      key,
      `must be a whole number, [h, w] or [[top, bottom], [left, right]], got ${JSON.stringify(v)}`,
      {
        actual: v,
      },
    );
  return compactSides(fourSides(v));
}

const sidesLayer = (type, className, key) => ({
  className,
  aliases: [],
  input: 'spatial',
  weights: [],
  toTfjs: (spec) => [
    { className, config: { [key]: fourSides(spec[key] ?? 1), data_format: 'channels_last' } },
  ],
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    return { spec: { type, [key]: readSides(r, key, type === 'zeroPadding2d' ? 1 : undefined) } };
  },
});

const upSampling2d = {
  className: 'UpSampling2D',
  aliases: [],
  input: 'spatial',
  weights: [],
  toTfjs: (spec) => [
    {
      className: 'UpSampling2D',
      // tfjs takes only [h, w] (a number gives it NaN sizes)
      config: {
        size: pair(spec.size ?? 2),
        data_format: 'channels_last',
        interpolation: spec.interpolation ?? 'nearest',
      },
    },
  ],
  fromTfjs(r) {
    r.channelsLast();
    r.float32();
    // bilinear as tfjs-layers computes it (no half-pixel centres), which is how tfjs runs a Keras file too
    const interpolation = r.oneOf('interpolation', ['nearest', 'bilinear'], 'nearest');
    return { spec: { type: 'upSampling2d', size: compact(r.pair('size', [2, 2])), interpolation } };
  },
};

const reshape = {
  className: 'Reshape',
  aliases: [],
  input: 'any',
  weights: [],
  // the size a -1 stands for, written out: tfjs leaves a -1 unknown, and a Dense after it cannot be built
  toTfjs: (spec, { layer }) => [{ className: 'Reshape', config: { target_shape: layer.outputShape } }],
  fromTfjs(r) {
    r.float32();
    const target = r.get('target_shape');
    const dim = (d) => Number.isInteger(d) && (d === -1 || (d >= 1 && d <= 1 << 24));
    if (!Array.isArray(target) || target.length < 1 || target.length > 3 || !target.every(dim))
      throw r.fail(
        'target_shape',
        `is ${JSON.stringify(target)}; Convolab reshapes to 1 to 3 axes of whole sizes (one may be -1)`,
        { actual: target },
      );
    return { spec: { type: 'reshape', targetShape: target.slice() } };
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
  input: 'any', // on the last axis of any input, as tfjs
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
    const units = readCount(r, 'units');
    const spec = { type: 'dense', units, activation: readActivation(r), useBias: r.bool('use_bias', true) };
    readInitializer(r, 'kernel_initializer', 'kernelInitializer', spec);
    readInitializer(r, 'bias_initializer', 'biasInitializer', spec);
    return { spec, l2: readRegularizer(r) };
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
  depthwiseConv2d,
  separableConv2d,
  conv2dTranspose,
  maxPooling2d: pooling('maxPooling2d', 'MaxPooling2D', ['MaxPool2D']),
  averagePooling2d: pooling('averagePooling2d', 'AveragePooling2D', ['AvgPool2D']),
  globalAveragePooling2d: globalPooling('globalAveragePooling2d', 'GlobalAveragePooling2D', [
    'GlobalAvgPool2D',
  ]),
  globalMaxPooling2d: globalPooling('globalMaxPooling2d', 'GlobalMaxPooling2D', ['GlobalMaxPool2D']),
  zeroPadding2d: sidesLayer('zeroPadding2d', 'ZeroPadding2D', 'padding'),
  cropping2d: sidesLayer('cropping2d', 'Cropping2D', 'cropping'),
  upSampling2d,
  reshape,
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
    `layer ${where.layerIndex} '${where.layerName}': Convolab has no layer ` +
      `for class '${where.className}' (it reads ${known} and InputLayer)`,
    { code: 'unsupported-layer', ...where },
  );
}
