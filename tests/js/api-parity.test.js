// Model (main thread) and convolab/worker's WorkerModel are one API: the
// method table in bindings/methods.js. This holds both to it: the same
// methods and properties, and the same calls through both give the same
// answers (values, tensors, errors). A new row in the table fails here until
// it gets a sample call below.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadConvolab, Tensor } from '../../bindings/convolab.js';
import { loadConvolabWorker } from '../../bindings/worker.js';
import {
  LAYER_FACTS,
  LAYER_METHODS,
  MODEL_FACTS,
  MODEL_METHODS,
  RUN_METHODS,
} from '../../bindings/methods.js';

await tf.setBackend('cpu');
const cl = await loadConvolab();
const wcl = await loadConvolabWorker();
after(() => wcl.terminate());

const SPEC = {
  inputShape: [6, 6, 1],
  layers: [
    { type: 'conv2d', filters: 3, kernelSize: 3, activation: 'relu' },
    { type: 'batchNormalization' },
    { type: 'maxPooling2d' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};
const N = 8;
const xs = new Float32Array(N * 36).map((_, i) => Math.sin(i * 0.7));
const ys = new Int32Array(N).map((_, i) => i % 3);
const X = new Tensor(xs, [N, 6, 6, 1]);
const ONE = new Tensor(xs.slice(0, 36), [1, 6, 6, 1]);
const BAD = { data: new Float32Array(4), shape: [1, 2, 2, 1] };

// Public methods of a prototype, and public properties of an instance (own or getters).
const methodsOf = (proto) =>
  Object.getOwnPropertyNames(proto).filter(
    (k) =>
      k !== 'constructor' &&
      !k.startsWith('_') &&
      typeof Object.getOwnPropertyDescriptor(proto, k).value === 'function',
  );
const propertiesOf = (object) => {
  const getters = Object.entries(Object.getOwnPropertyDescriptors(Object.getPrototypeOf(object)))
    .filter(([, d]) => d.get)
    .map(([k]) => k);
  return [...Object.keys(object), ...getters].filter((k) => !k.startsWith('_'));
};
const sorted = (a) => [...a].sort();

// Answers as plain data, so a Tensor from either side compares by value.
function plain(v) {
  if (v instanceof Tensor) return { tensor: Array.from(v.data), shape: v.shape, name: v.name };
  if (ArrayBuffer.isView(v)) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
// The timings are measured, not computed: the same layers and fields, any values.
const timingShape = (t) => t.map((row) => Object.keys(row).sort());

// One call of each model method the worker offers, in this order, through both:
// [name, args (or a function of the main-thread model giving them), how to compare].
const halved = (m) => [
  m.getWeights().map(
    (t) =>
      new Tensor(
        t.data.map((v) => v * 0.5),
        t.shape,
      ),
  ),
];
const MODEL_CALLS = [
  ['compile', [{ optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'sparseCategoricalCrossentropy' }]],
  ['compileConfig', []],
  ['setLearningRate', [0.02]],
  ['trainOnBatch', [X, ys]],
  ['trainOnBatch', [X, ys]],
  ['predict', [X]],
  ['evaluate', [X, ys]],
  ['activations', [ONE]],
  ['gradients', []],
  ['activationGradients', []],
  ['timings', [], timingShape],
  ['summary', []],
  ['summaryData', []],
  ['countParams', []],
  ['toJSON', []],
  ['getWeights', []],
  ['setWeights', halved],
  ['save', [{ includeOptimizer: false }]],
  ['save', []],
  [
    'exportTfjs',
    [],
    (f) => ({ modelJSON: f.modelJSON, weights: Array.from(new Float32Array(f.weightData)) }),
  ],
  ['exportOnnx', []],
];
const MODEL_ERRORS = [
  ['predict', [BAD]],
  ['evaluate', [X, new Int32Array(2)]],
  ['setWeights', [[new Float32Array(1)]]],
  ['compile', [{ optimizer: { type: 'nope' } }]],
];
const shifted = (l) => [l.getWeights().map((t) => t.data.map((v) => v + 0.25))];
const LAYER_CALLS = [
  ['countParams', []],
  ['getWeights', []],
  ['getGradients', []],
  ['setWeights', shifted],
];

async function pair(seed = 7) {
  const main = cl.sequential(SPEC, { seed });
  const proxy = await wcl.sequential(SPEC, { seed });
  return { main, proxy };
}

async function callBoth(main, proxy, name, args, shape = (v) => v) {
  const row = MODEL_METHODS[name];
  const a = row.getter ? main[name] : await main[name](...args);
  const b = await proxy[name](...args);
  if (row.answer === 'self') {
    assert.equal(a, main, `${name} returns the model`);
    assert.equal(b, proxy, `${name} resolves to the proxy`);
    return;
  }
  assert.deepEqual(plain(shape(b)), plain(shape(a)), `${name}(${args.length} args): the same answer`);
  return a;
}

test('Model and WorkerModel have the methods and properties of the method table, Layer and WorkerLayer too', async () => {
  const { main, proxy } = await pair();
  const inTable = Object.keys(MODEL_METHODS);
  const getters = inTable.filter((k) => MODEL_METHODS[k].getter);
  assert.deepEqual(sorted([...methodsOf(Object.getPrototypeOf(main)), ...getters]), sorted(inTable));
  const viaWorker = inTable.filter((k) => MODEL_METHODS[k].worker !== false);
  assert.deepEqual(sorted(methodsOf(Object.getPrototypeOf(proxy))), sorted(viaWorker));
  assert.deepEqual(
    sorted(methodsOf(Object.getPrototypeOf(main.layers[0]))),
    sorted(Object.keys(LAYER_METHODS)),
  );
  assert.deepEqual(
    sorted(methodsOf(Object.getPrototypeOf(proxy.layers[0]))),
    sorted(Object.keys(LAYER_METHODS)),
  );
  // stopTraining is set from a fit's callback, which in a worker only notifies
  const props = (m) => sorted(propertiesOf(m).filter((k) => !getters.includes(k) && k !== 'stopTraining'));
  assert.deepEqual(props(proxy), props(main));
  for (const k of props(main)) if (k !== 'layers') assert.deepEqual(proxy[k], main[k], k);
  for (const k of MODEL_FACTS) assert.deepEqual(proxy[k], main[k], k);
  main.layers.forEach((l, i) => {
    for (const k of LAYER_FACTS) assert.deepEqual(proxy.layers[i][k], l[k], `layer ${i + 1} ${k}`);
  });
  main.dispose();
  await proxy.dispose();
});

test('the same calls through Model and WorkerModel give the same answers and the same errors', async () => {
  const { main, proxy } = await pair();
  const called = new Set();
  for (const [name, given, shape] of MODEL_CALLS) {
    const args = typeof given === 'function' ? given(main) : given;
    await callBoth(main, proxy, name, args, shape);
    called.add(name);
  }
  const untested = Object.keys(MODEL_METHODS).filter((k) => {
    const row = MODEL_METHODS[k];
    return row.worker !== false && !['own', 'run'].includes(row.answer) && !called.has(k);
  });
  assert.deepEqual(untested, [], 'every method the worker answers has a sample call here');
  for (const [name, args] of MODEL_ERRORS) {
    let expected = null;
    try {
      main[name](...args);
    } catch (e) {
      expected = e;
    }
    assert.ok(expected, `${name} refuses the bad call`);
    await assert.rejects(proxy[name](...args), (e) => {
      assert.equal(e.constructor, expected.constructor, `${name}: ${e.message}`);
      assert.equal(e.message, expected.message);
      return true;
    });
  }
  // both trained alike, so they still predict alike
  await callBoth(main, proxy, 'predict', [X]);
  main.dispose();
  await proxy.dispose();
});

test('the same layer calls through Layer and WorkerLayer give the same answers', async () => {
  const { main, proxy } = await pair();
  await callBoth(main, proxy, 'trainOnBatch', [X, ys]);
  for (const [i, layer] of main.layers.entries()) {
    const called = new Set();
    for (const [name, given] of LAYER_CALLS) {
      const args = typeof given === 'function' ? given(layer) : given;
      const a = layer[name](...args);
      const b = await proxy.layers[i][name](...args);
      assert.deepEqual(plain(b), plain(a), `layer ${i + 1} ${name}`);
      called.add(name);
    }
    assert.deepEqual(
      sorted(called),
      sorted(Object.keys(LAYER_METHODS)),
      'every layer method has a sample call',
    );
  }
  await callBoth(main, proxy, 'getWeights', []);
  main.dispose();
  await proxy.dispose();
});

test('countParams counts every weight, BatchNormalization’s moving statistics too, as tfjs does', async () => {
  const { main, proxy } = await pair();
  const ref = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, activation: 'relu' }),
      tfl.layers.batchNormalization(),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  assert.equal(main.countParams(), ref.countParams());
  assert.equal(proxy.countParams(), ref.countParams());
  assert.deepEqual(
    main.layers.map((l) => l.countParams()),
    ref.layers.map((l) => l.countParams()),
  );
  // the summary keeps the two kinds apart: BatchNormalization's 6 moving statistics are not trainable
  const { totals } = main.summaryData();
  assert.deepEqual([totals.params, totals.nonTrainable], [ref.countParams() - 6, 6]);
  ref.dispose();
  main.dispose();
  await proxy.dispose();
});

test('fit through Model and WorkerModel trains alike: the same batches, history and weights', async () => {
  const { main, proxy } = await pair();
  const options = (logs) => ({
    epochs: 2,
    batchSize: 3,
    shuffle: true,
    seed: 5,
    validationSplit: 0.25,
    onBatchEnd: (b, l) => logs.push(l),
  });
  const mainLogs = [],
    proxyLogs = [];
  const a = await main.fit(X, ys, options(mainLogs));
  const b = await proxy.fit(X, ys, options(proxyLogs));
  assert.deepEqual(b, a);
  assert.deepEqual(proxyLogs, mainLogs);
  await callBoth(main, proxy, 'getWeights', []);
  main.dispose();
  await proxy.dispose();
});

test('fit returns a Run on both sides: the same controls, states and answers, step by step', async () => {
  const { main, proxy } = await pair();
  const logs = { main: [], proxy: [] };
  const start = (m, into) =>
    m.fit(X, ys, {
      epochs: 1e6, // never ends by itself: stop() ends it
      batchSize: 2,
      seed: 3,
      startPaused: true,
      onBatchEnd: (b, l) => into.push(l),
    });
  const a = start(main, logs.main),
    b = start(proxy, logs.proxy);
  const thenable = ['then', 'catch', 'finally'];
  for (const run of [a, b])
    assert.deepEqual(
      sorted(methodsOf(Object.getPrototypeOf(run))),
      sorted([...Object.keys(RUN_METHODS), ...thenable]),
    );
  const same = async (what, f, { state = true } = {}) => {
    const [x, y] = [f(a), await f(b)];
    assert.deepEqual(await y, await x, what);
    if (!state) return;
    assert.deepEqual([b.state, b.isPaused, b.isLive], [a.state, a.isPaused, a.isLive], `${what}: state`);
    assert.deepEqual(
      [proxy.isTraining, proxy.isPaused],
      [main.isTraining, main.isPaused],
      `${what}: the model`,
    );
  };
  await same('started paused', () => undefined);
  await same('step', (r) => r.step());
  await same('setBatchSize', (r) => r.setBatchSize(3));
  await same('step', (r) => r.step());
  assert.deepEqual(logs.proxy, logs.main, 'the steps ran the same batches');
  await same('setLearningRate', (r) => r.setLearningRate(0.5));
  await same('step at the new rate', (r) => r.step());
  await same('resume', (r) => r.resume());
  await same('pause', (r) => r.pause());
  await same('stop', (r) => r.stop(), { state: false }); // live until its batch ends, on either side
  const [ha, hb] = [await a, await b];
  assert.equal(ha.stopped, true);
  assert.deepEqual(hb.stopped, ha.stopped);
  await same('ended', () => undefined);
  await same('step once ended', (r) => r.step());
  await assert.rejects(b.setBatchSize(0), (e) => {
    assert.throws(() => a.setBatchSize(0), { constructor: e.constructor, message: e.message });
    return true;
  });
  // a fit that cannot start fails alike, as a Run
  const bad = [main.fit(BAD, ys), proxy.fit(BAD, ys)];
  assert.equal(typeof bad[1].then, 'function');
  const [ea, eb] = await Promise.all(
    bad.map((r) =>
      r.then(
        () => null,
        (e) => e,
      ),
    ),
  );
  assert.deepEqual([eb.constructor, eb.message], [ea.constructor, ea.message]);
  assert.deepEqual([bad[1].state, bad[1].isLive], [bad[0].state, bad[0].isLive]);
  main.dispose();
  await proxy.dispose();
});
