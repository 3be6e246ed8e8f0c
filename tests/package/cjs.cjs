// The CommonJS entry of the installed package: require() works too.
'use strict';
const { loadConvolab } = require('convolab');
const { loadConvolabWorker } = require('convolab/worker');

(async () => {
  const { problem } = await import('./problem.mjs');
  const { spec, x, y } = problem();
  const cl = await loadConvolab();
  const model = cl.sequential(spec, { seed: 2 });
  model.compile({ optimizer: { type: 'sgd', learningRate: 0.1 } });
  const history = await model.fit(x, y, { epochs: 4, batchSize: 16 });
  const classes = Array.from(model.predict(x).argMax());
  let errorClass = null;
  try {
    model.predict({ data: new Float32Array(4), shape: [1, 2, 2, 1] });
  } catch (e) {
    errorClass = e instanceof cl.InputError && e instanceof cl.ConvolabError && e.name;
  }
  model.dispose();
  const w = await loadConvolabWorker();
  w.terminate();
  console.log(
    JSON.stringify({
      loss: history.history.loss,
      accuracy: classes.filter((c, i) => c === y[i]).length / y.length,
      errorClass,
      worker: typeof w.sequential,
    }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
