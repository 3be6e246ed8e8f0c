// Model.fit: epochs of shuffled mini-batches over typed arrays, an optional
// validation split taken from the end (as Keras), callbacks, and clean stops
// (AbortSignal, model.stop() / stopTraining), and pause/resume between batches.
import { InputError } from './errors.js';
import { toInput, toLabels } from './tensor.js';

// Hands control back to the event loop so messages, UI and abort signals get
// a turn; setImmediate/MessageChannel avoid setTimeout's 4 ms clamp.
const yieldToEventLoop = typeof setImmediate === 'function'
  ? () => new Promise((resolve) => setImmediate(resolve))
  : typeof MessageChannel === 'function'
    ? () => new Promise((resolve) => { const ch = new MessageChannel(); ch.port1.onmessage = () => { ch.port1.close(); resolve(); }; ch.port2.postMessage(0); })
    : () => new Promise((resolve) => setTimeout(resolve, 0));

function checkOptions(o) {
  const whole = (key, min) => {
    if (!Number.isInteger(o[key]) || o[key] < min) throw new InputError(`fit: '${key}' must be a whole number ≥ ${min}, got ${o[key]}`);
  };
  whole('epochs', 0);
  whole('batchSize', 1);
  whole('initialEpoch', 0);
  if (!(o.validationSplit >= 0 && o.validationSplit < 1)) throw new InputError(`fit: 'validationSplit' must be in [0, 1), got ${o.validationSplit}`);
}

// A seeded shuffle (mulberry32) so runs repeat when the caller asks.
function permutation(n, rng) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Trains `model` (a Model from model.js). Returns a History like tfjs:
 * { epoch: [...], history: { loss, acc, val_loss?, val_acc? }, stopped }.
 */
export async function fit(model, x, y, options = {}) {
  const o = { epochs: 1, batchSize: 32, validationSplit: 0, shuffle: true, initialEpoch: 0, yieldEveryMs: 16, ...options };
  checkOptions(o);
  const inputShape = model.inputShape;
  const per = inputShape[0] * inputShape[1] * inputShape[2];
  const all = toInput(x, inputShape);
  const labels = toLabels(y, all.n, model.numClasses);  // Int32Array (n) or Float32Array targets (n*K)
  const perLabel = labels instanceof Float32Array ? model.numClasses : 1;
  let trainN = all.n, valX = null, valY = null;
  if (o.validationData) {
    const [vx, vy] = o.validationData;
    const v = toInput(vx, inputShape, 'validationData x');
    valX = { data: v.data, shape: [v.n, ...inputShape] };
    valY = toLabels(vy, v.n, model.numClasses, 'validationData y');
  } else if (o.validationSplit > 0) {
    trainN = Math.floor(all.n * (1 - o.validationSplit));
    const valN = all.n - trainN;
    if (trainN < 1 || valN < 1) throw new InputError(`fit: validationSplit ${o.validationSplit} of ${all.n} examples leaves an empty part`);
    valX = { data: all.data.subarray(trainN * per), shape: [valN, ...inputShape] };
    valY = labels.subarray(trainN * perLabel);
  }
  const batchSize = Math.min(o.batchSize, trainN);
  const batchesPerEpoch = Math.ceil(trainN / batchSize);
  const xBatch = new Float32Array(batchSize * per);
  const yBatch = labels instanceof Float32Array ? new Float32Array(batchSize * perLabel) : new Int32Array(batchSize);
  const rng = mulberry32(o.seed ?? (Math.random() * 2 ** 32));
  const history = { epoch: [], history: { loss: [], acc: [] }, stopped: false };
  if (valX) { history.history.val_loss = []; history.history.val_acc = []; }
  const shouldStop = () => model.stopTraining || o.signal?.aborted;

  model.stopTraining = false;
  model._setTraining(true);
  let lastYield = Date.now();
  await o.onTrainBegin?.();
  for (let epoch = o.initialEpoch; epoch < o.epochs && !shouldStop(); epoch++) {
    const order = o.shuffle ? permutation(trainN, rng) : null;
    let lossSum = 0, correct = 0, seen = 0;
    await o.onEpochBegin?.(epoch);
    for (let b = 0; b < batchesPerEpoch; b++) {
      await model._pauseGate();  // model.pause() parks training here, between batches
      if (shouldStop()) break;
      const start = b * batchSize;
      const m = Math.min(batchSize, trainN - start);
      const xs = m === batchSize ? xBatch : xBatch.subarray(0, m * per);
      const ys = m === batchSize ? yBatch : yBatch.subarray(0, m * perLabel);
      for (let i = 0; i < m; i++) {
        const src = order ? order[start + i] : start + i;
        xs.set(all.data.subarray(src * per, (src + 1) * per), i * per);
        if (perLabel === 1) ys[i] = labels[src];
        else ys.set(labels.subarray(src * perLabel, (src + 1) * perLabel), i * perLabel);
      }
      const loss = model.trainBatch(xs, ys, m);
      const batchCorrect = model._lastBatchCorrect();
      lossSum += loss * m; correct += batchCorrect; seen += m;
      await o.onBatchEnd?.(b, { batch: b, size: m, loss, acc: batchCorrect / m, epoch, batchesPerEpoch });
      if (Date.now() - lastYield >= o.yieldEveryMs) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    if (seen === 0) break;  // stopped before the epoch's first batch finished
    const logs = { loss: lossSum / seen, acc: correct / seen };
    if (valX) {
      const v = model.evaluate(valX, valY);
      logs.val_loss = v.loss; logs.val_acc = v.accuracy;
    }
    history.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) history.history[k].push(v);
    await o.onEpochEnd?.(epoch, logs);
  }
  history.stopped = !!shouldStop();
  model._setTraining(false);
  await o.onTrainEnd?.(history);
  return history;
}
