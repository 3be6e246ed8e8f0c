// What the TensorFlow.js layer rows (tfjs-layer-table.js, tfjs-conv-rows.js)
// share: activations, initializers, regularizers and the options every
// convolution has, written the way tfjs-layers' getConfig() writes them and
// read back from a LayerConfigReader (interop-options.js).

// Activations both sides name the same; Convolab's leakyRelu becomes a
// LeakyReLU layer (tfjs has no leakyRelu activation string).
export const SHARED_ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

export const pair = (v) => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);
// A square pair as one number, as a Convolab spec (and the page's builder) writes it.
export const compact = ([h, w]) => (h === w ? h : [h, w]);

export const initializer = (name) =>
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

export function readInitializer(r, key, specKey, spec) {
  const v = r.get(key, null);
  const name = INITIALIZER_FROM[v?.class_name];
  // Other initializers are only used before weights exist; the file's weights replace them.
  if (name) spec[specKey] = name;
}

// A layer's activation: the tfjs activation string, plus a LeakyReLU layer after it when needed.
export function activationLayers(spec, defaults) {
  const act = spec.activation ?? 'linear';
  if (act === 'leakyRelu')
    return {
      activation: 'linear',
      after: [{ className: 'LeakyReLU', config: { alpha: spec.alpha ?? defaults.alpha } }],
    };
  return { activation: act, after: [] };
}

export function readActivation(r, key = 'activation') {
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

// Convolab's l2 is one optimizer setting for every kernel (conv, dense,
// depthwise, pointwise, transposed); tfjs spells it as a regularizer on each.
export function l2Regularizer(l2) {
  return l2 > 0 ? { class_name: 'L1L2', config: { l1: 0, l2 } } : null;
}
export function readRegularizer(r, key = 'kernel_regularizer') {
  const v = r.get(key, null);
  if (v === null) return 0;
  const l1 = v?.config?.l1 ?? 0;
  const l2 = v?.config?.l2;
  if (!['L1L2', 'L2'].includes(v?.class_name) || l1 !== 0 || typeof l2 !== 'number' || !(l2 >= 0))
    throw r.fail(key, `is ${JSON.stringify(v)}; Convolab has only an L2 penalty on kernels`, { actual: v });
  return l2;
}

export function commonNone(r) {
  r.absent('bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint');
}

export function readPadding(r) {
  return r.oneOf('padding', ['valid', 'same'], 'valid');
}

/** The options tfjs's convolutions share (BaseConv.getConfig), for a 'valid' or 'same' padding. */
export function convConfig(spec, padding, activation) {
  return {
    kernel_size: pair(spec.kernelSize),
    strides: pair(spec.strides ?? 1),
    padding,
    data_format: 'channels_last',
    dilation_rate: [1, 1],
    activation,
    use_bias: spec.useBias ?? true,
    bias_initializer: initializer(spec.biasInitializer ?? 'zeros'),
    bias_regularizer: null,
    activity_regularizer: null,
    bias_constraint: null,
  };
}

/** Reads what convConfig writes (and Keras's spellings of it) into a spec entry of type. */
export function readConv(r, type) {
  r.channelsLast();
  r.float32();
  commonNone(r);
  r.oneOf('dilation_rate', [1, [1, 1], [1]], [1, 1]);
  r.oneOf('groups', [1], 1);
  const spec = {
    type,
    kernelSize: compact(r.pair('kernel_size')),
    strides: compact(r.pair('strides', [1, 1])),
    padding: readPadding(r),
    activation: readActivation(r),
    useBias: r.bool('use_bias', true),
  };
  readInitializer(r, 'bias_initializer', 'biasInitializer', spec);
  return spec;
}

/** A whole 'filters' or 'units' count. */
export function readCount(r, key) {
  const v = r.number(key, undefined, { min: 1, max: 1 << 20 });
  if (!Number.isInteger(v)) throw r.fail(key, 'must be a whole number', { actual: v });
  return v;
}
