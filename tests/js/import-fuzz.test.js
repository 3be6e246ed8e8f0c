// A seeded fuzz loop over the model importers: cl.importTfjs (model.json +
// weights.bin, the files a user opens from TensorFlow.js or Keras) and cl.load
// (the .clmodel loader, whose engine side libFuzzer also runs). Every mutation
// of a real exported model must either be refused with a ConvolabError (its
// kind and code say what) or open as a model that predicts finite numbers of
// the shape it claims; never another exception, a hang or a crash. Seeded, so
// a failure reproduces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConvolabError, loadConvolab } from '../../bindings/convolab.js';
import { seededRandom } from '../../bindings/seeded-random.js';

const cl = await loadConvolab();
const CASES = 4000;

const rng = seededRandom;

// Small models over many layer types, so each case costs little.
const SEEDS = [
  [
    { type: 'conv2d', filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' },
    { type: 'batchNormalization' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
  [
    { type: 'zeroPadding2d', padding: 1 },
    { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2 },
    { type: 'separableConv2d', filters: 2, kernelSize: 2, padding: 'same' },
    { type: 'conv2dTranspose', filters: 2, kernelSize: 2, strides: 2 },
    { type: 'cropping2d', cropping: 1 },
    { type: 'upSampling2d', size: 2, interpolation: 'bilinear' },
    { type: 'globalMaxPooling2d' },
    { type: 'dense', units: 2 },
  ],
  [
    { type: 'reshape', targetShape: [-1] },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 4 },
  ],
];

const models = await Promise.all(
  SEEDS.map(async (layers, i) => {
    const m = cl.sequential({ inputShape: [6, 6, 1], layers }, { seed: i + 1 });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const tfjs = await m.exportTfjs();
    const clmodel = m.save();
    m.dispose();
    return { tfjs, clmodel };
  }),
);

// A value of another kind, or an extreme of the same kind.
function wildValue(r) {
  const pool = [
    null,
    -1,
    0,
    1e9,
    -1e308,
    NaN,
    'x',
    '',
    [],
    {},
    [1, 2, 3],
    true,
    '<img src=x onerror=alert(1)>',
  ];
  return pool[Math.floor(r() * pool.length)];
}

// Replaces, deletes or adds one entry somewhere in a JSON tree.
function mutateJson(value, r, depth = 0) {
  if (value === null || typeof value !== 'object') return r() < 0.5 ? wildValue(r) : value;
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  const copy = Array.isArray(value) ? [...value] : { ...value };
  if (!keys.length || (depth > 0 && r() < 0.15)) return wildValue(r);
  const key = keys[Math.floor(r() * keys.length)];
  const roll = r();
  if (roll < 0.15) {
    if (Array.isArray(copy)) copy.splice(key, 1);
    else delete copy[key];
  } else if (roll < 0.25 && Array.isArray(copy)) copy.push(copy[key]);
  else copy[key] = mutateJson(copy[key], r, depth + 1);
  return copy;
}

function mutateBytes(bytes, r) {
  const b = Uint8Array.from(bytes);
  const roll = r();
  if (roll < 0.3) return b.subarray(0, Math.floor(r() * b.length));
  if (roll < 0.4) return Uint8Array.from([...b, ...b.subarray(0, 1 + Math.floor(r() * 16))]);
  for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++)
    b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
  return b;
}

// The model that opened must answer as it claims.
function checkOpened(model, what) {
  const n = 2;
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  assert.ok(size > 0 && size < 1e6, `${what}: input shape ${model.inputShape}`);
  const out = model.predict({ data: new Float32Array(n * size).fill(0.5), shape: [n, ...model.inputShape] });
  assert.equal(out.data.length, n * model.outputShape.reduce((a, b) => a * b, 1), `${what}: output length`);
  model.dispose();
}

async function attempt(what, open, counts) {
  let model;
  try {
    model = await open();
  } catch (e) {
    if (!(e instanceof ConvolabError)) throw new Error(`${what}: ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(typeof e.kind, 'string', `${what}: the error has a kind`);
    counts.refused++;
    return;
  }
  counts.opened++;
  checkOpened(model, what);
}

test(`${CASES} mutated tfjs models (model.json and weights.bin) are refused with a ConvolabError or open and predict`, async () => {
  const r = rng(20261202);
  const counts = { opened: 0, refused: 0 };
  for (let i = 0; i < CASES; i++) {
    const { tfjs } = models[i % models.length];
    const json = r() < 0.75 ? mutateJson(tfjs.modelJSON, r) : tfjs.modelJSON;
    const weights =
      r() < 0.4 || json === tfjs.modelJSON
        ? mutateBytes(new Uint8Array(tfjs.weightData), r)
        : tfjs.weightData;
    await attempt(`tfjs case ${i}`, () => cl.importTfjs(json, weights), counts);
  }
  console.log(
    `importTfjs fuzz: ${CASES} cases, ${counts.refused} refused, ${counts.opened} opened and predicted`,
  );
  assert.ok(counts.refused > CASES / 4 && counts.opened > 0, JSON.stringify(counts));
});

test(`${CASES} mutated .clmodel files are refused with a ConvolabError or open and predict`, async () => {
  const r = rng(7);
  const counts = { opened: 0, refused: 0 };
  for (let i = 0; i < CASES; i++) {
    const bytes = mutateBytes(models[i % models.length].clmodel, r);
    await attempt(`clmodel case ${i}`, () => cl.load(bytes), counts);
  }
  console.log(`load fuzz: ${CASES} cases, ${counts.refused} refused, ${counts.opened} opened and predicted`);
  assert.ok(counts.refused > CASES / 2, JSON.stringify(counts));
});
