// The worker owns the engine and the model, so training never blocks the
// page. Messages in: init, train, predict. Messages out: ready, progress,
// evaluated, done, prediction, error.
import { loadConvolab } from '/bindings/convolab.js';
import { decodeDataset, imagesAsFloat, labelsAsInt } from '/bindings/dataset.js';
import { REFERENCE_SPEC, REFERENCE_TRAINING } from './reference-net.js';

let model = null;
let data = null;       // decoded dataset
let heldOut = null;    // { x, y, n }
let training = false;

const post = (msg) => self.postMessage(msg);
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function init({ datasetUrl }) {
  const [cl, bytes] = await Promise.all([
    loadConvolab(),
    fetch(datasetUrl).then((r) => {
      if (!r.ok) throw new Error(`could not load the dataset ${datasetUrl} (HTTP ${r.status})`);
      return r.arrayBuffer();
    }),
  ]);
  data = decodeDataset(bytes);
  const n = data.count - data.trainCount;
  heldOut = { x: imagesAsFloat(data, data.trainCount, n), y: labelsAsInt(data, data.trainCount, n), n };
  model = cl.createModel(REFERENCE_SPEC, { seed: 1 });
  model.compile(REFERENCE_TRAINING);
  post({ type: 'ready', summary: model.summary(), dataset: { name: data.name, train: data.trainCount, heldOut: n } });
}

async function train({ epochs = 1, batchSize = REFERENCE_TRAINING.batchSize }) {
  if (training) return;
  training = true;
  try {
    const stepsPerEpoch = Math.floor(data.trainCount / batchSize);
    const total = stepsPerEpoch * epochs;
    const x = new Float32Array(batchSize * data.height * data.width * data.channels);
    const t0 = performance.now();
    let lastPost = 0;
    for (let step = 0; step < total; step++) {
      const start = (step % stepsPerEpoch) * batchSize;
      imagesAsFloat(data, start, batchSize, x);
      const loss = model.trainBatch(x, labelsAsInt(data, start, batchSize), batchSize);
      const now = performance.now();
      if (now - lastPost > 100 || step === total - 1) {
        lastPost = now;
        const perSec = ((step + 1) * batchSize) / ((now - t0) / 1000);
        post({ type: 'progress', step: step + 1, total, loss, examplesPerSec: perSec,
          secondsLeft: ((total - step - 1) * batchSize) / perSec });
        await nextTask();  // let predict requests in
      }
    }
    const { loss, accuracy } = model.evaluate(heldOut.x, heldOut.y, heldOut.n);
    post({ type: 'evaluated', loss, accuracy });
    post({ type: 'done' });
  } finally {
    training = false;
  }
}

function predict({ pixels }) {
  const probs = model.predict(pixels, 1);
  post({ type: 'prediction', probs: Array.from(probs) });
}

const handlers = { init, train, predict };

self.onmessage = async ({ data: msg }) => {
  try {
    await handlers[msg.type](msg);
  } catch (e) {
    post({ type: 'error', message: e?.message ?? String(e) });
  }
};
