// The catalogue of abuse: bad inputs at every entry point of the package,
// each with the error it must raise (class and fields). Shared by the direct
// run (tests/js/catalogue.test.js) and the worker run
// (tests/js/catalogue-worker.test.js). A row's run(ctx) gets
//   ctx.cl     the Convolab (or WorkerConvolab)
//   ctx.model  a trained model of SPEC whose state the row must not change
//   ctx.bytes  ctx.model.save()'s bytes (for the file rows)
// and may return a value or a promise; it must throw / reject.
import { crc32 } from '../../bindings/dataset.js';
import { addInteropRows } from './catalogue-interop.js';

export const SPEC = {
  inputShape: [6, 6, 1],
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' },
    { type: 'batchNormalization' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.1 },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};
export const COMPILE = { optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'categoricalCrossentropy' };
export const N = 12;
export const X = new Float32Array(N * 36).map((_, i) => ((i * 7) % 13) / 13);
export const Y = Int32Array.from({ length: N }, (_, i) => i % 3);
export const x = (n = N, data = X.slice(0, n * 36)) => ({ data, shape: [n, 6, 6, 1] });
export const PROBE = x(3);

const spec = (patch) => ({ ...SPEC, ...patch });
// SPEC with layer i's options patched (or replaced when patch is not an object).
const layer = (i, patch) => ({
  ...SPEC,
  layers: SPEC.layers.map((l, j) =>
    j === i ? (patch && typeof patch === 'object' ? { ...l, ...patch } : patch) : l,
  ),
});
const withX = (f) =>
  x(
    N,
    X.map((v, i) => f(v, i)),
  );

// .clmodel sections (bindings are little-endian): magic, version, flags,
// seed, spec text, compile text, weights, state, optimizer buffers, CRC.
function sections(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = { version: 4, flags: 8, seed: 12 };
  let p = 20;
  at.specLength = p;
  p += 4 + v.getUint32(p, true);
  at.compileLength = p;
  p += 4 + v.getUint32(p, true);
  at.weightCount = p;
  p += 4 + 4 * v.getUint32(p, true);
  at.stateCount = p;
  p += 4 + 4 * v.getUint32(p, true);
  at.optimizerCount = p;
  const buffers = v.getUint32(p, true);
  p += 4;
  at.buffers = [];
  for (let i = 0; i < buffers; i++) {
    at.buffers.push(p);
    p += 4 + 4 * v.getUint32(p, true);
  }
  at.checksum = p;
  return at;
}
const withCrc = (b) => {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(
    b.length - 4,
    crc32(b.subarray(0, b.length - 4)),
    true,
  );
  return b;
};
const setU32 = (bytes, offset, value, fixCrc = true) => {
  const b = bytes.slice();
  new DataView(b.buffer).setUint32(offset, value, true);
  return fixCrc ? withCrc(b) : b;
};
// The file with its spec (or compile) text replaced, lengths and CRC kept right.
function replaceText(bytes, which, text) {
  const at = sections(bytes);
  const start = which === 'spec' ? at.specLength : at.compileLength;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const oldLength = v.getUint32(start, true);
  const t = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length - oldLength + t.length);
  out.set(bytes.subarray(0, start));
  new DataView(out.buffer).setUint32(start, t.length, true);
  out.set(t, start + 4);
  out.set(bytes.subarray(start + 4 + oldLength), start + 4 + t.length);
  return withCrc(out);
}
const specText = (bytes) => {
  const at = sections(bytes);
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(at.specLength, true);
  return new TextDecoder().decode(bytes.subarray(at.specLength + 4, at.specLength + 4 + n));
};
const setFloat = (bytes, offset, value) => {
  const b = bytes.slice();
  new DataView(b.buffer).setFloat32(offset, value, true);
  return withCrc(b);
};

const rows = [];
const row = (entry, name, run, expect) => rows.push({ entry, name, run, expect });
const spec_ = (name, s, fields = {}) =>
  row('sequential', name, ({ cl }) => cl.sequential(s), { name: 'SpecError', kind: 'spec', ...fields });
const option = (i, opt, value, fields = {}) =>
  spec_(
    `layer ${i} ${opt}: ${typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value))}`,
    layer(i, { [opt]: value }),
    {
      layerIndex: i,
      option: opt,
      ...fields,
    },
  );

// ---- the model spec
row('sequential', 'no spec', ({ cl }) => cl.sequential(undefined), { name: 'SpecError', kind: 'spec' });
row('sequential', 'a number', ({ cl }) => cl.sequential(5), { name: 'SpecError', kind: 'spec' });
spec_('text that is not JSON', 'conv2d please', { code: 'json' });
spec_('truncated JSON text', '{"inputShape": [6, 6, 1], "layers": [', { code: 'json' });
spec_('JSON nested 100 deep', '['.repeat(100) + ']'.repeat(100), { code: 'json' });
spec_('a JSON array', '[]');
spec_('an empty object', {});
spec_('no layers', { inputShape: [6, 6, 1] }, { option: 'layers' });
spec_('an empty layer list', spec({ layers: [] }), { option: 'layers' });
spec_('layers as a string', spec({ layers: 'conv2d' }), { option: 'layers' });
spec_('inputShape missing', { layers: SPEC.layers }, { option: 'inputShape' });
spec_('inputShape a string', spec({ inputShape: '28x28' }), { option: 'inputShape' });
spec_('inputShape with a zero', spec({ inputShape: [0, 6, 1] }), { option: 'inputShape' });
spec_('inputShape negative', spec({ inputShape: [6, -6, 1] }), { option: 'inputShape' });
spec_('inputShape fractional', spec({ inputShape: [6, 6, 1.5] }), { option: 'inputShape' });
spec_('inputShape huge', spec({ inputShape: [1e9, 6, 1] }), { option: 'inputShape' });
spec_('inputShape of strings', spec({ inputShape: ['6', '6', '1'] }), { option: 'inputShape' });
spec_('inputShape of five', spec({ inputShape: [6, 6, 1, 1, 1] }), { option: 'inputShape' });
spec_('a layer that is a number', layer(0, 5), { layerIndex: 0 });
spec_('a layer that is null', layer(3, null), { layerIndex: 3 });
spec_('a layer without type', layer(0, { type: undefined }), { layerIndex: 0, option: 'type' });
spec_('a layer type that is a number', layer(0, { type: 7 }), { layerIndex: 0, option: 'type' });
spec_('an unknown layer type', layer(5, { type: 'dense3d' }), {
  layerIndex: 5,
  option: 'type',
  value: 'dense3d',
});
spec_('type __proto__', layer(1, { type: '__proto__' }), { layerIndex: 1, option: 'type' });
spec_('type toString', layer(1, { type: 'toString' }), { layerIndex: 1, option: 'type' });
spec_('type in the wrong case', layer(5, { type: 'Dense' }), { layerIndex: 5, option: 'type' });
spec_('a hostile type name', layer(0, { type: '<img src=x onerror=alert(1)>' }), {
  layerIndex: 0,
  option: 'type',
});
spec_(
  'flatten of a flat input',
  { inputShape: [6, 6, 1], layers: [{ type: 'flatten' }, { type: 'flatten' }] },
  { layerIndex: 1 },
);
spec_(
  'conv2d on a vector',
  { inputShape: [6, 6, 1], layers: [{ type: 'flatten' }, { type: 'conv2d', filters: 1, kernelSize: 1 }] },
  { layerIndex: 1 },
);
spec_(
  'globalMaxPooling2d on a vector',
  {
    inputShape: [6, 6, 1],
    layers: [{ type: 'dense', units: 2 }, { type: 'flatten' }, { type: 'globalMaxPooling2d' }],
  },
  { layerIndex: 2 },
);
// the layers beyond the classifier's, each option
const alone = (name, l, fields = {}) =>
  spec_(
    name,
    { inputShape: [6, 6, 1], layers: [{ type: 'conv2d', filters: 2, kernelSize: 1 }, l] },
    {
      layerIndex: 1,
      ...fields,
    },
  );
for (const padding of [
  -1,
  'x',
  [1, 2, 3],
  [
    [1, 2, 3],
    [0, 0],
  ],
  1.5,
])
  alone(
    `zeroPadding2d padding ${JSON.stringify(padding)}`,
    { type: 'zeroPadding2d', padding },
    { option: 'padding' },
  );
for (const cropping of [
  3,
  -1,
  [
    [0, 6],
    [0, 0],
  ],
  'x',
])
  alone(
    `cropping2d cropping ${JSON.stringify(cropping)}`,
    { type: 'cropping2d', cropping },
    { option: 'cropping' },
  );
alone('cropping2d without cropping', { type: 'cropping2d' }, { option: 'cropping' });
for (const size of [0, [2, 0], 'x', 1e6])
  alone(`upSampling2d size ${JSON.stringify(size)}`, { type: 'upSampling2d', size }, { option: 'size' });
alone(
  "upSampling2d interpolation 'bicubic'",
  { type: 'upSampling2d', interpolation: 'bicubic' },
  { option: 'interpolation', value: 'bicubic' },
);
for (const targetShape of [undefined, [5, 5], [-1, -1, 2], [0, 72], [1, 2, 3, 12], 'x', [2.5, 28.8]])
  alone(
    `reshape targetShape ${JSON.stringify(targetShape)}`,
    { type: 'reshape', targetShape },
    { option: 'targetShape' },
  );
alone('depthwiseConv2d without kernelSize', { type: 'depthwiseConv2d' }, { option: 'kernelSize' });
for (const [opt, value] of [
  ['depthMultiplier', 0],
  ['depthMultiplier', 1.5],
  ['strides', 0],
  ['padding', 'full'],
  ['padding', 1],
  ['activation', 'gelu'],
  ['useBias', 'yes'],
])
  alone(
    `depthwiseConv2d ${opt} ${JSON.stringify(value)}`,
    { type: 'depthwiseConv2d', kernelSize: 3, [opt]: value },
    {
      option: opt,
    },
  );
alone('depthwiseConv2d a 7x7 kernel on a 6x6 map', { type: 'depthwiseConv2d', kernelSize: 7 });
for (const [opt, value] of [
  ['filters', undefined],
  ['filters', 0],
  ['depthMultiplier', -1],
  ['kernelSize', [3, 0]],
  ['padding', 'full'],
])
  alone(
    `separableConv2d ${opt} ${JSON.stringify(value)}`,
    { type: 'separableConv2d', filters: 2, kernelSize: 3, [opt]: value },
    {
      option: opt,
    },
  );
for (const [opt, value] of [
  ['filters', undefined],
  ['filters', -2],
  ['kernelSize', undefined],
  ['strides', 0],
  ['padding', 'causal'],
  ['activation', 1],
])
  alone(
    `conv2dTranspose ${opt} ${JSON.stringify(value)}`,
    { type: 'conv2dTranspose', filters: 2, kernelSize: 2, [opt]: value },
    {
      option: opt,
    },
  );

// ---- too large for the engine's memory: refused before anything is
// allocated (MemoryError with the estimate and the limit in bytes)
const memory = { name: 'MemoryError', kind: 'memory' };
const memory_ = (entry, name, run, fields) =>
  row(entry, name, run, {
    ...memory,
    ...fields,
    check: (e) => e.bytesNeeded > e.bytesLimit && e.bytesLimit > 0,
    says: /[MG]B/, // the estimate and the limit in units a person reads
  });
const tooLarge = (name, s, fields) => memory_('sequential', name, ({ cl }) => cl.sequential(s), fields);
tooLarge(
  'too many parameters',
  { inputShape: [64, 64, 64], layers: [{ type: 'flatten' }, { type: 'dense', units: 4096 }] },
  { code: 'model-too-large', layerIndex: 1 },
);
tooLarge(
  'a dense layer of a million units',
  { inputShape: [16, 16, 1], layers: [{ type: 'flatten' }, { type: 'dense', units: 1000000 }] },
  { code: 'model-too-large', layerIndex: 1 },
);
tooLarge(
  'a conv2d of 65536 filters on 512 channels',
  {
    inputShape: [6, 6, 512],
    layers: [
      { type: 'conv2d', filters: 65536, kernelSize: 3 },
      { type: 'flatten' },
      { type: 'dense', units: 2 },
    ],
  },
  { code: 'model-too-large', layerIndex: 0 },
);
memory_(
  'sequential',
  'an output too large per example',
  ({ cl }) =>
    cl.sequential({
      inputShape: [4096, 4096, 1],
      layers: [{ type: 'conv2d', filters: 2, kernelSize: 1 }, { type: 'flatten' }],
    }),
  { code: 'layer-output-too-large', layerIndex: 0 },
);
// A model of 41M weights: 656 MB with SGD, gradients and fit's checkpoints,
// 1.6 GB with Adam's two moments. Built (and freed) by the row itself.
const WIDE = { inputShape: [64, 64, 4], layers: [{ type: 'flatten' }, { type: 'dense', units: 2500 }] };
// A model that fits at batch 1 but whose batch of 64 (150 MB of activations
// an example) does not.
const DEEP = {
  inputShape: [64, 64, 1],
  layers: [
    { type: 'conv2d', filters: 3000, kernelSize: 3, padding: 'same', activation: 'relu' },
    { type: 'globalAveragePooling2d' },
    { type: 'dense', units: 2 },
  ],
};
const DEEP_X = () => ({ data: new Float32Array(64 * 4096).fill(0.5), shape: [64, 64, 64, 1] });
const DEEP_Y = () => new Int32Array(64).map((_, i) => i % 2);
// Runs call on a fresh model of spec, which must refuse and keep its saved
// bytes (weights, optimizer state) bit-identical; the model is freed after.
async function refusedBy(cl, spec, compile, call) {
  const m = await cl.sequential(spec);
  try {
    await m.compile(compile);
    const before = await m.save();
    let error = null;
    try {
      await call(m);
    } catch (e) {
      error = e;
    }
    const after = await m.save();
    if (before.length !== after.length || before.some((v, i) => v !== after[i]))
      throw Object.assign(new Error('a refused call changed the model'), { code: 'ERR_ASSERTION' });
    if (!error) return; // checkRow reports that the call did not fail
    throw error;
  } finally {
    await m.dispose();
  }
}
memory_(
  'compile',
  'adam on a model whose moments do not fit',
  ({ cl }) => refusedBy(cl, WIDE, { optimizer: 'sgd' }, (m) => m.compile({ optimizer: 'adam' })),
  { code: 'model-too-large', layerIndex: 1 },
);
memory_(
  'fit',
  'a batch whose activations do not fit',
  ({ cl }) =>
    refusedBy(cl, DEEP, { optimizer: 'adam' }, (m) =>
      m.fit(DEEP_X(), DEEP_Y(), { batchSize: 64, epochs: 1 }),
    ),
  { code: 'batch-too-large', layerIndex: 0, option: 'batchSize', value: 64 },
);
memory_(
  'trainOnBatch',
  'a batch whose activations do not fit',
  ({ cl }) => refusedBy(cl, DEEP, { optimizer: 'adam' }, (m) => m.trainOnBatch(DEEP_X(), DEEP_Y())),
  { code: 'batch-too-large', layerIndex: 0, option: 'batchSize', value: 64 },
);
// A model whose one output per example is 16.8M floats (67 MB): 16 examples'
// outputs alone are 1 GB, though the images are 16 floats.
const UPSAMPLE = { inputShape: [1, 1, 1], layers: [{ type: 'upSampling2d', size: [4096, 4096] }] };
memory_(
  'predict',
  'outputs of a call that do not fit',
  ({ cl }) =>
    refusedBy(cl, UPSAMPLE, { optimizer: 'sgd', loss: 'meanSquaredError' }, (m) =>
      m.predict({ data: new Float32Array(16).fill(0.5), shape: [16, 1, 1, 1] }),
    ),
  { code: 'input-too-large', layerIndex: 0 },
);
row('sequential', 'a negative seed', ({ cl }) => cl.sequential(SPEC, { seed: -1 }), {
  name: 'SpecError',
  kind: 'spec',
});
row('sequential', 'a NaN seed', ({ cl }) => cl.sequential(SPEC, { seed: NaN }), {
  name: 'SpecError',
  kind: 'spec',
});

// ---- each option of each layer
for (const v of [0, -1, 1.5, '2', true, [2], 1e9]) option(0, 'filters', v);
for (const v of [0, -3, 2.5, 'three', [3], [3, 3, 3], 7, [3, 9], 1e6]) option(0, 'kernelSize', v);
for (const v of [0, -1, 1.5, [1, 0], 'one']) option(0, 'strides', v);
for (const v of ['full', 'SAME', -1, [1, 2, 3], true, 3]) option(0, 'padding', v);
for (const v of ['swish', 5, 'ReLU']) option(0, 'activation', v);
option(0, 'kernelInitializer', 'lecunNormal');
option(0, 'kernelInitializer', 3);
option(0, 'biasInitializer', 'randomNormal');
spec_('leakyRelu conv with alpha 0', layer(0, { activation: 'leakyRelu', alpha: 0 }), {
  layerIndex: 0,
  option: 'alpha',
  value: 0,
});
// every layer with an activation refuses a slope of 0 with the value it got
for (const type of ['depthwiseConv2d', 'separableConv2d', 'conv2dTranspose'])
  alone(
    `${type} leakyRelu with alpha 0`,
    {
      type,
      kernelSize: 2,
      ...(type === 'depthwiseConv2d' ? {} : { filters: 2 }),
      activation: 'leakyRelu',
      alpha: 0,
    },
    { option: 'alpha', value: 0 },
  );
option(0, 'useBias', 'yes');
for (const v of [1, -0.5, 'high']) option(1, 'momentum', v);
for (const v of [0, -1e-3]) option(1, 'epsilon', v);
for (const v of [1, 2]) option(1, 'axis', v);
option(1, 'scale', 'no');
option(1, 'center', 0);
for (const v of [0, -2, 1.5, 7, [2, 0]]) option(2, 'poolSize', v);
option(2, 'strides', 0);
option(2, 'padding', 'full');
spec_('average pooling with explicit padding', layer(2, { type: 'averagePooling2d', padding: 1 }), {
  layerIndex: 2,
  option: 'padding',
});
spec_('average pooling window larger than its input', layer(2, { type: 'averagePooling2d', poolSize: 5 }), {
  layerIndex: 2,
  option: 'poolSize',
});
for (const v of [-0.1, 1, 2, 'half']) option(4, 'rate', v);
spec_('dropout without rate', layer(4, { type: 'dropout', rate: undefined }), {
  layerIndex: 4,
  option: 'rate',
});
for (const v of [0, -1, 2.5, '3', 1e9]) option(5, 'units', v);
spec_('dense without units', layer(5, { type: 'dense', units: undefined }), {
  layerIndex: 5,
  option: 'units',
});
option(5, 'activation', 'softplus');
option(5, 'kernelInitializer', 'orthogonal');
spec_('activation layer with a bad activation', layer(3, { type: 'activation', activation: 'gelu' }), {
  layerIndex: 3,
  option: 'activation',
});
spec_('leakyReLU with alpha -1', layer(3, { type: 'leakyReLU', alpha: -1 }), {
  layerIndex: 3,
  option: 'alpha',
});
spec_('leakyReLU with alpha as text', layer(3, { type: 'leakyReLU', alpha: 'x' }), {
  layerIndex: 3,
  option: 'alpha',
});

// ---- compile configs and every hyperparameter
const compile_ = (name, config, fields = {}) =>
  row('compile', name, ({ model }) => model.compile(config), {
    name: 'SpecError',
    kind: 'config',
    ...fields,
  });
const hyper = (type, key, value, fields = {}) =>
  compile_(
    `${type} ${key}: ${JSON.stringify(value) ?? String(value)}`,
    { optimizer: { type, [key]: value } },
    {
      option: key,
      ...fields,
    },
  );
compile_('a number', 5);
compile_('an array', []);
compile_('optimizer a number', { optimizer: 5 }, { option: 'optimizer' });
compile_('an unknown optimizer', { optimizer: 'adamw' }, { option: 'type', value: 'adamw' });
compile_('optimizer type a number', { optimizer: { type: 1 } }, { option: 'type' });
compile_('an unknown loss', { loss: 'hinge' }, { option: 'loss', value: 'hinge' });
compile_('loss a number', { loss: 3 }, { option: 'loss' });
compile_(
  'binary cross-entropy on a softmax net',
  { loss: 'binaryCrossentropy' },
  { option: 'loss', layerIndex: 5 },
);
for (const v of [0, -0.1, 101, 1e9, 'fast', true]) hyper('sgd', 'learningRate', v);
for (const v of [1, -0.1, 2, 'x']) hyper('momentum', 'momentum', v);
hyper('momentum', 'useNesterov', 'yes');
for (const v of [1, -0.5]) hyper('adam', 'beta1', v);
for (const v of [1, 1.5]) hyper('adam', 'beta2', v);
for (const v of [0, 2]) hyper('adam', 'epsilon', v);
hyper('rmsprop', 'decay', 1);
hyper('rmsprop', 'momentum', -1);
hyper('rmsprop', 'centered', 1);
hyper('adadelta', 'rho', 1.01);
for (const v of [-0.01, 2, 'x']) hyper('sgd', 'l2', v);
const rate = (v) =>
  row('setLearningRate', String(v), ({ model }) => model.setLearningRate(v), {
    name: 'InputError',
    kind: 'config',
    option: 'learningRate',
  });
for (const v of [0, -1, -Infinity, Infinity, NaN]) rate(v);

// ---- fit, trainOnBatch, predict, evaluate data
const fit_ = (name, run, fields = {}) =>
  row('fit', name, run, { name: 'InputError', kind: 'input', ...fields });
fit_('no x', ({ model }) => model.fit(undefined, Y));
fit_('no y', ({ model }) => model.fit(x(), undefined));
fit_('x with the wrong example shape', ({ model }) => model.fit({ data: X, shape: [N, 6, 3, 2] }, Y));
fit_('x with a length that is no whole number of examples', ({ model }) => model.fit(X.subarray(0, 100), Y));
fit_('x data shorter than its shape', ({ model }) =>
  model.fit({ data: X.subarray(0, 35), shape: [N, 6, 6, 1] }, Y),
);
fit_('x of zero examples', ({ model }) => model.fit({ data: new Float32Array(0), shape: [0, 6, 6, 1] }, Y));
fit_('x as a string', ({ model }) => model.fit('pixels', Y));
fit_('labels one short', ({ model }) => model.fit(x(), Y.subarray(1)));
fit_('labels one too many', ({ model }) => model.fit(x(), Int32Array.from([...Y, 0])));
fit_(
  'a label out of range',
  ({ model }) =>
    model.fit(
      x(),
      Int32Array.from(Y, (v, i) => (i === 4 ? 3 : v)),
    ),
  {
    index: 4,
    value: 3,
  },
);
fit_(
  'a negative label',
  ({ model }) =>
    model.fit(
      x(),
      Int32Array.from(Y, (v, i) => (i === 2 ? -1 : v)),
    ),
  {
    index: 2,
    value: -1,
  },
);
fit_(
  'a fractional label',
  ({ model }) =>
    model.fit(
      x(),
      [...Y].map((v, i) => (i === 1 ? 1.5 : v)),
    ),
  { index: 1 },
);
fit_('a NaN label', ({ model }) =>
  model.fit(
    x(),
    [...Y].map((v, i) => (i === 0 ? NaN : v)),
  ),
);
fit_('labels of strings', ({ model }) => model.fit(x(), [...Y].map(String)));
fit_('target rows with NaN', ({ model }) => model.fit(x(), new Float32Array(N * 3).fill(NaN)));
fit_('NaN in x', ({ model }) =>
  model.fit(
    withX((v, i) => (i === 40 ? NaN : v)),
    Y,
  ),
);
fit_('Infinity in x', ({ model }) =>
  model.fit(
    withX((v, i) => (i === 0 ? Infinity : v)),
    Y,
  ),
);
fit_('-Infinity in x', ({ model }) =>
  model.fit(
    withX((v, i) => (i === N * 36 - 1 ? -Infinity : v)),
    Y,
  ),
);
for (const [k, v] of [
  ['batchSize', 0],
  ['batchSize', -8],
  ['batchSize', 2.5],
  ['batchSize', '8'],
  ['epochs', -1],
  ['epochs', 1.5],
  ['epochs', Infinity],
  ['initialEpoch', -1],
  ['validationSplit', 1],
  ['validationSplit', -0.2],
  ['validationSplit', NaN],
  ['validationSplit', 0.99],
  ['checkpointEveryMs', -5],
])
  fit_(`${k}: ${String(v)}`, ({ model }) => model.fit(x(), Y, { [k]: v }));
fit_('validationData with the wrong shape', ({ model }) =>
  model.fit(x(), Y, { validationData: [{ data: X, shape: [N, 36, 1, 1] }, Y] }),
);
fit_('validationData labels out of range', ({ model }) =>
  model.fit(x(), Y, { validationData: [x(), Y.map(() => 9)] }),
);
const batch_ = (name, run, fields = {}) =>
  row('trainOnBatch', name, run, { name: 'InputError', kind: 'input', ...fields });
batch_('no x', ({ model }) => model.trainOnBatch(undefined, Y));
batch_('labels for another batch', ({ model }) => model.trainOnBatch(x(4), Y));
batch_('a label out of range', ({ model }) => model.trainOnBatch(x(3), Int32Array.from([0, 1, 5])), {
  index: 2,
});
batch_('NaN in x', ({ model }) => model.trainOnBatch(x(3, X.slice(0, 108).fill(NaN)), Y.subarray(0, 3)));
batch_('target rows of the wrong width', ({ model }) => model.trainOnBatch(x(3), new Float32Array(3 * 4)));
batch_('an empty batch', ({ model }) =>
  model.trainOnBatch({ data: new Float32Array(0), shape: [0, 6, 6, 1] }, []),
);
const predict_ = (name, run, fields = {}) =>
  row('predict', name, run, { name: 'InputError', kind: 'input', ...fields });
predict_('no x', ({ model }) => model.predict(undefined));
predict_('an image of another size', ({ model }) =>
  model.predict({ data: new Float32Array(28 * 28), shape: [1, 28, 28, 1] }),
);
predict_('an RGB image for a gray model', ({ model }) =>
  model.predict({ data: new Float32Array(108), shape: [6, 6, 3] }),
);
predict_('an image without its channel axis', ({ model }) =>
  model.predict({ data: new Float32Array(36), shape: [6, 6] }),
);
predict_('a flat array of a wrong length', ({ model }) => model.predict(new Float32Array(35)));
predict_('an empty array', ({ model }) => model.predict(new Float32Array(0)));
predict_('NaN pixels', ({ model }) => model.predict(x(2, new Float32Array(72).fill(NaN))));
predict_('Infinity pixels', ({ model }) => model.predict(x(1, new Float32Array(36).fill(Infinity))));
predict_('a shape that is not a list', ({ model }) =>
  model.predict({ data: new Float32Array(36), shape: '6x6x1' }),
);
predict_('a shape with a fraction', ({ model }) =>
  model.predict({ data: new Float32Array(36), shape: [1, 6, 6, 1.0001] }),
);
predict_('data that is not numbers', ({ model }) => model.predict({ data: 'pixels', shape: [1, 6, 6, 1] }));
const evaluate_ = (name, run, fields = {}) =>
  row('evaluate', name, run, { name: 'InputError', kind: 'input', ...fields });
evaluate_('no labels', ({ model }) => model.evaluate(x(), undefined));
evaluate_('labels one short', ({ model }) => model.evaluate(x(), Y.subarray(1)));
evaluate_('a label out of range', ({ model }) =>
  model.evaluate(
    x(),
    Int32Array.from(Y, (v) => v + 1),
  ),
);
evaluate_('x of another shape', ({ model }) => model.evaluate({ data: X, shape: [N, 3, 12, 1] }, Y));
evaluate_('NaN in x', ({ model }) =>
  model.evaluate(
    withX(() => NaN),
    Y,
  ),
);

// ---- weights
const weights_ = (name, run, fields = {}) => row('setWeights', name, run, { name: 'InputError', ...fields });
weights_('not a list', ({ model }) => model.setWeights('weights'));
weights_('one tensor short', async ({ model }) => model.setWeights((await model.getWeights()).slice(1)));
weights_('one tensor too many', async ({ model }) => {
  const w = await model.getWeights();
  return model.setWeights([...w, w[0]]);
});
weights_('a kernel of the wrong shape', async ({ model }) => {
  const w = await model.getWeights();
  w[0] = { data: w[0].data.slice(0, 9), shape: [3, 3, 1, 1] };
  return model.setWeights(w);
});
weights_('a kernel with NaN', async ({ model }) => {
  const w = await model.getWeights();
  w[0] = { data: w[0].data.map(() => NaN), shape: w[0].shape };
  return model.setWeights(w);
});
weights_('a bias with Infinity', async ({ model }) => {
  const w = await model.getWeights();
  w[1] = { data: w[1].data.map(() => Infinity), shape: w[1].shape };
  return model.setWeights(w);
});
weights_('a layer kernel with too few values', async ({ model }) => {
  const [k, b] = await model.layers[0].getWeights();
  return model.layers[0].setWeights([{ data: k.data.slice(1), shape: k.shape }, b]);
});
weights_('a layer kernel with -Infinity', async ({ model }) => {
  const [k, b] = await model.layers[5].getWeights();
  return model.layers[5].setWeights([
    { data: k.data.map((v, i) => (i === 3 ? -Infinity : v)), shape: k.shape },
    b,
  ]);
});
weights_('weights for a layer that has none', ({ model }) =>
  model.layers[3].setWeights([{ data: new Float32Array(1), shape: [1] }]),
);
weights_('a layer given one tensor of two', async ({ model }) =>
  model.layers[0].setWeights([(await model.layers[0].getWeights())[0]]),
);

// ---- model files
const file_ = (name, bytesOf, fields = {}) =>
  row('load', name, ({ cl, bytes }) => cl.load(bytesOf(bytes)), {
    name: 'SpecError',
    kind: 'file',
    ...fields,
  });
row('load', 'not bytes', ({ cl }) => cl.load('model.clmodel'), { name: 'SpecError', kind: 'spec' });
row('load', 'null', ({ cl }) => cl.load(null), { name: 'SpecError', kind: 'spec' });
file_('an empty file', () => new Uint8Array(0), { code: 'truncated' });
file_('3 bytes', () => new Uint8Array([67, 76, 77]), { code: 'truncated' });
file_('a PNG', (b) => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, ...b.subarray(4)]), { code: 'notAModel' });
file_('a dataset file', (b) => Uint8Array.from([67, 76, 68, 83, ...b.subarray(4)]), { code: 'notAModel' });
file_('version 2', (b) => setU32(b, 4, 2), { code: 'version', value: 2 });
file_('version 0', (b) => setU32(b, 4, 0), { code: 'version', value: 0 });
file_('unknown flags', (b) => setU32(b, 8, 6), { option: 'flags' });
file_('no optimizer flag, optimizer bytes left', (b) => setU32(b, 8, 0), { option: 'checksum' });
const boundaries = ['seed', 'specLength', 'compileLength', 'weightCount', 'stateCount', 'optimizerCount'];
for (const s of boundaries) {
  file_(`cut at the ${s} boundary`, (b) => withCrc(b.slice(0, sections(b)[s] + 4)), {});
  file_(`cut just inside the ${s} section`, (b) => withCrc(b.slice(0, sections(b)[s] + 6)), {});
}
file_('cut inside the first optimizer buffer', (b) => withCrc(b.slice(0, sections(b).buffers[0] + 10)), {
  code: 'truncated',
});
file_('the checksum cut short', (b) => b.slice(0, b.length - 2), {});
file_(
  'a flipped checksum bit',
  (b) => {
    const c = b.slice();
    c[c.length - 1] ^= 0x10;
    return c;
  },
  { code: 'checksum' },
);
file_(
  'a flipped weight bit, checksum kept',
  (b) => {
    const c = b.slice();
    c[sections(b).weightCount + 9] ^= 1;
    return c;
  },
  { code: 'checksum' },
);
file_('a spec length of 4 GB', (b) => setU32(b, sections(b).specLength, 0xffffffff), {
  code: 'truncated',
  option: 'spec',
});
file_('a compile length of 2 GB', (b) => setU32(b, sections(b).compileLength, 0x80000000), {
  code: 'truncated',
});
file_('a weight count of a billion', (b) => setU32(b, sections(b).weightCount, 1e9), { code: 'truncated' });
file_('a state count of 4 billion', (b) => setU32(b, sections(b).stateCount, 0xffffffff), {
  code: 'truncated',
});
file_('a million optimizer buffers', (b) => setU32(b, sections(b).optimizerCount, 1e6), {
  option: 'optimizer state',
});
file_('a buffer length of 4 GB', (b) => setU32(b, sections(b).buffers[0], 0xffffffff), { code: 'truncated' });
file_('a NaN weight', (b) => setFloat(b, sections(b).weightCount + 4, NaN), { option: 'weight', index: 0 });
file_('an Infinity state value', (b) => setFloat(b, sections(b).stateCount + 8, Infinity), {
  option: 'state',
  index: 1,
});
file_('a NaN optimizer value', (b) => setFloat(b, sections(b).buffers.at(-1) + 4, NaN), {
  option: 'optimizer state',
});
file_('a spec that is not JSON', (b) => replaceText(b, 'spec', '{"inputShape": [6, 6'), { code: 'json' });
file_('a compile config that is not JSON', (b) => replaceText(b, 'compile', 'adam'), { code: 'json' });
file_(
  'a spec with a bad layer',
  (b) => replaceText(b, 'spec', specText(b).replace('"units":3', '"units":-3')),
  {
    layerIndex: 5,
    option: 'units',
  },
);
file_('an unknown optimizer inside', (b) => replaceText(b, 'compile', '{"optimizer": {"type": "lion"}}'), {
  option: 'type',
});
file_(
  'a spec with fewer weights than stored',
  (b) => replaceText(b, 'spec', specText(b).replace('"filters":2', '"filters":1')),
  { option: 'weights' },
);
file_(
  'a spec with more weights than stored',
  (b) => replaceText(b, 'spec', specText(b).replace('"units":3', '"units":4').replace('[6,6,1]', '[6,6,1]')),
  { option: 'weights' },
);
file_(
  'trailing bytes',
  (b) => withCrc(Uint8Array.from([...b.subarray(0, b.length - 4), 0, 0, 0, 0, 0, 0, 0, 0])),
  {
    option: 'checksum',
  },
);

// ---- foreign model files and exports (what the format cannot carry)
addInteropRows(row);

export function catalogue() {
  const names = new Set();
  for (const r of rows) {
    const key = `${r.entry}: ${r.name}`;
    if (names.has(key)) throw new Error(`the catalogue has ${key} twice`);
    names.add(key);
  }
  return rows;
}
