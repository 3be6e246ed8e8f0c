// The page's TrainingRun (web/src/training-run.js) under Node, on a real
// convolab/worker: one fit per epoch, Step across an epoch's end, pause at
// it, the epoch reports, and an ended run that says nothing more.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { TrainingRun } from '../../web/src/training-run.js';

const cl = await loadConvolabWorker();
after(() => cl.terminate());

const SPEC = {
  inputShape: [4, 4, 1],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 3, activation: 'softmax' }],
};
const COMPILE = { optimizer: { type: 'sgd', learningRate: 0.1 } };
// 12 training examples in batches of 4: three steps an epoch; 6 for validation
const TRAIN = 12,
  VAL = 6;
// Waits for cond, in 10 ms turns; fails after 10 s (a run that never gets there).
async function until(cond, what) {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `never: ${what}`);
}
const images = (n, from) => new Float32Array(n * 16).map((_, i) => Math.sin((from * 16 + i) * 0.37));
const labels = (n, from) => Int32Array.from({ length: n }, (_, i) => (from + i) % 3);

async function setUp() {
  const up = (n, from) =>
    Promise.all([cl.upload({ data: images(n, from), shape: [n, 4, 4, 1] }), cl.upload(labels(n, from))]).then(
      ([x, y]) => ({ x, y }),
    );
  const [train, val] = await Promise.all([up(TRAIN, 0), up(VAL, TRAIN)]);
  const data = {
    train,
    val,
    trainSample: train,
    valSample: val,
    valLabels: labels(VAL, TRAIN),
    valSampleLabels: labels(VAL, TRAIN),
  };
  const model = await cl.sequential(SPEC, { seed: 2 });
  await model.compile(COMPILE);
  const events = [];
  const net = { model, compile: COMPILE, steps: 0 };
  const hyper = { epochs: 2, batchSize: 4, learningRate: 0.1 };
  const run = new TrainingRun({
    net,
    data,
    trainCount: TRAIN,
    hyper,
    emit: (type, msg) => events.push({ type, ...msg }),
  });
  const of = (type) => events.filter((e) => e.type === type);
  return { run, net, model, of, events };
}

test('Step runs one batch at a time, across the end of an epoch, and the epoch is reported once', async () => {
  const { run, net, model, of } = await setUp();
  for (let i = 1; i <= 4; i++) {
    await run.step();
    assert.equal(net.steps, i, `step ${i}: one batch`);
    assert.equal(of('status').at(-1).state, 'paused');
    assert.equal(of('status').at(-1).step, i);
  }
  assert.equal(run.epoch, 1, 'the fourth step is the second epoch’s first batch');
  assert.equal(run.cursor, 4);
  assert.deepEqual(
    of('epoch').map((e) => [e.epoch, e.step]),
    [[1, 3]],
  );
  await run.start();
  await until(() => of('status').at(-1).state === 'done', 'done after the second epoch');
  assert.equal(net.steps, 6);
  assert.deepEqual(
    of('epoch').map((e) => e.epoch),
    [1, 2],
  );
  assert.deepEqual(of('status').at(-1), {
    type: 'status',
    state: 'done',
    step: 6,
    epoch: 2,
    reason: undefined,
  });
  await run.end();
  await model.dispose();
});

test('a pause that comes as an epoch ends holds the next epoch before its first batch; an ended run says nothing more', async () => {
  const { run, net, model, of, events } = await setUp();
  run.hyper = { ...run.hyper, epochs: 1000 };
  await run.start();
  await until(() => run.epoch >= 2, 'two epochs');
  await run.pause();
  const parked = net.steps;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(net.steps, parked, 'no batch runs while paused');
  assert.equal(run.state, 'paused');
  await run.step();
  assert.equal(net.steps, parked + 1);
  await run.start();
  await new Promise((r) => setTimeout(r, 50));
  const said = events.length;
  await run.end();
  assert.equal(run.fit?.isLive ?? false, false, 'its fit has ended');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(events.length, said, 'nothing is reported after the end');
  assert.ok(of('error').length === 0, JSON.stringify(of('error')));
  await model.dispose();
});
