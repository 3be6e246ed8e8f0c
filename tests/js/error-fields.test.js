// The engine's errors carry their facts as fields (kind, code, layerIndex,
// option, index, value), fit adds epoch and batch to a divergence, and the
// worker hands all of them across intact.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolab, InputError, SpecError, TrainingError } from '../../bindings/convolab.js';
import { loadConvolabWorker } from '../../bindings/worker.js';

const cl = await loadConvolab();
const wcl = await loadConvolabWorker();
after(() => wcl.terminate());

const SPEC = {
  inputShape: [4, 4, 1],
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};
const withLayer = (i, patch) => ({
  ...SPEC,
  layers: SPEC.layers.map((l, j) => (j === i ? { ...l, ...patch } : l)),
});
const fields = (e) => {
  const out = { name: e.name, kind: e.kind, code: e.code };
  for (const f of ['layerIndex', 'option', 'index', 'epoch', 'batch', 'value'])
    if (e[f] !== undefined) out[f] = e[f];
  return out;
};
function caught(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

test('spec errors name the layer (from 0), the option and the value', () => {
  assert.deepEqual(fields(caught(() => cl.sequential(withLayer(2, { units: -3 })))), {
    name: 'SpecError',
    kind: 'spec',
    code: 'spec',
    layerIndex: 2,
    option: 'units',
    value: -3,
  });
  assert.deepEqual(fields(caught(() => cl.sequential(withLayer(0, { activation: 'swish' })))), {
    name: 'SpecError',
    kind: 'spec',
    code: 'spec',
    layerIndex: 0,
    option: 'activation',
    value: 'swish',
  });
  assert.deepEqual(fields(caught(() => cl.sequential(withLayer(0, { padding: 'full' })))), {
    name: 'SpecError',
    kind: 'spec',
    code: 'spec',
    layerIndex: 0,
    option: 'padding',
    value: 'full',
  });
  assert.deepEqual(fields(caught(() => cl.sequential(withLayer(1, { type: 'flattn' })))), {
    name: 'SpecError',
    kind: 'spec',
    code: 'spec',
    layerIndex: 1,
    option: 'type',
    value: 'flattn',
  });
  // a kernel larger than its input: the option that sets the window
  const big = fields(caught(() => cl.sequential(withLayer(0, { kernelSize: 5 }))));
  assert.deepEqual([big.layerIndex, big.option], [0, 'kernelSize']);
  const json = caught(() => cl.sequential('{"inputShape": [4, 4, 1], "layers": ['));
  assert.deepEqual([json.kind, json.code], ['spec', 'json']);
});

test('compile errors are config errors naming the hyperparameter', () => {
  const m = cl.sequential(SPEC);
  assert.deepEqual(fields(caught(() => m.compile({ optimizer: { type: 'adam', beta1: 1.5 } }))), {
    name: 'SpecError',
    kind: 'config',
    code: 'config',
    option: 'beta1',
    value: 1.5,
  });
  assert.deepEqual(fields(caught(() => m.compile({ optimizer: 'adamw' }))), {
    name: 'SpecError',
    kind: 'config',
    code: 'config',
    option: 'type',
    value: 'adamw',
  });
  // a loss that does not fit the last layer names that layer
  const e = caught(() => m.compile({ loss: 'binaryCrossentropy' }));
  assert.deepEqual([e.kind, e.option, e.layerIndex], ['config', 'loss', 2]);
  const lr = caught(() => m.setLearningRate(-1));
  assert.ok(lr instanceof InputError);
  assert.deepEqual([lr.kind, lr.option, lr.value], ['config', 'learningRate', -1]);
  m.dispose();
});

test('input errors name the argument, the example and the value', () => {
  const m = cl.sequential(SPEC);
  const x = new Float32Array(2 * 16);
  const e = caught(() => m.trainOnBatch({ data: x, shape: [2, 4, 4, 1] }, Int32Array.from([1, 7])));
  assert.ok(e instanceof InputError);
  assert.equal(e.kind, 'input');
  assert.equal(e.option, 'y');
  assert.equal(e.index, 1);
  assert.equal(e.value, 7);
  m.dispose();
});

test('a model file that is cut short says truncated, and which section', () => {
  const m = cl.sequential(SPEC);
  const bytes = m.save();
  m.dispose();
  const e = caught(() => cl.load(bytes.subarray(0, 40)));
  assert.ok(e instanceof SpecError);
  assert.deepEqual([e.kind, e.code], ['file', 'truncated']);
  const flipped = bytes.slice();
  flipped[flipped.length - 1] ^= 1;
  const c = caught(() => cl.load(flipped));
  assert.deepEqual([c.kind, c.code], ['file', 'checksum']);
});

// inputs of 1e18 make sgd at rate 100 blow up within the first epoch
const DIVERGING = {
  inputShape: [1, 1, 4],
  layers: [{ type: 'flatten' }, { type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 3 }],
};
const N = 64;
const x = new Float32Array(N * 4).map((_, i) => ((i * 13) % 7) * 1e18);
const y = Int32Array.from({ length: N }, (_, i) => i % 3);
const data = { data: x, shape: [N, 1, 1, 4] };
const options = { epochs: 50, batchSize: 8, shuffle: false };

test('a divergence in fit names the epoch, the batch and the loss', async () => {
  const m = cl.sequential(DIVERGING, { seed: 1 });
  m.compile({ optimizer: { type: 'sgd', learningRate: 100 } });
  const e = await m.fit(data, y, options).then(
    () => assert.fail('expected a divergence'),
    (err) => err,
  );
  assert.ok(e instanceof TrainingError);
  assert.equal(e.kind, 'training');
  assert.equal(e.code, 'diverged');
  assert.ok(Number.isInteger(e.epoch) && Number.isInteger(e.batch), `epoch ${e.epoch}, batch ${e.batch}`);
  assert.ok(Number.isNaN(e.value) || !Number.isFinite(e.value), `loss ${e.value}`);
  assert.ok(e.message.includes(`epoch ${e.epoch + 1}, batch ${e.batch + 1}`), e.message);
  m.dispose();
});

test('the worker hands the fields across', async () => {
  const spec = await wcl.sequential(withLayer(2, { units: 0 })).then(
    () => assert.fail('expected an error'),
    (err) => err,
  );
  assert.ok(spec instanceof SpecError);
  assert.deepEqual(fields(spec), {
    name: 'SpecError',
    kind: 'spec',
    code: 'spec',
    layerIndex: 2,
    option: 'units',
    value: 0,
  });
  const m = await wcl.sequential(DIVERGING, { seed: 1 });
  await m.compile({ optimizer: { type: 'sgd', learningRate: 100 } });
  const e = await m.fit(data, y, options).then(
    () => assert.fail('expected a divergence'),
    (err) => err,
  );
  assert.ok(e instanceof TrainingError);
  assert.equal(e.code, 'diverged');
  assert.ok(Number.isInteger(e.epoch) && Number.isInteger(e.batch));
  await m.dispose();
});
