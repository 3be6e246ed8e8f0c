// The idiomatic API (bindings/convolab.js) on the built module: sequential,
// compile, fit, predict/evaluate against hand-computed references, weights,
// activations and gradients against naive loops, and the error model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadConvolab,
  ConvolabError,
  DisposedError,
  InputError,
  SpecError,
  Tensor,
  TrainingError,
} from '../../bindings/convolab.js';
import { decodeDataset, imagesAsFloat } from '../../bindings/dataset.js';
import { dataDir } from '../support/paths.js';

const cl = await loadConvolab();
const close = (a, b, tol = 1e-5) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

// Dense 2x2x1 → 3 softmax with weights we choose, and the same math in plain JS.
const TINY = {
  inputShape: [2, 2, 1],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }],
};
const W = Float32Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6, -0.7, 0.8, 0.9, 1.0, -1.1, 1.2]); // (I=4, U=3)
const B = Float32Array.from([0.05, -0.05, 0.1]);
function referenceProbs(x) {
  // softmax(x W + b), one row per 4 inputs
  const out = [];
  for (let r = 0; r < x.length / 4; r++) {
    const z = [0, 1, 2].map((u) => B[u] + [0, 1, 2, 3].reduce((s, i) => s + x[r * 4 + i] * W[i * 3 + u], 0));
    const m = Math.max(...z),
      e = z.map((v) => Math.exp(v - m)),
      s = e.reduce((a, b) => a + b);
    out.push(e.map((v) => v / s));
  }
  return out;
}
function tinyModel() {
  const m = cl.sequential(TINY);
  m.layers[1].setWeights([new Tensor(W, [4, 3]), new Tensor(B, [3])]);
  return m;
}
const X = Float32Array.from([1, 0, 0.5, -1, 0, 2, 1, 1]); // two examples

test('the backend reports its build, threads and kernels', () => {
  assert.equal(cl.backend.build, 'single-thread');
  assert.equal(cl.backend.threads, 1);
  assert.equal(typeof cl.backend.kernels, 'string');
});

test('predict matches softmax(xW + b) computed by hand, from a tensor or a flat array', () => {
  const m = tinyModel();
  const ref = referenceProbs(X);
  for (const p of [
    m.predict({ data: X, shape: [2, 2, 2, 1] }),
    m.predict(X),
    m.predict(new Tensor(X, [2, 2, 2, 1])),
  ]) {
    assert.deepEqual(p.shape, [2, 3]);
    ref.flat().forEach((v, i) => assert.ok(close(p.data[i], v), `prob ${i}: ${p.data[i]} vs ${v}`));
  }
  assert.deepEqual(
    Array.from(m.predict(X).argMax()),
    ref.map((r) => r.indexOf(Math.max(...r))),
  );
  // low level: flat in, flat out
  const flat = m.predict(X, 2);
  assert.ok(flat instanceof Float32Array);
  ref.flat().forEach((v, i) => assert.ok(close(flat[i], v)));
  const acts = m.activations(X);
  assert.deepEqual(
    Array.from(m.activation(0)),
    Array.from(acts[0].data),
    'activation(i) is the flat activations()[i]',
  );
  assert.deepEqual(Array.from(acts[1].data), Array.from(flat), "the last activation is predict's output");
  const params = m.getParams();
  assert.deepEqual(
    Array.from(params),
    [...W, ...B].map((v) => Math.fround(v)),
  );
  m.setParams(params.map((v) => v * 2));
  assert.deepEqual(Array.from(m.layers[1].getWeights()[1].data), Array.from(B.map((v) => v * 2)));
  m.dispose();
});

test('gradients of the last batch equal x^T (p - y) / N for a softmax dense layer', () => {
  const m = tinyModel();
  m.compile({ optimizer: { type: 'sgd', learningRate: 0.5 }, loss: 'categoricalCrossentropy' });
  const y = Int32Array.of(2, 0);
  const p = referenceProbs(X);
  const loss = m.trainOnBatch({ data: X, shape: [2, 2, 2, 1] }, y);
  const refLoss = -(Math.log(p[0][2]) + Math.log(p[1][0])) / 2;
  assert.ok(close(loss, refLoss), `loss ${loss} vs ${refLoss}`);
  const [dW, dB] = m.layers[1].getGradients();
  assert.deepEqual(dW.shape, [4, 3]);
  for (let i = 0; i < 4; i++)
    for (let u = 0; u < 3; u++) {
      const g = (X[i] * (p[0][u] - (u === 2)) + X[4 + i] * (p[1][u] - (u === 0))) / 2;
      assert.ok(close(dW.data[i * 3 + u], g), `dW[${i},${u}] ${dW.data[i * 3 + u]} vs ${g}`);
    }
  for (let u = 0; u < 3; u++) assert.ok(close(dB.data[u], (p[0][u] - (u === 2) + (p[1][u] - (u === 0))) / 2));
  // plain SGD moved the weights by -lr * gradient
  const [w1] = m.layers[1].getWeights();
  for (let i = 0; i < 12; i++) assert.ok(close(w1.data[i], W[i] - 0.5 * dW.data[i]));
  assert.equal(m.gradients()[0].length, 0, 'flatten has no weights');
  m.dispose();
});

test('one-hot rows train like class indices; soft rows follow x^T (p - t) / N', () => {
  const a = tinyModel(),
    b = tinyModel();
  for (const m of [a, b]) m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const la = a.trainOnBatch(X, Uint8Array.of(2, 0));
  const lb = b.trainOnBatch(X, { data: Float32Array.of(0, 0, 1, 1, 0, 0), shape: [2, 3] });
  assert.ok(close(la, lb), `${la} vs ${lb}`);
  a.getWeights()[0].data.forEach((v, i) => assert.ok(close(v, b.getWeights()[0].data[i])));
  a.dispose();
  b.dispose();

  const m = tinyModel();
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const t = [
    [0.2, 0.3, 0.5],
    [0.7, 0.1, 0.2],
  ];
  const p = referenceProbs(X);
  const loss = m.trainOnBatch(X, { data: Float32Array.from(t.flat()), shape: [2, 3] });
  const refLoss =
    -t.reduce((s, row, r) => s + row.reduce((q, tv, u) => q + tv * Math.log(p[r][u]), 0), 0) / 2;
  assert.ok(close(loss, refLoss), `soft-label loss ${loss} vs ${refLoss}`);
  const [dW] = m.layers[1].getGradients();
  for (let i = 0; i < 4; i++)
    for (let u = 0; u < 3; u++) {
      const g = (X[i] * (p[0][u] - t[0][u]) + X[4 + i] * (p[1][u] - t[1][u])) / 2;
      assert.ok(close(dW.data[i * 3 + u], g), `dW[${i},${u}]`);
    }
  // dL/dlogits of the last layer is (p - t) / N too
  const [, dLogits] = m.activationGradients();
  assert.deepEqual(dLogits.shape, [2, 3]);
  p.flat().forEach((pv, k) => assert.ok(close(dLogits.data[k], (pv - t.flat()[k]) / 2)));
  m.dispose();
});

test('binary cross-entropy on one sigmoid output takes 0/1 labels; MSE takes float targets', async () => {
  const spec = {
    inputShape: [1, 1, 2],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 1, activation: 'sigmoid' }],
  };
  const m = cl.sequential(spec, { seed: 1 });
  m.compile({ optimizer: { type: 'sgd', learningRate: 0.5 }, loss: 'binaryCrossentropy' });
  m.layers[1].setWeights([Float32Array.of(0.5, -0.25), Float32Array.of(0.1)]);
  const x = Float32Array.of(1, 2, -1, 0.5);
  const loss = m.trainOnBatch(x, Uint8Array.of(1, 0));
  const sig = (z) => 1 / (1 + Math.exp(-z));
  const p0 = sig(0.5 - 0.5 + 0.1),
    p1 = sig(-0.5 - 0.125 + 0.1);
  assert.ok(close(loss, -(Math.log(p0) + Math.log(1 - p1)) / 2), `BCE ${loss}`);
  const data = new Float32Array(200 * 2).map((_, i) => ((i * 37) % 17) / 8 - 1);
  const labels = new Uint8Array(200).map((_, i) => (data[2 * i] + data[2 * i + 1] > 0 ? 1 : 0));
  const h = await m.fit({ data, shape: [200, 1, 1, 2] }, labels, { epochs: 20, batchSize: 20, seed: 1 });
  assert.ok(h.history.acc.at(-1) > 0.9, `binary training accuracy ${h.history.acc.at(-1)}`);
  const e = m.evaluate({ data, shape: [200, 1, 1, 2] }, labels);
  assert.ok(e.accuracy > 0.9);
  m.dispose();

  const r = cl.sequential({
    inputShape: [1, 1, 2],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }],
  });
  r.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  r.layers[1].setWeights([Float32Array.of(1, 0, 0, 1), Float32Array.of(0, 0)]); // identity
  const mse = r.trainOnBatch(Float32Array.of(1, 2), { data: Float32Array.of(0, 4), shape: [1, 2] });
  assert.ok(close(mse, ((1 - 0) ** 2 + (2 - 4) ** 2) / 2), `MSE ${mse}`);
  r.dispose();
});

test('save() and cl.load() round-trip weights, state and optimizer: training continues identically', () => {
  const spec = {
    inputShape: [5, 5, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
      { type: 'batchNormalization' },
      { type: 'reLU' },
      { type: 'averagePooling2d', poolSize: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
  };
  // (no dropout here: its mask stream restarts from the seed after load, as in Keras)
  const a = cl.sequential(spec, { seed: 9 });
  a.compile({ optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'categoricalCrossentropy' });
  const x = { data: new Float32Array(8 * 50).map((_, i) => Math.sin(i)), shape: [8, 5, 5, 2] };
  const y = Int32Array.from({ length: 8 }, (_, i) => i % 4);
  a.trainOnBatch(x, y);
  const bytes = a.save();
  assert.ok(bytes instanceof Uint8Array && String.fromCharCode(...bytes.subarray(0, 4)) === 'CLMD');
  const b = cl.load(bytes);
  assert.deepEqual(b.toJSON(), a.toJSON());
  assert.equal(b.compileConfig.optimizer.type, 'adam');
  assert.deepEqual(
    b.getWeights().map((t) => Array.from(t.data)),
    a.getWeights().map((t) => Array.from(t.data)),
  );
  assert.deepEqual(
    b.layers[1].weightSpecs.map((w) => [w.name, w.trainable]),
    [
      ['gamma', true],
      ['beta', true],
      ['movingMean', false],
      ['movingVariance', false],
    ],
  );
  assert.deepEqual(
    b.layers[1].getGradients().map((g) => g === null),
    [false, false, true, true],
  );
  assert.deepEqual(Array.from(b.predict(x).data), Array.from(a.predict(x).data));
  // one more step on both: the same update only if adam's moments came along
  a.trainOnBatch(x, y);
  b.trainOnBatch(x, y);
  assert.deepEqual(
    b.getWeights().map((t) => Array.from(t.data)),
    a.getWeights().map((t) => Array.from(t.data)),
  );
  // a corrupted or truncated file is refused with the engine's reason
  const bad = bytes.slice();
  bad[bad.length - 10] ^= 0xff;
  assert.throws(
    () => cl.load(bad),
    (e) => e instanceof SpecError && e.message.length > 10,
  );
  assert.throws(() => cl.load(bytes.subarray(0, 20)), SpecError);
  assert.throws(() => cl.load('nope'), SpecError);
  a.dispose();
  b.dispose();
});

test('activations of every layer: a conv output equals a naive loop', () => {
  const spec = {
    inputShape: [4, 4, 1],
    layers: [{ type: 'conv2d', filters: 2, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 2 }],
  };
  const m = cl.sequential(spec, { seed: 7 });
  const x = Float32Array.from({ length: 16 }, (_, i) => (i % 5) - 2);
  const acts = m.activations({ data: x, shape: [1, 4, 4, 1] });
  assert.deepEqual(
    acts.map((t) => t.shape),
    [
      [1, 2, 2, 2],
      [1, 8],
      [1, 2],
    ],
  );
  const [k, b] = m.layers[0].getWeights(); // kernel (KH, KW, C, OC)
  assert.deepEqual(k.shape, [3, 3, 1, 2]);
  for (let oy = 0; oy < 2; oy++)
    for (let ox = 0; ox < 2; ox++)
      for (let oc = 0; oc < 2; oc++) {
        let s = b.data[oc];
        for (let ky = 0; ky < 3; ky++)
          for (let kx = 0; kx < 3; kx++) s += x[(oy + ky) * 4 + ox + kx] * k.data[(ky * 3 + kx) * 2 + oc];
        assert.ok(close(acts[0].data[(oy * 2 + ox) * 2 + oc], s), `conv out (${oy},${ox},${oc})`);
      }
  assert.deepEqual(Array.from(acts[1].data), Array.from(acts[0].data), 'flatten keeps NHWC order');
  m.dispose();
});

test('fit trains on MNIST with a validation split, callbacks and a History like tfjs', async () => {
  const ds = decodeDataset(readFileSync(join(dataDir, 'mnist.cldata')));
  const n = 2000;
  const x = { data: imagesAsFloat(ds, 0, n), shape: [n, 28, 28, 1] };
  const y = ds.labels.subarray(0, n);
  const m = cl.sequential(
    {
      inputShape: [28, 28, 1],
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' },
        { type: 'maxPooling2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    { seed: 5 },
  );
  m.compile({
    optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 },
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  }); // metrics as tfjs: accepted
  const batches = [],
    epochs = [];
  const h = await m.fit(x, y, {
    epochs: 2,
    batchSize: 32,
    validationSplit: 0.1,
    seed: 1,
    onBatchEnd: (b, logs) => batches.push([b, logs.size]),
    onEpochEnd: (e, logs) => epochs.push([e, logs]),
  });
  assert.equal(batches.length, 2 * Math.ceil(1800 / 32));
  assert.equal(batches.at(-1)[1], 1800 % 32, 'the last batch of an epoch holds the remainder');
  assert.deepEqual(h.epoch, [0, 1]);
  assert.equal(h.stopped, false);
  assert.ok(h.history.loss[1] < h.history.loss[0]);
  assert.ok(h.history.val_acc[1] > 0.8, `validation accuracy ${h.history.val_acc[1]}`);
  // val metrics are evaluate() on the last 10 %
  const v = m.evaluate({ data: x.data.subarray(1800 * 784), shape: [200, 28, 28, 1] }, y.subarray(1800));
  assert.ok(close(v.accuracy, h.history.val_acc[1]));
  assert.deepEqual(epochs[1][1], {
    loss: h.history.loss[1],
    acc: h.history.acc[1],
    val_loss: h.history.val_loss[1],
    val_acc: h.history.val_acc[1],
  });
  m.dispose();
});

test('an AbortSignal stops fit after the current batch and the model stays usable', async () => {
  const m = tinyModel();
  m.compile({ optimizer: 'sgd' });
  const ctrl = new AbortController();
  let seen = 0;
  const x = new Float32Array(400 * 4).map((_, i) => (i % 7) / 7),
    y = new Int32Array(400).map((_, i) => i % 3);
  const h = await m.fit(x, y, {
    epochs: 5,
    batchSize: 10,
    onBatchEnd: (b) => {
      if (++seen === 3) ctrl.abort();
    },
    signal: ctrl.signal,
  });
  assert.equal(seen, 3);
  assert.equal(h.stopped, true);
  assert.equal(m.predict(X).shape[0], 2);
  m.dispose();
});

test('pause parks a main-thread fit between batches, resume continues it, stop ends it', async () => {
  const m = tinyModel();
  m.compile({ optimizer: 'sgd' });
  const x = new Float32Array(400 * 4).map((_, i) => (i % 7) / 7),
    y = new Int32Array(400).map((_, i) => i % 3);
  let batches = 0;
  m.pause(); // not training: no effect
  assert.equal(m.isPaused, false);
  const run = m.fit(x, y, {
    epochs: 1000,
    batchSize: 10,
    yieldEveryMs: 0,
    onBatchEnd: () => {
      batches++;
    },
  });
  assert.equal(m.isTraining, true);
  await assert.rejects(m.fit(x, y), /already training/);
  while (batches < 5) await new Promise((r) => setTimeout(r, 1));
  m.pause();
  const parked = batches;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(batches, parked, 'no batch runs while paused');
  assert.equal(m.predict(X).shape[0], 2, 'predict answers while paused');
  m.resume();
  while (batches < parked + 5) await new Promise((r) => setTimeout(r, 1));
  m.stop();
  const h = await run;
  assert.equal(h.stopped, true);
  assert.equal(m.isTraining, false);
  m.dispose();
});

test('toJSON round-trips through sequential(json) and summaryData reports per-layer costs', () => {
  const spec = {
    inputShape: [6, 6, 2],
    layers: [
      { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' },
      { type: 'flatten' },
      { type: 'dense', units: 4 },
    ],
  };
  const m = cl.sequential(spec);
  const again = cl.sequential(JSON.parse(JSON.stringify(m)));
  assert.deepEqual(again.toJSON(), m.toJSON());
  assert.deepEqual(
    again.layers.map((l) => l.outputShape),
    [[6, 6, 3], [108], [4]],
  );
  const s = m.summaryData();
  // by hand: conv 3*3*2*3 + 3 = 57 params, MACs 3*3*2*3 * 36 = 1944; dense 108*4 + 4 = 436, MACs 432
  assert.deepEqual(
    s.layers.map((l) => [l.params, l.macs]),
    [
      [57, 1944],
      [0, 0],
      [436, 432],
    ],
  );
  assert.equal(m.countParams(), 493);
  assert.match(m.summary(), /Conv2D/);
  assert.equal(m.timings().length, 3);
  m.dispose();
  again.dispose();
});

test('errors are ConvolabError subclasses with the engine message intact, and never corrupt the model', async () => {
  assert.throws(
    () => cl.sequential({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 5 }] }),
    (e) =>
      e instanceof SpecError &&
      e instanceof ConvolabError &&
      e instanceof Error &&
      e.message === "layer 1 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'",
  );
  assert.throws(
    () => cl.sequential({ inputShape: [3, 3, 1], layers: [{ type: 'conv9d' }] }),
    (e) => e instanceof SpecError && /layer 1/.test(e.message),
  );
  const m = tinyModel();
  m.compile({ optimizer: 'sgd' });
  const before = m.getWeights().map((t) => Array.from(t.data));
  assert.throws(
    () => m.compile({ optimizer: { type: 'nope' } }),
    (e) => e instanceof SpecError && /optimizer: unknown type 'nope'/.test(e.message),
  );
  assert.throws(
    () => m.predict({ data: new Float32Array(9), shape: [1, 3, 3, 1] }),
    (e) =>
      e instanceof InputError &&
      e.message === 'x has shape [1, 3, 3, 1]; the model expects [n, 2, 2, 1] (channels-last)',
  );
  assert.throws(
    () => m.trainOnBatch(X, Int32Array.of(0, 3)),
    (e) => e instanceof InputError && /label 3 of example 1 is not a class index 0..2/.test(e.message),
  );
  assert.throws(
    () => m.trainBatch(X, Int32Array.of(0, 7), 2),
    (e) => e instanceof InputError && e.message === 'train: label 7 of example 1 is outside 0..2',
  );
  assert.throws(
    () => m.trainOnBatch(X, { data: Float32Array.of(0.5, NaN, 0, 1, 0, 0), shape: [2, 3] }),
    InputError,
  );
  assert.throws(
    () =>
      m.layers[1].setWeights([
        new Tensor(new Float32Array(12), [4, 3]),
        new Tensor(new Float32Array(2), [2]),
      ]),
    InputError,
  );
  assert.throws(
    () => m.layers[1].setWeights([new Tensor(new Float32Array(12).fill(NaN), [4, 3]), new Tensor(B, [3])]),
    InputError,
  );
  assert.throws(
    () => m.compile({ loss: 'binaryCrossentropy' }),
    (e) => e instanceof SpecError && /compile: binaryCrossentropy needs/.test(e.message),
  );
  assert.throws(() => m.setLearningRate(-1), InputError);
  await assert.rejects(m.fit(X, Int32Array.of(0, 1), { batchSize: 0 }), InputError);
  await assert.rejects(m.fit(X, Int32Array.of(0, 1), { validationSplit: 0.6 }), /leaves an empty part/);
  assert.deepEqual(
    m.getWeights().map((t) => Array.from(t.data)),
    before,
    'rejected calls leave the weights as they were',
  );
  const ref = referenceProbs(X);
  m.predict(X, 2).forEach((v, i) => assert.ok(close(v, ref.flat()[i])));
  m.dispose();
  m.dispose(); // twice is fine
  assert.throws(
    () => m.predict(X, 2),
    (e) => e instanceof DisposedError && e.message === 'this model was disposed',
  );
  await assert.rejects(m.fit(X, Int32Array.of(0, 1)), DisposedError);
});

test('a diverging fit rejects with TrainingError and, with restoreOnDivergence: false, keeps the last step’s finite weights', async () => {
  const m = cl.sequential(
    {
      inputShape: [1, 1, 4],
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 8, activation: 'relu' },
        { type: 'dense', units: 3 },
      ],
    },
    { seed: 1 },
  );
  m.compile({ optimizer: { type: 'sgd', learningRate: 100 } });
  const x = new Float32Array(64 * 4).map((_, i) => ((i * 13) % 7) * 1e18),
    y = new Int32Array(64).map((_, i) => i % 3);
  let lastGood = null;
  await assert.rejects(
    m.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      shuffle: false,
      restoreOnDivergence: false,
      onBatchEnd: () => {
        lastGood = m.getWeights().map((t) => Array.from(t.data));
      },
    }),
    (e) =>
      e instanceof TrainingError &&
      e instanceof ConvolabError &&
      /^training diverged at epoch 1, batch \d+: the loss is (NaN|infinite); the weights were kept from the last step — lower the learning rate$/.test(
        e.message,
      ),
  );
  assert.ok(lastGood, 'at least one step succeeded first');
  assert.deepEqual(
    m.getWeights().map((t) => Array.from(t.data)),
    lastGood,
  );
  assert.ok(m.getWeights().every((t) => t.data.every(Number.isFinite)));
  m.dispose();
});

test('a diverging fit restores the checkpoint taken before the last batch with a finite loss, or at the epoch start', async () => {
  // sane training, then a learning rate of 1e30 after epoch 2's 4th batch: its 5th batch blows the weights
  // up, the 6th loss is NaN
  const spec = {
    inputShape: [1, 1, 4],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 3 },
    ],
  };
  const x = new Float32Array(64 * 4).map((_, i) => ((i * 13) % 7) / 7),
    y = new Int32Array(64).map((_, i) => i % 3);
  const run = async (checkpointEveryMs) => {
    const m = cl.sequential(spec, { seed: 1 });
    m.compile({ optimizer: { type: 'sgd', learningRate: 0.01 } });
    const after = []; // weights after each batch of epoch 2
    let error = null;
    await m
      .fit(x, y, {
        epochs: 50,
        batchSize: 8,
        shuffle: false,
        checkpointEveryMs,
        onBatchEnd: (b, logs) => {
          if (logs.epoch !== 1) return;
          after.push(m.getParams());
          if (b === 3) m.setLearningRate(1e30);
        },
      })
      .catch((e) => {
        error = e;
      });
    const weights = m.getParams();
    m.dispose();
    return { error, weights, after };
  };
  const everyBatch = await run(0);
  assert.ok(everyBatch.error instanceof TrainingError, String(everyBatch.error));
  assert.match(
    everyBatch.error.message,
    /^training diverged at epoch 2, batch 6: the loss is (NaN|infinite); the weights were restored to the checkpoint taken before epoch 2, batch 5 — lower the learning rate$/,
  );
  assert.deepEqual(
    Array.from(everyBatch.weights),
    Array.from(everyBatch.after[3]),
    'the weights that went into batch 5 (its loss was finite)',
  );
  const atEpochStart = await run(1e9);
  assert.match(atEpochStart.error.message, /restored to the checkpoint taken before epoch 2, batch 1 —/);
  // epoch 2 starts from the weights after epoch 1: undo its 4 sane batches' steps by training a twin model
  // for one epoch
  const twin = cl.sequential(spec, { seed: 1 });
  twin.compile({ optimizer: { type: 'sgd', learningRate: 0.01 } });
  await twin.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
  assert.deepEqual(Array.from(atEpochStart.weights), Array.from(twin.getParams()));
  assert.ok(atEpochStart.weights.every(Number.isFinite));
  twin.dispose();
});

test('the divergence checkpoint restores BatchNormalization moving statistics too', async () => {
  const m = cl.sequential(
    {
      inputShape: [1, 1, 4],
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 8 },
        { type: 'batchNormalization' },
        { type: 'dense', units: 3 },
      ],
    },
    { seed: 1 },
  );
  m.compile({ optimizer: { type: 'sgd', learningRate: 0.01 } });
  const x = new Float32Array(64 * 4).map((_, i) => ((i * 13) % 7) / 7),
    y = new Int32Array(64).map((_, i) => i % 3);
  let atEpoch2 = null;
  await assert.rejects(
    m.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      shuffle: false,
      checkpointEveryMs: 1e9,
      onBatchEnd: (b, logs) => {
        if (logs.epoch === 0 && b === 7) atEpoch2 = m.layers[2].getWeights().map((t) => Array.from(t.data));
        if (logs.epoch === 1 && b === 3) m.setLearningRate(1e30);
      },
    }),
    /restored to the checkpoint taken before epoch 2, batch 1/,
  );
  assert.deepEqual(
    m.layers[2].getWeights().map((t) => Array.from(t.data)),
    atEpoch2,
    'gamma, beta, moving mean and variance as epoch 2 began',
  );
  m.dispose();
});

test('the divergence checkpoint restores the optimizer state too: the model is as it was, momentum included', async () => {
  const spec = {
    inputShape: [1, 1, 4],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 3 },
    ],
  };
  const compile = { optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 } };
  const x = new Float32Array(64 * 4).map((_, i) => ((i * 13) % 7) / 7),
    y = new Int32Array(64).map((_, i) => i % 3);
  const m = cl.sequential(spec, { seed: 1 }).compile(compile);
  await assert.rejects(
    m.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      shuffle: false,
      checkpointEveryMs: 1e9,
      onBatchEnd: (b, logs) => {
        if (logs.epoch === 1 && b === 3) m.setLearningRate(1e30);
      },
    }),
    /restored to the checkpoint taken before epoch 2, batch 1/,
  );
  const twin = cl.sequential(spec, { seed: 1 }).compile(compile);
  await twin.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
  twin.setLearningRate(1e30);
  // the .clmodel holds weights, statistics and the momentum accumulators
  assert.deepEqual(m.save(), twin.save());
  m.dispose();
  twin.dispose();
});

test('startPaused and step(): a paused fit runs exactly one batch per step, then waits again', async () => {
  const m = tinyModel();
  m.compile({ optimizer: 'sgd' });
  const x = new Float32Array(400 * 4).map((_, i) => (i % 7) / 7),
    y = new Int32Array(400).map((_, i) => i % 3);
  assert.equal(await m.step(), false, 'no fit: nothing to step');
  let batches = 0;
  const run = m.fit(x, y, {
    epochs: 1000,
    batchSize: 10,
    yieldEveryMs: 0,
    startPaused: true,
    onBatchEnd: () => {
      batches++;
    },
  });
  assert.equal(m.isPaused, true);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(batches, 0, 'startPaused: no batch before step or resume');
  assert.equal(await m.step(), true);
  assert.equal(batches, 1);
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(batches, 1, 'paused again after the step');
  await Promise.all([m.step(), m.step()]);
  assert.equal(batches, 3);
  m.resume();
  assert.equal(m.isPaused, false);
  while (batches < 10) await new Promise((r) => setTimeout(r, 1));
  assert.equal(await m.step(), false, 'running, not paused: step does nothing');
  m.stop();
  assert.equal((await run).stopped, true);
  m.dispose();
});

test('setBatchSize() changes a running fit’s batches from the next one on; the epoch continues where it is', async () => {
  const x = new Float32Array(400 * 4).map((_, i) => ((i * 5) % 7) / 7),
    y = new Int32Array(400).map((_, i) => i % 3);
  const m = tinyModel();
  m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  assert.throws(
    () => m.setBatchSize(0),
    (e) =>
      e instanceof InputError &&
      /setBatchSize: 'batchSize' must be a whole number ≥ 1, got 0/.test(e.message),
  );
  assert.throws(() => m.setBatchSize(2.5), InputError);
  const logs = [];
  await m.fit(x, y, {
    epochs: 2,
    batchSize: 10,
    shuffle: false,
    onBatchEnd: (b, l) => {
      logs.push([l.epoch, b, l.size, l.batchesPerEpoch]);
      if (logs.length === 5) m.setBatchSize(64);
    },
  });
  // epoch 1: 5 × 10, then 350 left: 5 × 64 + 30; epoch 2: 6 × 64 + 16
  assert.deepEqual(
    logs.map((l) => l[2]),
    [10, 10, 10, 10, 10, 64, 64, 64, 64, 64, 30, 64, 64, 64, 64, 64, 64, 16],
  );
  assert.deepEqual(
    logs.slice(4, 6).map((l) => l[3]),
    [40, 11],
    'batchesPerEpoch is the estimate at each batch',
  );
  assert.deepEqual(logs.at(-1).slice(0, 2), [1, 6]);
  // the same steps by hand: the examples in order, none skipped or repeated
  const ref = tinyModel();
  ref.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  let at = 0;
  for (const [, , size] of logs) {
    if (at === 400) at = 0;
    ref.trainBatch(x.slice(at * 4, (at + size) * 4), y.slice(at, at + size), size);
    at += size;
  }
  assert.deepEqual(Array.from(m.getParams()), Array.from(ref.getParams()));
  m.dispose();
  ref.dispose();
});

test('options left out take tfjs-layers defaults (valid padding, stride 1, pool 2 with stride = pool, bias on, linear)', () => {
  const m = cl.sequential({
    inputShape: [9, 9, 2],
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3 },
      { type: 'maxPooling2d' },
      { type: 'averagePooling2d', poolSize: 3 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
  });
  // conv valid stride 1: 9-3+1 = 7; max pool 2/2: floor((7-2)/2)+1 = 3; avg pool 3/3: 1
  assert.deepEqual(
    m.layers.map((l) => l.outputShape),
    [[7, 7, 4], [3, 3, 4], [1, 1, 4], [4], [3]],
  );
  // useBias defaults to true: conv 3*3*2*4 + 4, dense 4*3 + 3
  assert.deepEqual(
    m.layers.map((l) => l.countParams()),
    [76, 0, 0, 0, 15],
  );
  // activation defaults to linear: the dense output equals x W + b exactly
  const x = new Float32Array(162).map((_, i) => Math.cos(i));
  const acts = m.activations({ data: x, shape: [1, 9, 9, 2] });
  const [w, b] = m.layers[4].getWeights();
  const h = acts[3].data;
  const logits = [0, 1, 2].map(
    (u) => b.data[u] + [0, 1, 2, 3].reduce((s, i) => s + h[i] * w.data[i * 3 + u], 0),
  );
  // predict is the stack: the default categoricalCrossentropy reads a linear
  // last layer's outputs as logits (fromLogits) but does not change them
  assert.equal(m.compileConfig.fromLogits, true);
  logits.forEach((v, u) =>
    assert.ok(close(acts[4].data[u], v), `a linear dense layer gives x W + b: ${acts[4].data[u]} vs ${v}`),
  );
  assert.ok(close(m.predict({ data: x, shape: [1, 9, 9, 2] }).data[2], logits[2]));
  m.dispose();
});

test('the threaded build reports engine errors with the same classes and messages', async () => {
  const mt = await loadConvolab({ threads: 2 });
  assert.equal(mt.backend.build, 'threaded');
  assert.throws(
    () => mt.sequential({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 5 }] }),
    (e) =>
      e instanceof SpecError &&
      e.message === "layer 1 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'",
  );
  const m = mt.sequential(TINY);
  assert.throws(
    () => m.trainBatch(X, Int32Array.of(0, 7), 2),
    (e) => e instanceof InputError && e.message === 'train: label 7 of example 1 is outside 0..2',
  );
  assert.throws(
    () => m.compile({ optimizer: { type: 'nope' } }),
    (e) => e instanceof SpecError && /^optimizer: unknown type 'nope'/.test(e.message),
  );
  assert.throws(
    () => mt.load(new Uint8Array(8)),
    (e) => e instanceof SpecError && !/internal error/.test(e.message),
  );
  assert.equal(m.predict(X).shape[1], 3, 'the model still works');
  m.dispose();
});

test('NaN and infinities are refused where JSON would turn them into "default", and in x before fit starts', async () => {
  const m = tinyModel();
  const w0 = m.getParams();
  for (const bad of [NaN, Infinity, -Infinity]) {
    assert.throws(
      () => m.compile({ optimizer: { type: 'adam', learningRate: bad } }),
      (e) =>
        e instanceof cl.SpecError &&
        e.kind === 'config' &&
        e.option === 'learningRate' &&
        Object.is(e.value, bad),
    );
    assert.throws(
      () => m.compile({ optimizer: { type: 'momentum', momentum: bad } }),
      (e) => e instanceof cl.SpecError && e.option === 'momentum',
    );
    assert.throws(
      () => m.setLearningRate(bad),
      (e) => e instanceof cl.InputError && e.option === 'learningRate' && Object.is(e.value, bad),
    );
  }
  assert.throws(
    () => m.setLearningRate(-0.01),
    (e) => e instanceof cl.InputError && e.kind === 'config' && e.value === Math.fround(-0.01),
  );
  assert.throws(
    () => cl.sequential({ inputShape: [2, 2, 1], layers: [{ type: 'dropout', rate: NaN }] }),
    (e) =>
      e instanceof cl.SpecError &&
      e.message === "layer 1 (dropout): 'rate' is NaN; it must be a finite number",
  );
  const x = Float32Array.from(X);
  x[6] = NaN; // example 1, row 1, column 0
  await assert.rejects(
    m.fit(x, Int32Array.of(0, 1), { epochs: 1 }),
    (e) =>
      e instanceof cl.InputError &&
      e.message === 'x: example 1, row 1, column 0, channel 0 is NaN; every value must be a finite number',
  );
  assert.throws(
    () => m.trainOnBatch(x, Int32Array.of(0, 1)),
    (e) => e instanceof cl.InputError && /example 1/.test(e.message),
  );
  assert.throws(
    () => m.trainOnBatch(X, { data: Float32Array.of(0, 0, 1, 1, Infinity, 0), shape: [2, 3] }),
    /target 1 of example 1 is Infinity/,
  );
  assert.deepEqual(m.getParams(), w0, 'nothing was trained');
  m.dispose();
});
