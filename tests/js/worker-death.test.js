// convolab/worker when its worker dies: every pending call rejects with a
// WorkerError (kind 'worker', code 'worker-died', or 'engine-crashed' when
// the engine trapped and the worker ended itself) instead of waiting forever,
// later calls reject at once, cl.died resolves with the same error; a
// deliberate terminate() still rejects with DisposedError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { ConvolabError, DisposedError, WorkerError } from '../../bindings/convolab.js';

const SPEC = {
  inputShape: [8, 8, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
};
const N = 256;
const x = { data: new Float32Array(N * 64).map((_, i) => (i % 7) / 7), shape: [N, 8, 8, 1] };
const y = Int32Array.from({ length: N }, (_, i) => i % 2);

const isDeath = (e) =>
  e instanceof WorkerError &&
  e instanceof ConvolabError &&
  e.name === 'WorkerError' &&
  e.kind === 'worker' &&
  e.code === 'worker-died';

const TEST_WORKER = { workerUrl: new URL('./fixtures/failing-worker.js', import.meta.url) };
const one = { data: x.data.slice(0, 64), shape: [1, 8, 8, 1] };

// A model training (a long fit, paused so it cannot end first).
async function busy(cl) {
  const model = await cl.sequential(SPEC, { seed: 3 });
  await model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  const fit = model.fit(x, y, { epochs: 1000, batchSize: 8, startPaused: true });
  await model.predict(one); // the worker answers
  return { model, fit };
}

test('a worker killed from outside: the pending fit and predict reject with WorkerError, later calls too', async () => {
  const cl = await loadConvolabWorker(TEST_WORKER);
  const { model, fit } = await busy(cl);
  cl._channel.worker.postMessage({ op: 'hang' });
  const predict = model.predict(one); // it cannot be answered now
  const died = cl.died;
  cl._channel.worker.terminate(); // as the system ending the thread, not cl.terminate()
  const results = await Promise.allSettled([fit, predict, died]);
  assert.ok(isDeath(results[0].reason), `fit: ${results[0].reason}`);
  assert.match(results[0].reason.message, /the Convolab worker exited \(code 1\)/);
  assert.ok(isDeath(results[1].reason), `predict: ${results[1].reason}`);
  assert.equal(results[2].status, 'fulfilled');
  assert.ok(isDeath(results[2].value));
  await assert.rejects(model.evaluate(x, y), isDeath);
  await assert.rejects(cl.sequential(SPEC), isDeath);
  cl.terminate(); // harmless afterwards
});

test('a worker that crashes (an uncaught error) rejects every pending call with WorkerError naming the error', async () => {
  const cl = await loadConvolabWorker({
    workerUrl: new URL('./fixtures/failing-worker.js', import.meta.url),
  });
  const { model, fit } = await busy(cl);
  cl._channel.worker.postMessage({ op: 'crash' });
  const predict = model.predict(one); // sent behind the crash
  for (const r of await Promise.allSettled([fit, predict])) {
    assert.equal(r.status, 'rejected');
    assert.ok(isDeath(r.reason), String(r.reason));
    assert.match(r.reason.message, /the Convolab worker failed: simulated crash in the engine worker/);
  }
  assert.ok(isDeath(await cl.died));
});

test('terminate() is not a death: pending calls reject with DisposedError and died stays pending', async () => {
  const cl = await loadConvolabWorker(TEST_WORKER);
  const { model, fit } = await busy(cl);
  cl._channel.worker.postMessage({ op: 'hang' });
  const predict = model.predict(one);
  let died = false;
  cl.died.then(() => (died = true));
  const exited = once(cl._channel.worker, 'exit');
  cl.terminate();
  for (const r of await Promise.allSettled([fit, predict])) {
    assert.ok(r.reason instanceof DisposedError && !(r.reason instanceof WorkerError), String(r.reason));
  }
  await exited; // the thread's exit event has come (the channel heard it first)
  await Promise.resolve();
  assert.equal(died, false);
});

const isCrash = (e) => e instanceof WorkerError && e.kind === 'worker' && e.code === 'engine-crashed';

test(
  'an engine that traps inside a call ends its worker: that call and every other reject with WorkerError (engine-crashed)',
  { timeout: 30_000 },
  async () => {
    const cl = await loadConvolabWorker(TEST_WORKER);
    const { model, fit } = await busy(cl);
    const exited = once(cl._channel.worker, 'exit');
    cl._channel.worker.postMessage({ op: 'trap', method: 'predict' });
    const results = await Promise.allSettled([model.predict(one), fit, cl.died]);
    assert.ok(isCrash(results[0].reason), `predict: ${results[0].reason}`);
    // the message tells a person which trap it was
    assert.match(results[0].reason.message, /^the Convolab engine crashed \(RuntimeError: unreachable/);
    assert.ok(isCrash(results[1].reason), `fit: ${results[1].reason}`);
    assert.ok(isCrash(results[2].value), `died: ${results[2].value}`);
    await exited; // the worker ended: nothing more runs on the trapped engine
    await assert.rejects(model.predict(one), isCrash);
    await assert.rejects(cl.sequential(SPEC), isCrash);
  },
);

test(
  'a trap inside a training batch ends the fit with WorkerError (engine-crashed), not a training error',
  { timeout: 30_000 },
  async () => {
    const cl = await loadConvolabWorker(TEST_WORKER);
    const model = await cl.sequential(SPEC, { seed: 3 });
    await model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    cl._channel.worker.postMessage({ op: 'trap', method: 'trainBatch' });
    await model.predict(one); // predict still runs: only the fit's first batch traps
    const fit = model.fit(x, y, { epochs: 1, batchSize: 8 });
    const e = await fit.then(
      () => null,
      (err) => err,
    );
    assert.ok(isCrash(e), String(e));
  },
);
