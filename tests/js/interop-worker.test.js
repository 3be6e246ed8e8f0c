// The interop methods through convolab/worker: export from a model in the
// worker, import into one, and an InteropError's fields crossing back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { InteropError } from '../../bindings/convolab.js';
import { rng } from '../support/interop.js';

const cl = await loadConvolabWorker();
after(() => cl.terminate());

test('exportTfjs, exportOnnx and importTfjs work on models in the worker', async () => {
  const m = await cl.sequential({
    inputShape: [5, 5, 1],
    layers: [
      { type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  });
  const x = { data: rng(1).floats(50, 0, 1), shape: [2, 5, 5, 1] };
  const files = await m.exportTfjs();
  assert.equal(files.modelJSON.format, 'layers-model');
  assert.ok(files.weightData instanceof ArrayBuffer);
  const onnx = await m.exportOnnx();
  assert.ok(onnx instanceof Uint8Array && onnx.length > 100);
  const back = await cl.importTfjs(files.modelJSON, files.weightData);
  assert.deepEqual(Array.from((await back.predict(x)).data), Array.from((await m.predict(x)).data));
  assert.deepEqual(back.importNotes, []);
  await assert.rejects(cl.importTfjs(files.modelJSON, files.weightData.slice(4)), (err) => {
    assert.ok(err instanceof InteropError);
    assert.equal(err.code, 'weights-short');
    assert.equal(err.actual, files.weightData.byteLength - 4);
    return true;
  });
  await back.dispose();
  await m.dispose();
});
