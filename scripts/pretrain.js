// Trains the page's pre-trained digit model with our own engine under Node:
// the reference net on the 8,000 MNIST training digits (each epoch shuffled
// and shifted by up to 2 px, so hand-drawn digits off-centre still work),
// then measured on the 2,000 held-out digits. Deterministic (fixed seeds).
//
// Writes data/pretrained-mnist.clmodel (the engine's format, Model.save)
// and data/pretrained-mnist.json
// ({ inputsHash, accuracy, ... }). Skips training when the inputs are
// unchanged and the cached model still scores what it scored when made
// (so an engine change that breaks it forces a retrain).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConvolab } from '../bindings/convolab.js';
import { decodeDataset } from '../bindings/dataset.js';
import { REFERENCE_SPEC } from '../web/src/reference-net.js';
import { gatherLabels, shuffled } from '../web/src/batches.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const paths = {
  data: join(root, 'data/mnist.cldata'),
  model: join(root, 'data/pretrained-mnist.clmodel'),
  facts: join(root, 'data/pretrained-mnist.json'),
};
const EPOCHS = 6,
  BATCH = 32,
  SEED = 1;
const LEARNING_RATES = [0.01, 0.01, 0.005, 0.005, 0.0025, 0.0025];
const COMPILE = {
  optimizer: { type: 'momentum', learningRate: LEARNING_RATES[0], momentum: 0.9 },
  loss: 'categoricalCrossentropy',
};

const inputsHash = createHash('sha256');
for (const f of [
  'scripts/pretrain.js',
  'web/src/batches.js',
  'bindings/seeded-random.js',
  'web/src/reference-net.js',
  'data/mnist.cldata',
])
  inputsHash.update(readFileSync(join(root, f)));
const hash = inputsHash.digest('hex').slice(0, 16);

const cl = await loadConvolab();
const ds = decodeDataset(readFileSync(paths.data));
const size = ds.height * ds.width;
const heldOut = ds.count - ds.trainCount;
const valX = new Float32Array(heldOut * size);
for (let i = 0; i < valX.length; i++) valX[i] = ds.pixels[ds.trainCount * size + i] / 255;
const valY = Int32Array.from(ds.labels.subarray(ds.trainCount));

function cachedStillGood() {
  if (!existsSync(paths.model) || !existsSync(paths.facts)) return false;
  try {
    const facts = JSON.parse(readFileSync(paths.facts, 'utf8'));
    if (facts.inputsHash !== hash) return false;
    const m = cl.load(readFileSync(paths.model));
    const { accuracy } = m.evaluate(valX, valY, heldOut);
    m.dispose();
    return Math.abs(accuracy - facts.accuracy) < 0.005;
  } catch {
    return false;
  }
}

if (cachedStillGood()) {
  console.log('convolab build: pre-trained model is up to date');
  process.exit(0);
}

// Images at `indices`, each shifted by (dy, dx) in [-2, 2] with zero fill.
function shiftedBatch(indices, epoch) {
  const x = new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const i = indices[b];
    const h = (i * 2654435761 + epoch * 40503) >>> 0;
    const dy = (h % 5) - 2,
      dx = ((h >>> 8) % 5) - 2;
    for (let y = 0; y < 28; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= 28) continue;
      for (let xx = 0; xx < 28; xx++) {
        const sx = xx - dx;
        if (sx >= 0 && sx < 28) x[b * size + y * 28 + xx] = ds.pixels[i * size + sy * 28 + sx] / 255;
      }
    }
  }
  return x;
}

const t0 = performance.now();
const model = cl.sequential(REFERENCE_SPEC, { seed: SEED });
model.compile(COMPILE);
for (let epoch = 0; epoch < EPOCHS; epoch++) {
  model.setLearningRate(LEARNING_RATES[epoch]);
  const order = shuffled(ds.trainCount, SEED + epoch);
  for (let s = 0; s + BATCH <= ds.trainCount; s += BATCH) {
    const idx = order.subarray(s, s + BATCH);
    model.trainBatch(shiftedBatch(idx, epoch), gatherLabels(ds, idx), BATCH);
  }
  const { accuracy } = model.evaluate(valX, valY, heldOut);
  console.log(
    `convolab pretrain: epoch ${epoch + 1}/${EPOCHS}, held-out accuracy ${(accuracy * 100).toFixed(2)} %`,
  );
}
const { accuracy, loss } = model.evaluate(valX, valY, heldOut);
const seconds = (performance.now() - t0) / 1000;
const facts = {
  name: 'pre-trained reference net',
  inputsHash: hash,
  accuracy,
  loss,
  epochs: EPOCHS,
  trainedOn: ds.trainCount,
  heldOut,
  datasetName: ds.name,
  seconds: Math.round(seconds),
};
writeFileSync(paths.model, model.save({ includeOptimizer: false })); // the engine's .clmodel format
writeFileSync(paths.facts, JSON.stringify(facts, null, 2) + '\n');
console.log(
  `convolab build: pre-trained model written (${(accuracy * 100).toFixed(2)} % on ${heldOut} held-out digits, ` +
    `${seconds.toFixed(0)} s)`,
);
model.dispose();
