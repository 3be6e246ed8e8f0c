// A seeded random check of Convolab against TensorFlow.js 4.22 (tfjs-layers,
// cpu backend) in the same process: a few hundred random stacks over every
// layer type, valid and invalid, compared on
//   - output shapes and countParams per layer,
//   - which stacks are rejected, and that the rejection names the layer,
//   - forward outputs (|a - e| <= 1e-5 + 1e-4 |e|),
//   - the loss and every gradient, for mean squared error and cross-entropy
//     (per position when the output is a feature map),
//   - two steps of sgd, momentum and adam (weights <= 1e-6 + 1e-5 |e|).
// The cases per group are printed at the end.
//
// Where tfjs is wrong Convolab follows the math, and this test says so:
//   - tfjs's cpu AvgPool gradient with 'same' padding divides by the whole
//     window at the borders (not the gradient of its own forward): stacks with
//     such a pool compare forward only (the native finite-difference checks
//     cover their gradients);
//   - tfjs builds stacks whose output has a 0-sized (or negative) dimension;
//     Convolab refuses them, naming the layer;
//   - tfjs's UpSampling2D gradient: 'nearest' disagrees with finite
//     differences (Convolab's agrees), 'bilinear' throws a shape error; stacks
//     with upsampling compare forward only (tests/native covers the gradients);
//   - tfjs's GlobalMaxPooling2D gradient goes to every tied maximum (tf.max's
//     gradient), so a tie counts it several times; Convolab, like tfjs's own
//     MaxPool, sends it to the first. Stacks with such a tie compare forward only;
//   - tfjs's Softmax layer defaults to axis 1 and cannot run on an image;
//     Convolab's softmax is over the last axis (Keras's default): the twin
//     gets axis -1;
//   - tfjs's UpSampling2D takes only [h, w] for 'size'; Convolab also takes n;
//   - tfjs leaves a Reshape's -1 unknown, so a Dense or BatchNormalization
//     after it cannot be built there (counted, skipped).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadConvolab } from '../../bindings/convolab.js';
import { seededRandom } from '../../bindings/seeded-random.js';

await tf.setBackend('cpu');
const cl = await loadConvolab();

const CASES = 300;
const N = 2; // examples per batch

// ---------- the generator ----------

const ACTS = ['linear', 'relu', 'tanh', 'sigmoid'];

function generator(rand) {
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const pair = (lo, hi) => (rand() < 0.6 ? int(lo, hi) : [int(lo, hi), int(lo, hi)]);
  const two = (v) => (Array.isArray(v) ? v : [v, v]);
  const padding = () => pick(['valid', 'same']);

  // One layer that fits shape (per example), or null.
  const imageLayers = {
    conv2d: () => ({
      type: 'conv2d',
      filters: int(1, 3),
      kernelSize: pair(1, 3),
      strides: pair(1, 2),
      padding: padding(),
      activation: pick(ACTS),
    }),
    maxPooling2d: () => ({
      type: 'maxPooling2d',
      poolSize: pair(1, 3),
      strides: pair(1, 2),
      padding: padding(),
    }),
    averagePooling2d: () => ({
      type: 'averagePooling2d',
      poolSize: pair(1, 3),
      strides: pair(1, 2),
      padding: padding(),
    }),
    globalAveragePooling2d: () => ({ type: 'globalAveragePooling2d' }),
    globalMaxPooling2d: () => ({ type: 'globalMaxPooling2d' }),
    flatten: () => ({ type: 'flatten' }),
    zeroPadding2d: () => ({
      type: 'zeroPadding2d',
      padding: pick([
        int(0, 2),
        [int(0, 2), int(0, 2)],
        [
          [int(0, 2), int(0, 2)],
          [int(0, 2), int(0, 2)],
        ],
      ]),
    }),
    cropping2d: () => ({
      type: 'cropping2d',
      cropping: pick([
        int(0, 1),
        [int(0, 1), int(0, 1)],
        [
          [int(0, 1), int(0, 1)],
          [int(0, 1), int(0, 1)],
        ],
      ]),
    }),
    upSampling2d: () => ({
      type: 'upSampling2d',
      size: pair(1, 3),
      interpolation: pick(['nearest', 'bilinear']),
    }),
    depthwiseConv2d: () => ({
      type: 'depthwiseConv2d',
      kernelSize: pair(1, 3),
      depthMultiplier: int(1, 2),
      strides: pair(1, 2),
      padding: padding(),
      activation: pick(ACTS),
      useBias: rand() < 0.7,
    }),
    separableConv2d: () => ({
      type: 'separableConv2d',
      filters: int(1, 3),
      kernelSize: pair(1, 3),
      depthMultiplier: int(1, 2),
      strides: pair(1, 2),
      padding: padding(),
      activation: pick(ACTS),
    }),
    conv2dTranspose: () => ({
      type: 'conv2dTranspose',
      filters: int(1, 3),
      kernelSize: pair(1, 3),
      strides: pair(1, 2),
      padding: padding(),
      activation: pick(ACTS),
    }),
  };
  const anyLayers = {
    dense: () => ({ type: 'dense', units: int(1, 4), activation: pick(ACTS), useBias: rand() < 0.8 }),
    batchNormalization: () => ({
      type: 'batchNormalization',
      momentum: pick([0.9, 0.99]),
      epsilon: pick([1e-3, 0.01]),
    }),
    activation: () => ({ type: 'activation', activation: pick([...ACTS, 'softmax']) }),
    reLU: () => ({ type: 'reLU' }),
    leakyReLU: () => ({ type: 'leakyReLU', alpha: pick([0.1, 0.3]) }),
    softmax: () => ({ type: 'softmax' }),
    dropout: () => ({ type: 'dropout', rate: pick([0, 0.3]) }),
  };
  const size = (s) => s.reduce((a, b) => a * b, 1);
  // a reshape to an image or flat shape of the same size
  const reshapeFor = (shape) => {
    const total = size(shape);
    if (rand() < 0.4) return { type: 'reshape', targetShape: [-1] };
    const divisors = [];
    for (let d = 1; d <= total; d++) if (total % d === 0) divisors.push(d);
    const h = pick(divisors.filter((d) => d <= 6));
    const rest = total / h;
    const w = pick(divisors.filter((d) => rest % d === 0 && d <= 6 && d <= rest));
    return { type: 'reshape', targetShape: rand() < 0.5 ? [h, w, rest / w] : [h, -1, rest / w] };
  };
  const layerFor = (shape) => {
    if (shape.length === 3 && rand() < 0.75) {
      const keys = Object.keys(imageLayers);
      return imageLayers[pick(keys)]();
    }
    if (rand() < 0.12) return reshapeFor(shape);
    return anyLayers[pick(Object.keys(anyLayers))]();
  };

  // Shapes as tfjs computes them (the independent twin builds them too; this
  // only keeps the generator from drawing mostly invalid stacks).
  const next = (shape, l) => {
    const [h, w, c] = shape;
    const win = (inp, k, s, pad) => (pad === 'same' ? Math.ceil(inp / s) : Math.floor((inp - k) / s) + 1);
    switch (l.type) {
      case 'conv2d':
      case 'depthwiseConv2d':
      case 'separableConv2d': {
        const [kh, kw] = two(l.kernelSize),
          [sh, sw] = two(l.strides);
        const oc = l.type === 'conv2d' || l.type === 'separableConv2d' ? l.filters : c * l.depthMultiplier;
        return [win(h, kh, sh, l.padding), win(w, kw, sw, l.padding), oc];
      }
      case 'maxPooling2d':
      case 'averagePooling2d': {
        const [kh, kw] = two(l.poolSize),
          [sh, sw] = two(l.strides);
        return [win(h, kh, sh, l.padding), win(w, kw, sw, l.padding), c];
      }
      case 'conv2dTranspose': {
        const [kh, kw] = two(l.kernelSize),
          [sh, sw] = two(l.strides);
        const len = (inp, k, s) => (l.padding === 'same' ? inp * s : inp * s + Math.max(k - s, 0));
        return [len(h, kh, sh), len(w, kw, sw), l.filters];
      }
      case 'globalAveragePooling2d':
      case 'globalMaxPooling2d':
        return [c];
      case 'flatten':
        return [size(shape)];
      case 'zeroPadding2d':
      case 'cropping2d': {
        const v = l.padding ?? l.cropping;
        const [[t, b], [le, r]] =
          typeof v === 'number'
            ? [
                [v, v],
                [v, v],
              ]
            : typeof v[0] === 'number'
              ? [
                  [v[0], v[0]],
                  [v[1], v[1]],
                ]
              : v;
        const sign = l.type === 'zeroPadding2d' ? 1 : -1;
        return [h + sign * (t + b), w + sign * (le + r), c];
      }
      case 'upSampling2d': {
        const [a, b] = two(l.size);
        return [h * a, w * b, c];
      }
      case 'reshape': {
        const t = l.targetShape.slice();
        const i = t.indexOf(-1);
        if (i >= 0) t[i] = size(shape) / -size(t);
        return t;
      }
      case 'dense':
        return [...shape.slice(0, -1), l.units];
      default:
        return shape;
    }
  };

  // A valid stack: 1 to 5 layers, every shape positive and small.
  function valid() {
    for (;;) {
      const inputShape = [int(3, 7), int(3, 7), int(1, 3)];
      let shape = inputShape;
      const layers = [];
      const depth = int(1, 5);
      let ok = true;
      for (let i = 0; i < depth && ok; i++) {
        const l = layerFor(shape);
        const s = next(shape, l);
        ok =
          s.every((d) => Number.isInteger(d) && d >= 1) &&
          size(s) <= 600 &&
          s.slice(0, 2).every((d) => d <= 14);
        if (ok) {
          layers.push(l);
          shape = s;
        }
      }
      if (ok && layers.length) return { inputShape, layers, outputShape: shape };
    }
  }

  // An invalid stack: a valid prefix, then one layer that cannot follow it.
  function invalid() {
    const v = valid();
    const shape = v.outputShape;
    const bad = [];
    if (shape.length === 3) {
      const [h, w] = shape;
      bad.push(
        { type: 'conv2d', filters: 2, kernelSize: [h + 1, 1] }, // does not fit ('valid')
        { type: 'maxPooling2d', poolSize: [1, w + 1] },
        {
          type: 'cropping2d',
          cropping: [
            [Math.ceil(h / 2), Math.ceil(h / 2)],
            [0, 0],
          ],
        }, // 0-sized
        { type: 'reshape', targetShape: [size(shape) + 1] },
        { type: 'depthwiseConv2d', kernelSize: h + 2 },
      );
    } else {
      bad.push(
        { type: 'conv2d', filters: 1, kernelSize: 1 }, // needs an image
        { type: 'maxPooling2d' },
        { type: 'globalAveragePooling2d' },
        { type: 'upSampling2d' },
        { type: 'zeroPadding2d' },
      );
      if (shape.length === 1) bad.push({ type: 'flatten' });
    }
    const layers = [...v.layers, pick(bad)];
    if (rand() < 0.3) layers.push(anyLayers.dense());
    return { inputShape: v.inputShape, layers, badIndex: v.layers.length };
  }
  return { valid, invalid, rand, int, pick };
}

// ---------- the tfjs twin ----------

function tfjsLayer(spec, inputShape) {
  const o = inputShape ? { inputShape } : {};
  const { type, ...options } = structuredClone(spec); // tfjs may rewrite option arrays in place
  const make = tfl.layers[type === 'cropping2d' ? 'cropping2D' : type]; // tfjs spells it cropping2D
  if (!make) throw new Error(`no tfjs layer ${type}`);
  // tfjs's Softmax layer defaults to axis 1, which it cannot run on an image;
  // Convolab's (Keras's) softmax runs over the last axis
  if (type === 'softmax') options.axis = -1;
  // tfjs's UpSampling2D takes only [h, w] (a number gives NaN sizes); Keras and Convolab take n too
  if (type === 'upSampling2d' && typeof options.size === 'number')
    options.size = [options.size, options.size];
  return make({ ...o, ...options });
}

// Builds the tfjs model layer by layer; returns { model } or { failedAt, error }.
function buildTfjs(spec) {
  const model = tfl.sequential();
  for (let i = 0; i < spec.layers.length; i++) {
    try {
      model.add(tfjsLayer(spec.layers[i], i === 0 ? spec.inputShape : null));
    } catch (error) {
      model.dispose();
      return { failedAt: i, error };
    }
    const out = model.layers[i].outputShape.slice(1);
    // (tfjs leaves a Reshape's -1 as null until it runs)
    if (out.some((d) => d !== null && !(d >= 1))) return { model, zeroSizedAt: i };
  }
  return { model };
}

// ---------- comparisons ----------

function assertClose(actual, expected, what, abs, rel) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= abs + rel * Math.abs(expected[i])))
      assert.fail(
        `${what}: element ${i} convolab ${actual[i]} tfjs ${expected[i]} (|a - e| = ${err.toExponential(2)})`,
      );
  }
}
// Gradients are sums over the batch and positions of products: their
// float32 round-off is judged against the tensor's own scale.
function assertCloseScaled(actual, expected, what, rel) {
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  assertClose(actual, expected, what, 1e-5 * Math.max(1, scale) + 1e-4 * scale * 0.05, rel);
}

function randoms(count, rand, lo = -1, hi = 1) {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

const LOSSES = {
  meanSquaredError: (y, t) => tf.mean(tf.square(tf.sub(y, t))),
  // from logits: softmax over the last axis at every position, mean over positions and batch
  logits: (y, t) => tf.neg(tf.mean(tf.sum(tf.mul(t, tf.logSoftmax(y, -1)), -1))),
  probabilities: (y, t) => tf.neg(tf.mean(tf.sum(tf.mul(t, tf.log(y)), -1))),
};

const OPTIMIZERS = [
  ['sgd', { type: 'sgd', learningRate: 0.05 }, () => tf.train.sgd(0.05)],
  ['momentum', { type: 'momentum', learningRate: 0.05, momentum: 0.9 }, () => tf.train.momentum(0.05, 0.9)],
  ['adam', { type: 'adam', learningRate: 0.001 }, () => tf.train.adam(0.001)],
];

// tfjs reduces GlobalMaxPooling2D with tf.max, whose gradient goes to every
// element equal to the maximum: with a tie (values duplicated by an
// overlapping pool or nearest upsampling, zeros from padding or ReLU) it
// counts the gradient once per tie, which finite differences contradict.
// Convolab (like tfjs's own MaxPool) sends it to the first maximum.
function globalMaxTie(model, spec, xs) {
  return spec.layers.some((l, i) => {
    if (l.type !== 'globalMaxPooling2d') return false;
    const a = tf.tidy(() =>
      model.layers.slice(0, i).reduce((t, layer) => layer.apply(t, { training: true }), xs),
    );
    const [n, h, w, c] = a.shape;
    const v = a.dataSync();
    if (a !== xs) a.dispose();
    for (let e = 0; e < n; e++)
      for (let ch = 0; ch < c; ch++) {
        let best = -Infinity,
          ties = 0;
        for (let p = 0; p < h * w; p++) {
          const x = v[(e * h * w + p) * c + ch];
          if (x > best) [best, ties] = [x, 1];
          else if (x === best) ties++;
        }
        if (ties > 1) return true;
      }
    return false;
  });
}

// tfjs leaves a Reshape's -1 unknown: can a failure at layer i be that?
const unknownBefore = (spec, i) =>
  spec.layers.slice(0, i).some((l) => l.type === 'reshape' && l.targetShape.includes(-1));

const counts = {};
const count = (group) => (counts[group] = (counts[group] ?? 0) + 1);

function checkValid(spec, rand, index) {
  const what = `case ${index} ${JSON.stringify(spec)}`;
  const m = cl.sequential(spec, { seed: index + 1 });
  const twin = buildTfjs(spec);
  const stopped = twin.failedAt ?? twin.zeroSizedAt;
  if (stopped !== undefined && unknownBefore(spec, stopped)) {
    twin.model?.dispose();
    // tfjs leaves a Reshape's -1 unknown, and a layer after it that needs the
    // size (Dense, BatchNormalization) cannot be built; Keras and Convolab can
    m.dispose();
    count('skipped: tfjs cannot build after a Reshape with -1');
    return;
  }
  assert.ok(
    twin.model && twin.zeroSizedAt === undefined,
    `${what}: tfjs refused a stack Convolab built: ${twin.error}`,
  );
  const model = twin.model;
  try {
    // shapes (as tfjs declares them, and as they come out when it runs) and
    // parameter counts per layer
    let run = tf.zeros([1, ...spec.inputShape]);
    m.layers.forEach((l, i) => {
      const declared = model.layers[i].outputShape.slice(1);
      const next = model.layers[i].apply(run);
      tf.dispose(run);
      run = next;
      assert.deepEqual(l.outputShape, run.shape.slice(1), `${what}: layer ${i + 1} output shape`);
      declared.forEach(
        (d, j) => d === null || assert.equal(l.outputShape[j], d, `${what}: layer ${i + 1} shape`),
      );
      assert.equal(l.countParams(), model.layers[i].countParams(), `${what}: layer ${i + 1} countParams`);
    });
    tf.dispose(run);
    assert.equal(m.countParams(), model.countParams(), `${what}: countParams`);
    count('shapes and countParams');
    // Convolab's initial weights into tfjs, in tfjs's order and shapes
    m.layers.forEach((l, i) => {
      const ws = l.getWeights();
      if (ws.length) model.layers[i].setWeights(ws.map((w) => tf.tensor(w.data, w.shape)));
    });
    const x = randoms(N * spec.inputShape.reduce((a, b) => a * b, 1), rand);
    const xs = tf.tensor(x, [N, ...spec.inputShape]);
    const mine = m.predict({ data: x, shape: [N, ...spec.inputShape] });
    const theirs = model.predict(xs);
    assert.deepEqual(mine.shape, theirs.shape, `${what}: predict shape`);
    assertClose(mine.data, theirs.dataSync(), `${what}: predict`, 1e-5, 1e-4);
    count(`forward (${m.outputShape.length === 3 ? 'feature-map' : 'flat'} output)`);

    const types = spec.layers.map((l) => l.type);
    const avgSame = spec.layers.some((l) => l.type === 'averagePooling2d' && l.padding === 'same');
    const randomDropout = spec.layers.some((l) => l.type === 'dropout' && l.rate > 0);
    if (avgSame || randomDropout) {
      count(avgSame ? 'training skipped: tfjs AvgPool same gradient' : 'training skipped: random dropout');
      return;
    }
    if (types.includes('upSampling2d')) {
      count('training skipped: tfjs UpSampling2D gradient (nearest is wrong, bilinear throws)');
      return;
    }
    if (globalMaxTie(model, spec, xs)) {
      count('training skipped: tied GlobalMaxPooling2D maximum (tfjs sends the gradient to every tie)');
      return;
    }
    // the loss: cross-entropy over the last axis where it has classes, else MSE
    const k = m.outputShape.at(-1);
    const last = spec.layers.at(-1);
    const lastAct =
      last.activation ?? (last.type === 'softmax' ? 'softmax' : last.type === 'reLU' ? 'relu' : 'linear');
    const hasAct = [
      'conv2d',
      'dense',
      'depthwiseConv2d',
      'separableConv2d',
      'conv2dTranspose',
      'activation',
      'softmax',
      'reLU',
    ].includes(last.type);
    const useCE = k >= 2 && rand() < 0.6;
    const probabilities = useCE && hasAct && lastAct === 'softmax';
    const lossName = useCE ? 'categoricalCrossentropy' : 'meanSquaredError';
    const lossFn = LOSSES[useCE ? (probabilities ? 'probabilities' : 'logits') : 'meanSquaredError'];
    const positions = m.outputShape.slice(0, -1).reduce((a, b) => a * b, 1);
    const t = new Float32Array(N * positions * k);
    const labels = new Int32Array(N * positions);
    for (let r = 0; r < N * positions; r++) {
      labels[r] = Math.floor(rand() * k);
      if (useCE) t[r * k + labels[r]] = 1;
      else for (let j = 0; j < k; j++) t[r * k + j] = rand() * 2 - 1;
    }
    const ts = tf.tensor(t, [N, ...m.outputShape]);
    const [optName, optConfig, tfOptimizer] = OPTIMIZERS[index % OPTIMIZERS.length];
    m.compile({ optimizer: optConfig, loss: lossName, fromLogits: useCE ? !probabilities : undefined });
    const optimizer = tfOptimizer();
    const y = useCE && positions > 1 && rand() < 0.5 ? labels : { data: t, shape: [N, ...m.outputShape] };
    if (model.trainableWeights.length === 0) {
      const e = lossFn(model.apply(xs, { training: true }), ts);
      assertClose(
        [m.trainOnBatch({ data: x, shape: [N, ...spec.inputShape] }, y)],
        e.dataSync(),
        `${what}: loss`,
        1e-5,
        1e-4,
      );
      count('loss only (no trainable weights)');
      return;
    }
    for (let step = 1; step <= 2; step++) {
      const { value, grads } = tf.variableGrads(
        () => lossFn(model.apply(xs, { training: true }), ts),
        model.trainableWeights.map((w) => w.val),
      );
      const loss = m.trainOnBatch({ data: x, shape: [N, ...spec.inputShape] }, y);
      if (step === 1) {
        assertClose([loss], value.dataSync(), `${what}: loss`, 1e-5, 1e-4);
        m.layers.forEach((l, i) => {
          const mineGrads = l.getGradients();
          model.layers[i].weights.forEach((w, j) => {
            if (!w.trainable) return;
            assertCloseScaled(
              mineGrads[j].data,
              grads[w.val.name].dataSync(),
              `${what}: gradient of layer ${i + 1} ${l.weightSpecs[j].name}`,
              1e-4,
            );
          });
        });
        count(
          `loss and gradients: ${useCE ? (positions > 1 ? 'cross-entropy per position' : 'cross-entropy') : 'mean squared error'}`,
        );
      }
      optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    }
    m.layers.forEach((l, i) => {
      const ws = l.getWeights();
      model.layers[i].weights.forEach((w, j) => {
        if (!w.trainable) return;
        assertClose(
          ws[j].data,
          w.read().dataSync(),
          `${what}: ${optName} layer ${i + 1} ${l.weightSpecs[j].name} after 2 steps`,
          1e-6,
          1e-5,
        );
      });
    });
    count(`two steps: ${optName}`);
    optimizer.dispose();
    tf.dispose([xs, ts, theirs]);
    void types;
  } finally {
    m.dispose();
    model.dispose();
  }
}

function checkInvalid(spec, index) {
  const what = `invalid case ${index} ${JSON.stringify(spec)}`;
  const twin = buildTfjs(spec);
  let rejected = null;
  try {
    cl.sequential(spec).dispose();
  } catch (e) {
    rejected = e;
  }
  assert.ok(rejected instanceof cl.SpecError, `${what}: Convolab accepted it`);
  const stopped = twin.failedAt ?? twin.zeroSizedAt;
  if (stopped < spec.badIndex && unknownBefore(spec, stopped)) {
    twin.model?.dispose();
    count('skipped: tfjs cannot build after a Reshape with -1');
    return;
  }
  let at = twin.failedAt ?? twin.zeroSizedAt;
  let group =
    twin.failedAt !== undefined
      ? 'invalid: both refuse, same layer'
      : 'invalid: tfjs builds a 0-sized output, Convolab refuses';
  if (at === undefined) {
    // some stacks (a Reshape of the wrong size) tfjs builds and refuses only when it runs
    assert.throws(
      () => twin.model.predict(tf.zeros([1, ...spec.inputShape])),
      `${what}: tfjs built and ran it`,
    );
    at = spec.badIndex;
    group = 'invalid: tfjs refuses only when it runs, Convolab when it builds';
  }
  twin.model?.dispose();
  // Convolab names the same layer tfjs failed at (1-based, with its type)
  const m = /^layer (\d+) \(([A-Za-z0-9]+)\)/.exec(rejected.message);
  assert.ok(m, `${what}: the rejection does not name a layer: ${rejected.message}`);
  assert.equal(Number(m[1]), at + 1, `${what}: ${rejected.message}`);
  count(group);
}

test(`${CASES} random stacks agree with TensorFlow.js (shapes, params, forward, loss, gradients, optimizer steps) and invalid ones are refused at the same layer`, () => {
  const gen = generator(seededRandom(20260415));
  for (let i = 0; i < CASES; i++) {
    if (i % 5 === 4) checkInvalid(gen.invalid(), i);
    else checkValid(gen.valid(), gen.rand, i);
  }
  const lines = Object.entries(counts)
    .sort()
    .map(([k, v]) => `  ${k}: ${v}`);
  console.log(`random check against tfjs, cases per group:\n${lines.join('\n')}`);
});
