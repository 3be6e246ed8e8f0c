// Convolab's WebAssembly builds through the npm module: the single-thread
// build and the threaded (pthreads) build.
import { loadConvolab } from '../../../bindings/convolab.js';
import {
  CONV_BENCHES,
  REFERENCE_SPEC,
  REFERENCE_TRAINING,
  STEP_BENCHES,
  STEP_TRAINING,
  convBenchSpec,
  stepBenchSpec,
  syntheticInput,
  syntheticLabels,
} from '../nets.js';

export async function convolabWasm({ threads, data, seed }) {
  const cl = await loadConvolab({ threads });
  const build = cl.backend?.build ?? 'single-thread';
  if (threads > 1 && build !== 'threaded')
    throw new Error('the threaded build (dist/convolab-core-mt.js) did not load');
  const model = cl.sequential(REFERENCE_SPEC, { seed });
  model.compile(REFERENCE_TRAINING);
  const size = data.size;
  const convModels = new Map();
  const convInputs = new Map();
  for (const b of CONV_BENCHES) {
    convModels.set(b.key, cl.sequential(convBenchSpec(b), { seed }));
    convInputs.set(b.key, syntheticInput(b.batch * b.h * b.w * b.c));
  }
  const stepModels = new Map();
  for (const b of STEP_BENCHES) {
    const m = cl.sequential(stepBenchSpec(b), { seed });
    m.compile(STEP_TRAINING);
    stepModels.set(b.key, { m, x: syntheticInput(b.batch * b.h * b.w * b.c), y: syntheticLabels(b.batch) });
  }
  const images = (start, n) => data.images.subarray(start * size, (start + n) * size);
  return {
    key: threads > 1 ? 'convolab-wasm-2t' : 'convolab-wasm-1t',
    label: threads > 1 ? 'Convolab wasm 2 threads' : 'Convolab wasm 1 thread',
    short: threads > 1 ? 'Convolab wasm 2t' : 'Convolab wasm 1t',
    canTrain: true,
    initialParams: () => Float32Array.from(model.getParams()),
    // A scratch model in the same module, so the measured one keeps its weights.
    warmUp(batches, n) {
      const scratch = cl.sequential(REFERENCE_SPEC, { seed: seed + 1 });
      scratch.compile(REFERENCE_TRAINING);
      for (let b = 0; b < batches; b++)
        scratch.trainBatch(images(b * n, n), data.labels.subarray(b * n, (b + 1) * n), n);
      scratch.predict(images(0, n), n);
      scratch.dispose();
    },
    trainBatch(start, n) {
      return model.trainBatch(images(start, n), data.labels.subarray(start, start + n), n);
    },
    evaluate(start, n) {
      return model.evaluate(images(start, n), data.labels.subarray(start, start + n), n).accuracy;
    },
    predict(start, n) {
      model.predict(images(start, n), n);
    },
    conv(key) {
      const b = CONV_BENCHES.find((c) => c.key === key);
      convModels.get(key).predict(convInputs.get(key), b.batch);
    },
    step(key) {
      const b = STEP_BENCHES.find((c) => c.key === key);
      const { m, x, y } = stepModels.get(key);
      m.trainBatch(x, y, b.batch);
    },
    close() {},
  };
}
