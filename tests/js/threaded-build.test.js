// The threaded build (dist/convolab-core-mt.*, Emscripten pthreads) loads in
// Node on request, and trains exactly like the single-thread build: the
// kernels split rows and images across threads, and cut sums into chunks by
// shape (never by thread count), so the same seed and data give the same
// losses and predictions, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConvolab } from '../../bindings/convolab.js';
import { decodeDataset, imagesAsFloat, labelsAsInt } from '../../bindings/dataset.js';
import { REFERENCE_SPEC, REFERENCE_TRAINING } from '../../web/src/reference-net.js';
import { dataDir } from '../support/paths.js';

const mnist = decodeDataset(readFileSync(join(dataDir, 'mnist.cldata')));

test('the threaded build loads on request and matches the single-thread build step for step', async () => {
  const single = await loadConvolab({ threads: 1 });
  const threaded = await loadConvolab({ threads: 2 });
  assert.equal(single.backend.build, 'single-thread');
  assert.equal(
    threaded.backend.build,
    'threaded',
    'dist/convolab-core-mt.js should load in Node when threads: 2',
  );
  const models = [single, threaded].map((cl) => {
    const m = cl.createModel(REFERENCE_SPEC, { seed: 5 });
    m.compile(REFERENCE_TRAINING);
    return m;
  });
  const batch = 64; // large enough that every GEMM is split across both threads
  for (let step = 0; step < 15; step++) {
    const x = imagesAsFloat(mnist, step * batch, batch),
      y = labelsAsInt(mnist, step * batch, batch);
    const [a, b] = models.map((m) => m.trainBatch(x, y, batch));
    assert.equal(a, b, `step ${step}: single-thread loss ${a}, threaded ${b}`);
  }
  const held = 500;
  const x = imagesAsFloat(mnist, mnist.trainCount, held);
  const [p, q] = models.map((m) => m.predict(x, held));
  let worst = 0;
  for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i] - q[i]));
  assert.equal(worst, 0, `predictions differ by up to ${worst}`);
  for (const m of models) m.dispose();
});
