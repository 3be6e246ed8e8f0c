// Run inside a fresh project that installed the packed tarball: the ESM
// entry points train a tiny net, predict, and report JSON on stdout.
import { loadConvolab, SpecError } from 'convolab';
import { loadConvolabWorker } from 'convolab/worker';
import { crc32 } from 'convolab/dataset';
import { problem } from './problem.mjs';

const { spec, x, y } = problem();
const cl = await loadConvolab();
const model = cl.sequential(spec, { seed: 1 });
model.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
const history = await model.fit(x, y, { epochs: 4, batchSize: 16 });
const classes = Array.from(model.predict(x).argMax());
let specError = null;
try {
  cl.sequential({ inputShape: [2, 2, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 3 }] });
} catch (e) {
  specError = e instanceof SpecError && e.message;
}
model.dispose();

// the threaded build, when the package ships it, on request in Node
const tcl = await loadConvolab({ threads: 2 });
const tm = tcl.sequential(spec, { seed: 1 });
tm.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
const threadedLoss = (await tm.fit(x, y, { epochs: 4, batchSize: 16, shuffle: false })).history.loss;
tm.dispose();

const wcl = await loadConvolabWorker();
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
const workerClasses = Array.from((await wm.predict(x)).argMax());
wcl.terminate();

console.log(
  JSON.stringify({
    loss: history.history.loss,
    accuracy: classes.filter((c, i) => c === y[i]).length / y.length,
    specError,
    workerLoss: wh.history.loss,
    workerAccuracy: workerClasses.filter((c, i) => c === y[i]).length / y.length,
    streamed,
    crc: crc32(new Uint8Array([1, 2, 3])),
    threadedBackend: tcl.backend,
    threadedLoss,
  }),
);
