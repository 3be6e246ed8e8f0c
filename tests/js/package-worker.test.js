// convolab/worker under Node (worker_threads): the same API, asynchronous;
// fit streams progress and obeys pause, resume, stop and AbortSignal.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { DisposedError, SpecError, InputError, Tensor, TrainingError } from '../../bindings/convolab.js';

const cl = await loadConvolabWorker();
after(() => cl.terminate());

const SPEC = {
  inputShape: [6, 6, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};
// Three classes a net can tell apart: which third of the columns is lit.
const N = 600;
const x = new Float32Array(N * 36),
  y = new Int32Array(N);
for (let i = 0; i < N; i++) {
  y[i] = i % 3;
  for (let p = 0; p < 36; p++) x[i * 36 + p] = Math.floor((p % 6) / 2) === y[i] ? 1 : 0.1 * ((i * 7 + p) % 3);
}
const data = { data: x, shape: [N, 6, 6, 1] };
const nextTurn = () => new Promise((r) => setTimeout(r, 30));

test('a model in the worker trains, streams progress and predicts', async () => {
  const m = await cl.sequential(SPEC, { seed: 3 });
  assert.deepEqual(
    m.layers.map((l) => l.outputShape),
    [[4, 4, 4], [64], [3]],
  );
  assert.deepEqual(m.toJSON().inputShape, [6, 6, 1]);
  await m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
  const batchLosses = [];
  const h = await m.fit(data, y, {
    epochs: 3,
    batchSize: 20,
    validationSplit: 0.2,
    onBatchEnd: (b, logs) => batchLosses.push(logs.loss),
  });
  assert.equal(batchLosses.length, 3 * 24);
  assert.ok(h.history.val_acc[2] > 0.9, `validation accuracy ${h.history.val_acc[2]}`);
  const p = await m.predict({ data: x.subarray(0, 3 * 36), shape: [3, 6, 6, 1] });
  assert.ok(p instanceof Tensor);
  assert.deepEqual(Array.from(p.argMax()), [0, 1, 2]);
  const [kernel, bias] = await m.layers[0].getWeights();
  assert.deepEqual([kernel.shape, bias.shape], [[3, 3, 1, 4], [4]]);
  const acts = await m.activations({ data: x.subarray(0, 36), shape: [1, 6, 6, 1] });
  assert.deepEqual(
    acts.map((t) => t.shape),
    [
      [1, 4, 4, 4],
      [1, 64],
      [1, 3],
    ],
  );
  assert.match(await m.summary(), /Conv2D/);
  // a model saved in the worker loads on this thread (and back) with the same outputs
  const bytes = await m.save();
  const local = (await import('../../bindings/convolab.js')).loadConvolab;
  const here = (await local()).load(bytes);
  assert.deepEqual(
    Array.from(here.predict({ data: x.subarray(0, 3 * 36), shape: [3, 6, 6, 1] }).data),
    Array.from(p.data),
  );
  const back = await cl.load(here.save());
  assert.deepEqual(
    Array.from((await back.predict({ data: x.subarray(0, 3 * 36), shape: [3, 6, 6, 1] })).data),
    Array.from(p.data),
  );
  here.dispose();
  await back.dispose();
  await m.dispose();
  await assert.rejects(m.predict(data), DisposedError);
});

test('pause parks training between batches; predict answers while paused; resume and stop continue and end it', async () => {
  const m = await cl.sequential(SPEC, { seed: 4 });
  await m.compile({ optimizer: { type: 'sgd', learningRate: 0.05 } });
  let batches = 0;
  const run = m.fit(data, y, {
    epochs: 1000,
    batchSize: 10,
    onBatchEnd: () => {
      batches++;
    },
  });
  while (batches < 5) await nextTurn();
  await m.pause();
  await nextTurn(); // events already in flight arrive
  const parked = batches;
  await nextTurn();
  await nextTurn();
  assert.equal(batches, parked, 'no batch runs while paused');
  assert.equal((await m.predict({ data: x.subarray(0, 36), shape: [1, 6, 6, 1] })).shape[1], 3);
  await m.resume();
  while (batches < parked + 5) await nextTurn();
  await m.stop();
  const h = await run;
  assert.equal(h.stopped, true);
  assert.ok(h.epoch.length < 1000);
  await m.dispose();
});

test('startPaused and step() run one batch at a time in the worker; setBatchSize reaches the running fit; requests answer while it trains', async () => {
  const m = await cl.sequential(SPEC, { seed: 5 });
  await m.compile({ optimizer: { type: 'sgd', learningRate: 0.05 } });
  const sizes = [];
  const run = m.fit(data, y, {
    epochs: 1000,
    batchSize: 10,
    startPaused: true,
    onBatchEnd: (b, logs) => sizes.push(logs.size),
  });
  assert.equal(m.isPaused, true);
  await nextTurn();
  assert.equal(sizes.length, 0, 'startPaused: nothing runs before step or resume');
  assert.equal(await m.step(), true);
  assert.deepEqual(sizes, [10], "the batch's event arrives before step() resolves");
  await nextTurn();
  assert.deepEqual(sizes, [10], 'paused again after the step');
  await m.setBatchSize(25);
  await m.step();
  assert.deepEqual(sizes, [10, 25]);
  await assert.rejects(m.setBatchSize(0), InputError);
  await m.resume();
  while (sizes.length < 10) await nextTurn();
  // every kind of request is answered between batches while the fit keeps going
  const one = { data: x.subarray(0, 36), shape: [1, 6, 6, 1] };
  const [p, ev, timings, weights, bytes] = await Promise.all([
    m.predict(one),
    m.evaluate(data, y),
    m.timings(),
    m.layers[0].getWeights(),
    m.save(),
    m.setLearningRate(0.01),
    m.activations(one),
  ]);
  assert.deepEqual(p.shape, [1, 3]);
  assert.ok(Number.isFinite(ev.loss));
  assert.equal(timings.length, 3);
  assert.deepEqual(weights[0].shape, [3, 3, 1, 4]);
  assert.ok(bytes.length > 100);
  const lr = (await m.compileConfig()).optimizer.learningRate;
  assert.ok(Math.abs(lr - 0.01) < 1e-8, `learning rate ${lr}`);
  const seen = sizes.length;
  while (sizes.length < seen + 5) await nextTurn();
  // 600 examples: 10, then 23 × 25 and the 15 left end epoch 1; later epochs are 24 × 25
  assert.ok(
    sizes.slice(1).every((s, i) => s === (i === 23 ? 15 : 25)),
    `batches of 25 from the change on: ${sizes}`,
  );
  await m.stop();
  assert.equal((await run).stopped, true);
  assert.equal(await m.step(), false);
  await m.dispose();
});

test('a diverging fit in the worker rejects with TrainingError and the checkpoint is restored', async () => {
  const spec = {
    inputShape: [1, 1, 4],
    layers: [
      { type: 'flatten' },
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 3 },
    ],
  };
  const m = await cl.sequential(spec, { seed: 1 });
  await m.compile({ optimizer: { type: 'sgd', learningRate: 100 } });
  const weights = async () =>
    (await Promise.all(m.layers.map((l) => l.getWeights()))).flat().map((t) => Array.from(t.data));
  const initial = await weights();
  const xs = new Float32Array(64 * 4).map((_, i) => ((i * 13) % 7) * 1e18),
    ys = new Int32Array(64).map((_, i) => i % 3);
  await assert.rejects(
    m.fit({ data: xs, shape: [64, 1, 1, 4] }, ys, { epochs: 50, batchSize: 8, shuffle: false }),
    (e) =>
      e instanceof TrainingError &&
      /^training diverged at epoch 1, batch \d+: the loss is (NaN|infinite); the weights were restored to the checkpoint taken before epoch 1, batch 1 — lower the learning rate$/.test(
        e.message,
      ),
  );
  assert.deepEqual(
    await weights(),
    initial,
    'the weights from before the first batch, whose loss was finite',
  );
  assert.equal(m.isTraining, false);
  await m.dispose();
});

test('data uploaded once is used by reference in fit, evaluate and validationData', async () => {
  const m = await cl.sequential(SPEC, { seed: 3 });
  await m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  const xs = await cl.upload({ data: x.slice(0, 480 * 36), shape: [480, 6, 6, 1] }, { transfer: true });
  const ys = await cl.upload(y.slice(0, 480));
  const vx = await cl.upload({ data: x.slice(480 * 36), shape: [120, 6, 6, 1] });
  const h = await m.fit(xs, ys, { epochs: 3, batchSize: 20, validationData: [vx, y.slice(480)] });
  assert.deepEqual(xs.shape, [480, 6, 6, 1]);
  assert.ok(h.history.val_acc[2] > 0.9, `validation accuracy ${h.history.val_acc[2]}`);
  const byRef = await m.evaluate(vx, y.slice(480));
  const byValue = await m.evaluate({ data: x.slice(480 * 36), shape: [120, 6, 6, 1] }, y.slice(480));
  assert.deepEqual(byRef, byValue);
  await xs.release();
  await assert.rejects(m.fit(xs, ys), (e) => e instanceof DisposedError && /released/.test(e.message));
  await m.dispose();
});

test('worker models that were never disposed are freed in the worker after GC', async () => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const start = (await cl.memory()).allocatedBytes;
  for (let i = 0; i < 20; i++)
    await (await cl.sequential(SPEC)).predict({ data: x.subarray(0, 36), shape: [1, 6, 6, 1] });
  const held = (await cl.memory()).allocatedBytes - start;
  assert.ok(held > 20 * 1000, `20 models in the worker hold memory: ${held}`);
  let left = held;
  for (let i = 0; i < 20 && left > held / 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    left = (await cl.memory()).allocatedBytes - start;
  }
  assert.ok(left <= held / 10, `after GC the worker still holds ${left} of ${held} bytes`);
});

test('an AbortSignal ends a worker fit; errors keep their class and message', async () => {
  const m = await cl.sequential(SPEC);
  const ctrl = new AbortController();
  let batches = 0;
  const h = await m.fit(data, y, {
    epochs: 1000,
    batchSize: 10,
    signal: ctrl.signal,
    onBatchEnd: () => {
      if (++batches === 3) ctrl.abort();
    },
  });
  assert.equal(h.stopped, true);
  await assert.rejects(
    m.compile({ optimizer: { type: 'nope' } }),
    (e) => e instanceof SpecError && /optimizer: unknown type 'nope'/.test(e.message),
  );
  await assert.rejects(
    m.predict({ data: new Float32Array(4), shape: [1, 2, 2, 1] }),
    (e) =>
      e instanceof InputError &&
      e.message === 'x has shape [1, 2, 2, 1]; the model expects [n, 6, 6, 1] (channels-last)',
  );
  await assert.rejects(
    cl.sequential({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 5 }] }),
    (e) =>
      e instanceof SpecError &&
      e.message === "layer 1 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'",
  );
  await m.dispose();
});

test('engine options reach the worker: threads: 2 runs the threaded build there when it is built', async () => {
  const { existsSync } = await import('node:fs');
  const built = existsSync(new URL('../../dist/convolab-core-mt.js', import.meta.url));
  const threaded = await loadConvolabWorker({ threads: 2 });
  const single = await loadConvolabWorker({ threads: 1 });
  try {
    assert.equal(threaded.backend.build, built ? 'threaded' : 'single-thread');
    assert.equal(threaded.backend.threads, built ? 2 : 1);
    assert.equal(single.backend.build, 'single-thread');
    const m = await threaded.sequential(SPEC, { seed: 2 });
    const n = await single.sequential(SPEC, { seed: 2 });
    const input = { data: x.subarray(0, 70 * 36), shape: [70, 6, 6, 1] };
    const [p, q] = [await m.predict(input), await n.predict(input)];
    p.data.forEach((v, i) => assert.ok(Math.abs(v - q.data[i]) <= 1e-6, `output ${i}: ${v} vs ${q.data[i]}`));
  } finally {
    threaded.terminate();
    single.terminate();
  }
});
