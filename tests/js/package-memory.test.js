// Memory is owned by objects: dispose() frees a model's wasm memory at once,
// and the FinalizationRegistry frees the models a caller forgot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConvolab } from '../../bindings/convolab.js';

const cl = await loadConvolab();
const SPEC = {
  inputShape: [12, 12, 1],
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const N = 16;
const x = { data: new Float32Array(N * 144).map((_, i) => (i % 13) / 13), shape: [N, 12, 12, 1] };
const y = new Int32Array(N).map((_, i) => i % 10);

async function cycle() {
  const m = cl.sequential(SPEC);
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
  await m.fit(x, y, { epochs: 1, batchSize: N });
  m.dispose();
}

test('1,000 create → fit one batch → dispose cycles leave the wasm heap flat', async () => {
  for (let i = 0; i < 20; i++) await cycle(); // warm up allocator and caches
  const start = cl.memory();
  for (let i = 0; i < 1000; i++) await cycle();
  const end = cl.memory();
  console.log(`heap after warm-up ${JSON.stringify(start)}, after 1,000 cycles ${JSON.stringify(end)}`);
  // one leaked model here would hold ~30 KB; 1,000 of them 30 MB
  assert.ok(
    end.allocatedBytes - start.allocatedBytes <= 1024,
    `allocated grew by ${end.allocatedBytes - start.allocatedBytes} bytes`,
  );
  assert.equal(end.heapBytes, start.heapBytes, 'the wasm memory did not grow');
});

test('models that were never disposed are freed by the FinalizationRegistry', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  const start = cl.memory().allocatedBytes;
  (() => {
    for (let i = 0; i < 200; i++) cl.sequential(SPEC).predict(x);
  })(); // forgotten: never disposed
  const held = cl.memory().allocatedBytes - start;
  assert.ok(held > 200 * 10_000, `200 live models should hold memory, held ${held}`);
  for (let i = 0; i < 20 && cl.memory().allocatedBytes - start > held / 20; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20)); // finalizers run in later tasks
  }
  const left = cl.memory().allocatedBytes - start;
  console.log(`200 forgotten models held ${held} bytes; after GC ${left}`);
  assert.ok(left < held / 20, `after GC ${left} of ${held} bytes are still held`);
});
