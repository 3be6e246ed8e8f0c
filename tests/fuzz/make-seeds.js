// Seed corpora for the libFuzzer targets, made at test time from real
// models: the page's presets and small nets using every layer and
// optimizer, built, stepped once (so optimizer state is saved too) and
// saved by the wasm module, plus the pre-trained model the page ships.
// Writes <out>/model/*.clmodel, <out>/spec/*.json and <out>/spec.dict.
// Usage: node tests/fuzz/make-seeds.js build/fuzz/seeds
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConvolab } from '../../bindings/convolab.js';
import { PRESETS } from '../../web/src/presets.js';
import { dataDir } from '../support/paths.js';

const out = process.argv[2] ?? 'build/fuzz/seeds';
mkdirSync(join(out, 'model'), { recursive: true });
mkdirSync(join(out, 'spec'), { recursive: true });

const OPTIMIZERS = [
  { type: 'sgd', learningRate: 0.01 },
  { type: 'momentum', learningRate: 0.01, momentum: 0.9, useNesterov: true },
  { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, l2: 0.001 },
  { type: 'rmsprop', learningRate: 0.001, decay: 0.9, momentum: 0.1, centered: true },
  { type: 'adadelta', learningRate: 1, rho: 0.95 },
];
const SMALL = [
  [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }],
  [
    { type: 'conv2d', filters: 2, kernelSize: [3, 2], strides: [1, 2], padding: 'same', activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2, padding: 1 },
    { type: 'batchNormalization', momentum: 0.9, scale: false },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.25 },
    { type: 'dense', units: 3 },
  ],
  [
    { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1, activation: 'leakyRelu', alpha: 0.1 },
    { type: 'averagePooling2d', poolSize: 2, padding: 'same' },
    { type: 'activation', activation: 'tanh' },
    { type: 'leakyReLU', alpha: 0.3 },
    { type: 'reLU' },
    { type: 'flatten' },
    { type: 'dense', units: 3, kernelInitializer: 'heNormal', biasInitializer: 'ones' },
    { type: 'softmax' },
  ],
  [{ type: 'flatten' }, { type: 'dense', units: 1, activation: 'sigmoid' }],
  [
    {
      type: 'zeroPadding2d',
      padding: [
        [1, 0],
        [0, 1],
      ],
    },
    { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2, activation: 'relu' },
    { type: 'separableConv2d', filters: 2, kernelSize: 2, padding: 'same' },
    { type: 'globalMaxPooling2d' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
  // a feature-map output, trained with mean squared error
  [
    { type: 'conv2dTranspose', filters: 2, kernelSize: 2, strides: 2 },
    { type: 'cropping2d', cropping: 1 },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'upSampling2d', size: [2, 1], interpolation: 'bilinear' },
    { type: 'reshape', targetShape: [20, 4, 1] },
  ],
];
const lossOf = (layers) => {
  const last = layers.at(-1);
  if (last.type === 'reshape') return 'meanSquaredError';
  return last.units === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy';
};

const cl = await loadConvolab();
const specs = [];
SMALL.forEach((layers, i) => {
  const loss = lossOf(layers);
  specs.push({ name: `small${i}`, spec: { inputShape: [6, 5, 2], layers }, loss });
});
for (const [name, p] of Object.entries(PRESETS))
  specs.push({ name, spec: { inputShape: [28, 28, 1], layers: p.layers } });

let models = 0;
for (const [i, { name, spec, loss }] of specs.entries()) {
  const optimizer = OPTIMIZERS[i % OPTIMIZERS.length];
  const compile = loss ? { optimizer, loss } : { optimizer };
  writeFileSync(join(out, 'spec', `${name}.json`), JSON.stringify({ ...spec, compile }));
  if (!name.startsWith('small')) continue; // presets are large files: mutations would mostly land in weights
  const m = cl.sequential(spec, { seed: i + 1 });
  m.compile(compile);
  const n = 2,
    size = spec.inputShape.reduce((a, b) => a * b);
  const targets =
    loss === 'meanSquaredError'
      ? new Float32Array(n * m.outputShape.reduce((a, b) => a * b)).fill(0.5)
      : Int32Array.from([0, 1]);
  m.trainOnBatch(
    { data: new Float32Array(n * size).map((_, j) => (j % 5) / 5), shape: [n, ...spec.inputShape] },
    targets,
  );
  writeFileSync(join(out, 'model', `${name}.clmodel`), m.save());
  writeFileSync(join(out, 'model', `${name}-no-optimizer.clmodel`), m.save({ includeOptimizer: false }));
  m.dispose();
  models += 2;
}
const pretrained = join(dataDir, 'pretrained-mnist.clmodel');
if (existsSync(pretrained)) {
  copyFileSync(pretrained, join(out, 'model', 'pretrained-mnist.clmodel'));
  models++;
}

// A dictionary of the spec language, so mutations speak it.
const words = new Set([
  '"inputShape"',
  '"layers"',
  '"type"',
  '"compile"',
  '"optimizer"',
  '"loss"',
  'true',
  'false',
  'null',
]);
const walk = (v) => {
  if (Array.isArray(v)) v.forEach(walk);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      words.add(JSON.stringify(k));
      walk(x);
    }
  else if (typeof v === 'string') words.add(JSON.stringify(v));
};
specs.forEach((s) => walk(s.spec));
OPTIMIZERS.forEach(walk);
for (const w of [
  '"same"',
  '"valid"',
  '"sparseCategoricalCrossentropy"',
  '"meanSquaredError"',
  '"glorotUniform"',
  '"zeros"',
])
  words.add(w);
writeFileSync(join(out, 'spec.dict'), [...words].map((w) => JSON.stringify(w)).join('\n') + '\n');
console.log(`fuzz seeds: ${models} models, ${specs.length} specs, ${words.size} dictionary words in ${out}`);
