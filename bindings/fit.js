// Model.fit's training loop: epochs of shuffled mini-batches over typed
// arrays, an optional validation split taken from the end (as Keras),
// callbacks, clean stops (AbortSignal, run.stop(), model.stopTraining), and a
// checkpoint of the model restored when the loss diverges. The Run (run.js)
// that fit returns owns pause / resume / step and a batch size that can change
// mid-epoch; the loop asks it between batches.
import { InputError, TrainingError } from './errors.js';
import { checkFinite, toInput, toLabels } from './tensor.js';
import { augmentInPlace, augmentSeedFor, checkAugment } from './augment.js';
import { permutation, seededRandom } from './seeded-random.js';
import { datasetFitArguments, isDataset } from './dataset-object.js';

// Hands control back to the event loop so messages, UI and abort signals get
// a turn; setImmediate/MessageChannel avoid setTimeout's 4 ms clamp.
const yieldToEventLoop =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise((resolve) => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              ch.port1.close();
              resolve();
            };
            ch.port2.postMessage(0);
          })
      : () => new Promise((resolve) => setTimeout(resolve, 0));

/** Throws InputError unless v is a whole number ≥ min (what fit and setBatchSize accept). */
export function checkWholeNumber(where, key, v, min) {
  if (!Number.isInteger(v) || v < min)
    throw new InputError(`${where}: '${key}' must be a whole number ≥ ${min}, got ${v}`);
}

function checkOptions(o) {
  checkWholeNumber('fit', 'epochs', o.epochs, 0);
  checkWholeNumber('fit', 'batchSize', o.batchSize, 1);
  checkWholeNumber('fit', 'initialEpoch', o.initialEpoch, 0);
  if (!(o.validationSplit >= 0 && o.validationSplit < 1))
    throw new InputError(`fit: 'validationSplit' must be in [0, 1), got ${o.validationSplit}`);
  if (!(o.checkpointEveryMs >= 0))
    throw new InputError(`fit: 'checkpointEveryMs' must be a number ≥ 0, got ${o.checkpointEveryMs}`);
}

// The engine refuses a step whose loss is not finite and keeps the model as it
// was before that step, but those weights (and BatchNormalization's moving
// statistics, and the optimizer's momentum) are the ones that produced the
// non-finite loss: useless to continue from. So fit snapshots the model
// (weights, state, optimizer state; in wasm memory) before a batch now and
// then; once that batch's loss comes out finite the snapshot is known good and
// becomes the checkpoint a divergence restores. `where` says which batch the
// weights went into, for the message.
class Checkpoint {
  constructor(engine, everyMs) {
    this.engine = engine;
    this.everyMs = everyMs;
    this.good = null; // { slot, where }
    this.candidate = null;
    this.takenAt = -Infinity;
  }
  /** Before a batch: snapshot the model if the last one is old or an epoch starts. */
  before(where, epochStart) {
    if (!epochStart && Date.now() - this.takenAt < this.everyMs) return;
    const slot = this.good?.slot === 0 ? 1 : 0; // never over the good one
    this.engine.takeSnapshot(slot);
    this.candidate = { slot, where };
    this.takenAt = Date.now();
  }
  /** After a batch whose loss was finite. */
  passed() {
    if (this.candidate) {
      this.good = this.candidate;
      this.candidate = null;
    }
  }
  /** Puts the last good snapshot back; returns where it came from, or null. */
  restore() {
    if (!this.good) return null;
    this.engine.restoreSnapshot(this.good.slot);
    return this.good.where;
  }
}

const place = ({ epoch, batch }) => `epoch ${epoch + 1}, batch ${batch + 1}`;

// checkpoint: null when restoreOnDivergence is off. The error keeps the
// engine's fields (value: the loss, NaN or ±Infinity) and adds where (epoch
// and batch, from 0, as the callbacks count).
function divergence(error, at, checkpoint) {
  const what = Number.isNaN(error.value) ? 'NaN' : 'infinite';
  const fields = { cause: error, code: error.code, value: error.value, epoch: at.epoch, batch: at.batch };
  if (!checkpoint) {
    return new TrainingError(
      `training diverged at ${place(at)}: the loss is ${what}; the weights were kept from the last step — lower ` +
        `the learning rate`,
      fields,
    );
  }
  const from = checkpoint.restore();
  const restored = from
    ? `the weights were restored to the checkpoint taken before ${place(from)}`
    : 'no checkpoint was taken, the weights were kept from the last step';
  return new TrainingError(
    `training diverged at ${place(at)}: the loss is ${what}; ${restored} — lower the learning rate`,
    fields,
  );
}

/**
 * Checks fit's options and data (throwing InputError) and returns the
 * training loop for a Run: train(control) resolves with a History like tfjs,
 * { epoch: [...], history: { loss, acc, val_loss?, val_acc? }, stopped }.
 * model: the Model (trainBatch, evaluate, stopTraining, shapes); engine: its
 * wasm model's { lastBatchCorrect(), takeSnapshot(slot), restoreSnapshot(slot), checkBatchMemory(n) }.
 */
export function planFit(model, engine, x, y, options = {}) {
  if (isDataset(x)) ({ x, y, options } = datasetFitArguments(x, y ?? options, model)); // fit(ds, options)
  const o = {
    epochs: 1,
    batchSize: 32,
    validationSplit: 0,
    shuffle: true,
    initialEpoch: 0,
    yieldEveryMs: 16,
    startPaused: false,
    restoreOnDivergence: true,
    checkpointEveryMs: 1000,
    ...options,
  };
  checkOptions(o);
  const augment = checkAugment(o.augment);
  const inputShape = model.inputShape;
  const per = inputShape.reduce((a, b) => a * b, 1);
  const all = toInput(x, inputShape);
  checkFinite(all.data, inputShape); // every example, before the first step touches the model
  const outputShape = model.outputShape;
  // Int32Array (n*positions) or Float32Array targets (n * output size)
  const labels = toLabels(y, all.n, outputShape);
  const perLabel = labels.length / all.n;
  let trainN = all.n,
    valX = null,
    valY = null;
  if (o.validationData) {
    const [vx, vy] = o.validationData;
    const v = toInput(vx, inputShape, 'validationData x');
    checkFinite(v.data, inputShape, 'validationData x');
    valX = { data: v.data, shape: [v.n, ...inputShape] };
    valY = toLabels(vy, v.n, outputShape, 'validationData y');
  } else if (o.validationSplit > 0) {
    trainN = Math.floor(all.n * (1 - o.validationSplit));
    const valN = all.n - trainN;
    if (trainN < 1 || valN < 1)
      throw new InputError(
        `fit: validationSplit ${o.validationSplit} of ${all.n} examples leaves an empty part`,
      );
    valX = { data: all.data.subarray(trainN * per), shape: [valN, ...inputShape] };
    valY = labels.subarray(trainN * perLabel);
  }
  // Batch buffers, regrown when run.setBatchSize asks for more.
  let batchSize = 0,
    xBatch = null,
    yBatch = null;
  const useBatchSize = (n) => {
    batchSize = Math.min(n, trainN);
    if (xBatch && xBatch.length >= batchSize * per) return;
    xBatch = new Float32Array(batchSize * per);
    yBatch =
      labels instanceof Float32Array
        ? new Float32Array(batchSize * perLabel)
        : new Int32Array(batchSize * perLabel);
  };
  useBatchSize(o.batchSize);
  // A batch too large for the engine's memory is refused now (MemoryError),
  // before a checkpoint or a step allocates anything.
  engine.checkBatchMemory(batchSize);
  const seed = o.seed ?? Math.random() * 2 ** 32;
  const rng = seededRandom(seed);
  const augmentRng = augment ? seededRandom(augmentSeedFor(seed)) : null;
  const augmentScratch = augment ? new Float32Array(per) : null;
  const history = { epoch: [], history: { loss: [], acc: [] }, stopped: false };
  if (valX) {
    history.history.val_loss = [];
    history.history.val_acc = [];
  }
  const checkpoint = o.restoreOnDivergence ? new Checkpoint(engine, o.checkpointEveryMs) : null;
  return (control) => train(control);

  async function train(control) {
    const shouldStop = () => control.stopRequested || model.stopTraining || o.signal?.aborted;
    model.stopTraining = false;
    let lastYield = Date.now();
    await o.onTrainBegin?.();
    for (let epoch = o.initialEpoch; epoch < o.epochs && !shouldStop(); epoch++) {
      const order = o.shuffle ? permutation(trainN, rng) : null;
      let lossSum = 0,
        correct = 0,
        seen = 0;
      await o.onEpochBegin?.(epoch);
      // An example cursor, not a batch index: the batch size may change mid-epoch.
      for (let b = 0, start = 0; start < trainN; b++) {
        await control.gate(); // run.pause() parks training here, between batches; step() lets one through
        if (shouldStop()) break;
        const requested = control.takeBatchSize();
        if (requested) useBatchSize(requested);
        const m = Math.min(batchSize, trainN - start);
        const xs = xBatch.subarray(0, m * per);
        const ys = yBatch.subarray(0, m * perLabel);
        for (let i = 0; i < m; i++) {
          const src = order ? order[start + i] : start + i;
          xs.set(all.data.subarray(src * per, (src + 1) * per), i * per);
          if (perLabel === 1) ys[i] = labels[src];
          else ys.set(labels.subarray(src * perLabel, (src + 1) * perLabel), i * perLabel);
        }
        // the copy, not the stored images
        if (augment) augmentInPlace(xs, m, inputShape, augment, augmentRng, augmentScratch);
        checkpoint?.before({ epoch, batch: b }, b === 0);
        let loss;
        try {
          loss = model.trainBatch(xs, ys, m);
        } catch (e) {
          if (e instanceof TrainingError) throw divergence(e, { epoch, batch: b }, checkpoint);
          throw e;
        }
        checkpoint?.passed();
        start += m;
        const batchCorrect = engine.lastBatchCorrect();
        lossSum += loss * m;
        correct += batchCorrect;
        seen += m;
        // an estimate while the batch size may change
        const batchesPerEpoch = b + 1 + Math.ceil((trainN - start) / batchSize);
        await o.onBatchEnd?.(b, { batch: b, size: m, loss, acc: batchCorrect / m, epoch, batchesPerEpoch });
        control.batchDone();
        if (Date.now() - lastYield >= o.yieldEveryMs) {
          await yieldToEventLoop();
          lastYield = Date.now();
        }
      }
      if (seen === 0) break; // stopped before the epoch's first batch finished
      const logs = { loss: lossSum / seen, acc: correct / seen };
      if (valX) {
        const v = model.evaluate(valX, valY);
        logs.val_loss = v.loss;
        logs.val_acc = v.accuracy;
      }
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) history.history[k].push(v);
      await o.onEpochEnd?.(epoch, logs);
    }
    history.stopped = !!shouldStop();
    await o.onTrainEnd?.(history);
    return history;
  }
}
