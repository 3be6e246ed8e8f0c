// A browser script that trains in the page and in a Web Worker through the
// installed package and leaves JSON in window.result. Run twice: bundled by
// esbuild (window.bundled: the worker script is bundled beside it), and
// unbundled through an import map (the package finds its own files).
import { loadConvolab } from 'convolab';
import { loadConvolabWorker } from 'convolab/worker';
import { problem } from './problem.mjs';

async function run() {
  const { spec, x, y } = problem();
  const cl = await loadConvolab();
  const model = cl.sequential(spec, { seed: 1 });
  model.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  const history = await model.fit(x, y, { epochs: 4, batchSize: 16 });
  const classes = model.predict(x).argMax();
  model.dispose();

  const wcl = await loadConvolabWorker(
    window.bundled ? { workerUrl: new URL('./worker-thread.js', import.meta.url) } : {},
  );
  const wm = await wcl.sequential(spec, { seed: 1 });
  await wm.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  let streamed = 0;
  const wh = await wm.fit(x, y, {
    epochs: 4,
    batchSize: 16,
    onBatchEnd: () => {
      streamed++;
    },
  });
  const wclasses = (await wm.predict(x)).argMax();
  wcl.terminate();
  const acc = (c) => Array.from(c).filter((v, i) => v === y[i]).length / y.length;
  return {
    loss: history.history.loss,
    accuracy: acc(classes),
    backend: cl.backend,
    workerBackend: wcl.backend,
    isolated: globalThis.crossOriginIsolated,
    workerLoss: wh.history.loss,
    workerAccuracy: acc(wclasses),
    streamed,
  };
}

run().then(
  (r) => {
    window.result = r;
  },
  (e) => {
    window.result = { error: `${e?.name}: ${e?.message}` };
  },
);
