// The wasm module under Node: loads as ESM and CJS, trains the reference
// net on real MNIST, and reports engine errors as ConvolabError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadConvolab, ConvolabError } from '../../bindings/convolab.js';
import { decodeDataset, imagesAsFloat, labelsAsInt } from '../../bindings/dataset.js';
import { REFERENCE_SPEC, REFERENCE_TRAINING } from '../../web/src/reference-net.js';
import { dataDir, root } from '../support/paths.js';

const cl = await loadConvolab();
const mnist = decodeDataset(readFileSync(join(dataDir, 'mnist.cldata')));

test('loads through require() as well as import', async () => {
  const require = createRequire(import.meta.url);
  const cjs = require(join(root, 'bindings', 'convolab.cjs'));
  const lib = await cjs.loadConvolab();
  const m = lib.createModel({
    inputShape: [4, 4, 1],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }],
  });
  assert.equal(m.predict(new Float32Array(16), 1).length, 2);
  m.dispose();
});

test('training the reference net for 200 steps on MNIST lowers the loss', () => {
  const model = cl.createModel(REFERENCE_SPEC, { seed: 3 });
  model.compile(REFERENCE_TRAINING);
  const batch = REFERENCE_TRAINING.batchSize;
  const losses = [];
  for (let step = 0; step < 200; step++) {
    const start = (step * batch) % mnist.trainCount;
    losses.push(
      model.trainBatch(imagesAsFloat(mnist, start, batch), labelsAsInt(mnist, start, batch), batch),
    );
  }
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const first = mean(losses.slice(0, 20)),
    last = mean(losses.slice(-20));
  assert.ok(first > 1.5, `an untrained 10-class net should start near ln 10 ≈ 2.3, got ${first}`);
  assert.ok(last < first / 3, `loss should fall to a third: first 20 steps ${first}, last 20 ${last}`);
  const held = mnist.count - mnist.trainCount;
  const { accuracy } = model.evaluate(
    imagesAsFloat(mnist, mnist.trainCount, held),
    labelsAsInt(mnist, mnist.trainCount, held),
    held,
  );
  assert.ok(accuracy > 0.85, `held-out accuracy after 200 steps: ${accuracy}`);
  model.dispose();
});

test('the summary reports shapes, parameters and MACs of the reference net', () => {
  const model = cl.createModel(REFERENCE_SPEC);
  const s = model.summaryData();
  // worked by hand: conv1 5*5*1*8 + 8 = 208, conv2 5*5*8*16 + 16 = 3216, dense 784*10 + 10 = 7850
  assert.deepEqual(
    s.layers.map((l) => l.params),
    [208, 0, 3216, 0, 0, 7850],
  );
  assert.deepEqual(
    s.layers.map((l) => l.outputShape),
    [[28, 28, 8], [14, 14, 8], [14, 14, 16], [7, 7, 16], [784], [10]],
  );
  // conv MACs = kh*kw*cin*cout*oh*ow: 25*1*8*784 = 156800; 25*8*16*196 = 627200; dense 7840
  assert.equal(s.layers[0].macs, 156800);
  assert.equal(s.layers[2].macs, 627200);
  assert.equal(s.totals.macs, 156800 + 627200 + 7840);
  model.dispose();
});

test('engine errors arrive as ConvolabError with the message intact', () => {
  assert.throws(
    () => cl.createModel({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 5 }] }),
    (e) =>
      e instanceof ConvolabError &&
      e.message === "layer 1 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'",
  );
  const model = cl.createModel({
    inputShape: [2, 2, 1],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }],
  });
  assert.throws(
    () => model.trainBatch(new Float32Array(3), Int32Array.of(0), 1),
    /x has 3 values; expected 4/,
  );
  assert.throws(
    () => model.trainBatch(new Float32Array(4), Int32Array.of(7), 1),
    /label 7 of example 0 is outside 0..2/,
  );
  // the model still works after the rejected calls
  assert.equal(model.predict(new Float32Array(4), 1).length, 3);
  model.dispose();
  assert.throws(() => model.predict(new Float32Array(4), 1), /disposed/);
});
