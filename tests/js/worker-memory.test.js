// 1,000 build → fit → dispose cycles through convolab/worker leave both the
// worker's wasm heap and this (the page's) thread's memory flat: a model, a
// proxy, a pending request or a streamed callback that outlived its cycle
// would show as growth here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConvolabWorker } from '../../bindings/worker.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

const cl = await loadConvolabWorker();
after(() => cl.terminate());

const SPEC = {
  inputShape: [8, 8, 1],
  layers: [
    { type: 'conv2d', filters: 2, kernelSize: 3, activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};
const N = 8;
const x = { data: new Float32Array(N * 64).map((_, i) => (i % 11) / 11), shape: [N, 8, 8, 1] };
const y = new Int32Array(N).map((_, i) => i % 3);
const MB = 1024 * 1024;

async function cycle() {
  const m = await cl.sequential(SPEC);
  await m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  // two batches, with a streamed callback, as the page trains
  await m.fit(x, y, { epochs: 1, batchSize: N / 2, onBatchEnd: () => {} });
  await m.dispose();
}

// This thread's JavaScript heap once garbage is collected (finalizers need turns of the event loop).
async function mainHeap() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().heapUsed;
}

test('1,000 build → fit → dispose cycles through the worker leave its wasm heap and this thread flat', async () => {
  const WARM_UP = 50;
  for (let i = 0; i < WARM_UP; i++) await cycle(); // the allocator, caches and JIT settle
  const worker0 = await cl.memory();
  const main0 = await mainHeap();
  for (let i = 0; i < 1000; i++) await cycle();
  const worker1 = await cl.memory();
  const main1 = await mainHeap();
  const mb = (b) => (b / MB).toFixed(2);
  console.log(
    `worker wasm heap: ${mb(worker0.heapBytes)} MB (${worker0.allocatedBytes} bytes allocated) after ` +
      `${WARM_UP} warm-up cycles, ${mb(worker1.heapBytes)} MB (${worker1.allocatedBytes} bytes allocated) ` +
      `after 1,000 more; main thread JS heap: ${mb(main0)} MB, then ${mb(main1)} MB`,
  );
  // One model left behind in the worker holds ~26 KB of wasm memory (measured
  // with a dispose that leaked): 1,000 of them 26 MB.
  assert.ok(
    worker1.allocatedBytes - worker0.allocatedBytes <= 1024,
    `the worker's allocated bytes grew by ${worker1.allocatedBytes - worker0.allocatedBytes}`,
  );
  assert.equal(worker1.heapBytes, worker0.heapBytes, "the worker's wasm memory grew");
  // A WorkerModel proxy kept alive holds its spec and layers (~3.3 KB,
  // measured the same way): 1,000 of them 3.3 MB. Without a leak the figure
  // wanders by about 0.2 MB from one measurement to the next.
  assert.ok(main1 - main0 <= 0.5 * MB, `this thread's heap grew by ${mb(main1 - main0)} MB`);
});
