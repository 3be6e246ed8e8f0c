// Models that end in a feature map, through the npm API: per-pixel
// classification with labels [n, h, w] and a denoising autoencoder with
// image targets, trained by fit; predict returns the map, evaluate's
// accuracy is the mean over positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolab } from '../../bindings/convolab.js';

const cl = await loadConvolab();

// 6x6 images of one channel; pixel class = 1 where the pixel is bright.
function pixels(n, seed) {
  let s = seed >>> 0;
  const x = new Float32Array(n * 36);
  const labels = new Int32Array(n * 36);
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 4294967296;
    labels[i] = x[i] > 0.5 ? 1 : 0;
  }
  return { x, labels };
}

test('a fully convolutional net classifies every pixel: labels [n, h, w], predict [n, h, w, k]', async () => {
  const m = cl.sequential({
    inputShape: [6, 6, 1],
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'tanh' },
      { type: 'conv2d', filters: 2, kernelSize: 1 },
    ],
  });
  assert.deepEqual(m.outputShape, [6, 6, 2]);
  m.compile({ optimizer: { type: 'adam', learningRate: 0.05 }, loss: 'sparseCategoricalCrossentropy' });
  assert.equal(m.compileConfig.fromLogits, true, 'a linear last layer gives logits');
  const { x, labels } = pixels(64, 3);
  const before = m.evaluate({ data: x, shape: [64, 6, 6, 1] }, { data: labels, shape: [64, 6, 6] });
  const h = await m.fit(
    { data: x, shape: [64, 6, 6, 1] },
    { data: labels, shape: [64, 6, 6] },
    { epochs: 15, batchSize: 16, seed: 1 },
  );
  const after = m.evaluate({ data: x, shape: [64, 6, 6, 1] }, labels);
  assert.ok(after.loss < before.loss / 2, `loss ${before.loss} → ${after.loss}`);
  assert.ok(after.accuracy > 0.9, `per-pixel accuracy ${after.accuracy}`);
  assert.ok(Math.abs(h.history.acc.at(-1) - after.accuracy) < 0.1, 'fit logs the per-position accuracy');
  const p = m.predict({ data: x.subarray(0, 36), shape: [1, 6, 6, 1] });
  assert.deepEqual(p.shape, [1, 6, 6, 2]);
  // raw logits: rows do not sum to 1; argmax per pixel is the class
  assert.ok(Math.abs(p.data[0] + p.data[1] - 1) > 1e-3);
  assert.throws(
    () =>
      m.evaluate({ data: x, shape: [64, 6, 6, 1] }, { data: labels.subarray(0, 64 * 35), shape: [64, 35] }),
    (e) =>
      e instanceof cl.InputError &&
      /expected \[64, 6, 6\] class indices or \[64, 6, 6, 2\] targets/.test(e.message),
  );
  m.dispose();
});

test('a denoising autoencoder trains with MSE on image targets and gives images back', async () => {
  const m = cl.sequential({
    inputShape: [6, 6, 1],
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
      {
        type: 'conv2dTranspose',
        filters: 1,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'sigmoid',
      },
    ],
  });
  assert.deepEqual(m.outputShape, [6, 6, 1]);
  m.compile({ optimizer: { type: 'adam', learningRate: 0.02 }, loss: 'meanSquaredError' });
  const { x: clean } = pixels(64, 9);
  const noisy = clean.map((v, i) => Math.min(1, Math.max(0, v + 0.2 * Math.sin(i * 7.1))));
  const X = { data: noisy, shape: [64, 6, 6, 1] },
    Y = { data: clean, shape: [64, 6, 6, 1] };
  const before = m.evaluate(X, Y).loss;
  await m.fit(X, Y, { epochs: 20, batchSize: 16, seed: 2 });
  const after = m.evaluate(X, Y).loss;
  assert.ok(after < before * 0.7, `MSE ${before} → ${after}`);
  const out = m.predict({ data: noisy.subarray(0, 36), shape: [1, 6, 6, 1] });
  assert.deepEqual(out.shape, [1, 6, 6, 1]);
  assert.ok(
    out.data.every((v) => v > 0 && v < 1),
    'a final sigmoid: pixels in (0, 1)',
  );
  m.dispose();
});
