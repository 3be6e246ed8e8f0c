// Every layer type the page offers, with the options a learner can set and
// the controls that set them. Names follow the spec (tfjs-layers names).
// No DOM here: builder.js renders these descriptors.

export const ACTIVATIONS = ['relu', 'leakyRelu', 'sigmoid', 'tanh', 'linear', 'softmax'];
export const INITIALIZERS = ['glorotUniform', 'heNormal', 'zeros'];

const num = (key, label, min, max, step = 1) => ({ key, label, kind: 'number', min, max, step });
// engineDefault: what the engine uses when a spec leaves the option out.
const choice = (key, label, values, engineDefault = values[0]) => ({
  key,
  label,
  kind: 'select',
  values,
  engineDefault,
});

// A list of sizes typed as 2, 2×3 or 1×2×3×4 (number-field.js checkSizes).
const sizes = (key, label, counts, min, max, extra = {}) => ({
  key,
  label,
  kind: 'sizes',
  counts,
  min,
  max,
  ...extra,
});

const padding = choice('padding', 'padding', ['valid', 'same'], 'valid');
const bias = choice('useBias', 'bias', [true, false]);

// The rows every convolution has, in the order the builder shows them:
// filters (unless it keeps the channels), kernel, multiplier (depthwise ones),
// stride, padding, activation, then its last row (bias or init).
const convOptions = ({ filters = true, multiplier = false, last = bias } = {}) => [
  ...(filters ? [num('filters', 'filters', 1, 128)] : []),
  num('kernelSize', 'kernel', 1, 15),
  ...(multiplier ? [num('depthMultiplier', 'multiplier', 1, 16)] : []),
  num('strides', 'stride', 1, 8),
  padding,
  choice('activation', 'activation', ACTIVATIONS, 'linear'),
  last,
];

export const LAYER_TYPES = {
  conv2d: {
    label: 'Conv2D',
    blurb: 'slides filters over the input; each filter spans every input channel',
    defaults: {
      filters: 8,
      kernelSize: 3,
      strides: 1,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: 'glorotUniform',
    },
    options: convOptions({ last: choice('kernelInitializer', 'init', INITIALIZERS, 'glorotUniform') }),
  },
  maxPooling2d: {
    label: 'MaxPooling2D',
    blurb: 'keeps the largest value of each window; no weights',
    defaults: { poolSize: 2, strides: 2, padding: 'valid' },
    options: [num('poolSize', 'window', 1, 8), num('strides', 'stride', 1, 8), padding],
  },
  averagePooling2d: {
    label: 'AveragePooling2D',
    blurb: 'keeps the mean of each window (a blur); no weights',
    defaults: { poolSize: 2, strides: 2, padding: 'valid' },
    options: [num('poolSize', 'window', 1, 8), num('strides', 'stride', 1, 8), padding],
  },
  globalAveragePooling2d: {
    label: 'GlobalAveragePooling2D',
    blurb: 'one mean per channel: H×W×C → C',
    defaults: {},
    options: [],
  },
  flatten: {
    label: 'Flatten',
    blurb: 'turns the feature maps into one vector for the dense layers',
    defaults: {},
    options: [],
  },
  dense: {
    label: 'Dense',
    blurb: 'fully connected: every input to every unit',
    defaults: { units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' },
    options: [
      num('units', 'units', 1, 1024),
      choice('activation', 'activation', ACTIVATIONS, 'linear'),
      choice('kernelInitializer', 'init', INITIALIZERS, 'glorotUniform'),
    ],
  },
  dropout: {
    label: 'Dropout',
    blurb: 'zeroes a random fraction of values while training',
    defaults: { rate: 0.25 },
    options: [num('rate', 'rate', 0, 0.95, 0.05)],
  },
  batchNormalization: {
    label: 'BatchNormalization',
    blurb: 'normalises each channel over the batch, then scales (γ) and shifts (β)',
    defaults: { momentum: 0.99 },
    options: [
      num('momentum', 'momentum', 0, 0.999, 0.01),
      choice('scale', 'learn γ', [true, false]),
      choice('center', 'learn β', [true, false]),
    ],
  },
  activation: {
    label: 'Activation',
    blurb: 'applies a non-linearity element by element',
    defaults: { activation: 'relu' },
    options: [choice('activation', 'function', ACTIVATIONS)],
  },
  reLU: { label: 'ReLU', blurb: 'max(0, x)', defaults: {}, options: [] },
  leakyReLU: {
    label: 'LeakyReLU',
    blurb: 'x if x > 0, else αx',
    defaults: { alpha: 0.3 },
    options: [num('alpha', 'α', 0, 1, 0.05)],
  },
  globalMaxPooling2d: {
    label: 'GlobalMaxPooling2D',
    blurb: 'one maximum per channel: H×W×C → C',
    defaults: {},
    options: [],
  },
  zeroPadding2d: {
    label: 'ZeroPadding2D',
    blurb: 'adds rows and columns of zeros around each map: n, h×w or top×bottom×left×right',
    defaults: { padding: 1 },
    options: [sizes('padding', 'padding', [1, 2, 4], 0, 64, { pairs: true })],
  },
  cropping2d: {
    label: 'Cropping2D',
    blurb: 'cuts rows and columns off the edges of each map: n, h×w or top×bottom×left×right',
    defaults: { cropping: 1 },
    options: [sizes('cropping', 'cropping', [1, 2, 4], 0, 64, { pairs: true })],
  },
  upSampling2d: {
    label: 'UpSampling2D',
    blurb: 'enlarges each map: repeats pixels (nearest) or blends neighbours (bilinear); no weights',
    defaults: { size: 2, interpolation: 'nearest' },
    options: [
      sizes('size', 'size', [1, 2], 1, 8),
      choice('interpolation', 'interpolation', ['nearest', 'bilinear'], 'nearest'),
    ],
  },
  reshape: {
    label: 'Reshape',
    blurb: 'the same values in a new shape (h×w×c, h×w or n; one entry may be −1); no weights',
    defaults: { targetShape: [-1] },
    options: [sizes('targetShape', 'shape', [1, 2, 3], 1, 1 << 20, { minusOne: true, alwaysList: true })],
  },
  depthwiseConv2d: {
    label: 'DepthwiseConv2D',
    blurb: 'one filter per input channel (times the multiplier): channels are never mixed',
    defaults: { kernelSize: 3, depthMultiplier: 1, strides: 1, padding: 'same', activation: 'relu' },
    options: convOptions({ filters: false, multiplier: true }),
  },
  separableConv2d: {
    label: 'SeparableConv2D',
    blurb: 'a depthwise conv, then a 1×1 conv that mixes the channels: far fewer weights than Conv2D',
    defaults: {
      filters: 16,
      kernelSize: 3,
      depthMultiplier: 1,
      strides: 1,
      padding: 'same',
      activation: 'relu',
    },
    options: convOptions({ multiplier: true }),
  },
  conv2dTranspose: {
    label: 'Conv2DTranspose',
    blurb: 'a learned upsampling: each input pixel paints a filter-sized patch, stride apart',
    defaults: { filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
    options: convOptions(),
  },
  softmax: {
    label: 'Softmax',
    blurb: 'turns scores into probabilities that sum to 1',
    defaults: {},
    options: [],
  },
};

export const TYPE_NAMES = Object.keys(LAYER_TYPES);

/** A new layer of `type` with its default options. */
export function newLayer(type) {
  const t = LAYER_TYPES[type];
  if (!t) throw new Error(`unknown layer type '${type}'`);
  return { type, ...t.defaults };
}

/** Keeps only the options a layer type knows, so specs stay tidy. */
export function cleanLayer(layer) {
  const t = LAYER_TYPES[layer.type];
  const out = { type: layer.type };
  if (!t) return { ...layer };
  for (const o of t.options) if (layer[o.key] !== undefined && layer[o.key] !== '') out[o.key] = layer[o.key];
  return out;
}
