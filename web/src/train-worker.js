// The worker owns the engine and every model, so training never blocks the
// page. It holds the user's net (built from the page's stack) and the
// pre-trained net that classifies drawings until the user's net has trained.
//
// In:  dataset {bytes} · build {spec, compile, seed} · hyper {hyper, compile}
//      start · pause · step · predict {pixels, id} · inspect {pixels, id}
//      export {meta} · import {bytes, pretrained}
// Out: ready · built · buildFailed · progress · metrics · epoch · status
//      diverged · prediction · inspected · exported · error
import { loadConvolab } from '/bindings/convolab.js';
import { decodeDataset } from '../../bindings/dataset.js';
import { gatherImages, gatherLabels, shuffled } from './batches.js';

const post = (msg, transfer) => self.postMessage(msg, transfer ?? []);
const yieldToMessages = () => new Promise((r) => setTimeout(r, 0));

let cl = null;
let data = null;                  // decoded dataset
let val = null;                   // { x, y, n } validation images
let model = null, modelInfo = null;  // the user's net and { spec, compile, summary }
let pretrained = null, pretrainedInfo = null;
let hyper = null, pendingCompile = null;
let run = null;                   // training progress, see freshRun()
let trainedSteps = 0;
let lastGood = null;              // parameters after the last healthy check

const freshRun = () => ({ state: 'idle', epoch: 0, cursor: 0, order: null, stepsTotal: 0,
  lossSum: 0, lossCount: 0, t0: 0, examplesDone: 0, lastPost: 0, lastEval: 0, seed: 1 });

let loading = null;
async function engine() {
  // The threaded build when the page is crossOriginIsolated (our server sends
  // COOP/COEP), else the single-thread one.
  loading ??= loadConvolab().then((c) => { cl = c; post({ type: 'backend', backend: c.backend }); return c; });
  return loading;
}

function trainCount() { return data.trainCount; }

const handlers = {
  async dataset({ bytes }) {
    data = decodeDataset(bytes);
    const n = data.count - data.trainCount;
    const size = data.height * data.width * data.channels;
    val = { n, x: new Float32Array(n * size), y: new Int32Array(n) };
    for (let i = 0; i < n * size; i++) val.x[i] = data.pixels[data.trainCount * size + i] / 255;
    for (let i = 0; i < n; i++) val.y[i] = data.labels[data.trainCount + i];
    await engine();
    post({ type: 'ready' });
  },

  async build({ spec, compile, hyper: h, seed = 1 }) {
    await engine();
    stopRun();
    const next = describe(spec, compile, seed);
    if (next.error) {
      model?.dispose(); model = null; modelInfo = null;
      post({ type: 'buildFailed', message: next.error, layerIndex: next.layerIndex, summary: next.summary });
      return;
    }
    model?.dispose();
    model = next.model; modelInfo = { spec, compile, summary: next.summary, seed };
    hyper = h; pendingCompile = null; trainedSteps = 0; lastGood = model.getParams();
    run = freshRun();
    post({ type: 'built', summary: next.summary, spec });
    postStatus();
  },

  hyper({ hyper: h, compile }) {
    const lrOnly = hyper && modelInfo && JSON.stringify({ ...compile, optimizer: { ...compile.optimizer, learningRate: 0 } })
      === JSON.stringify({ ...modelInfo.compile, optimizer: { ...modelInfo.compile.optimizer, learningRate: 0 } });
    hyper = h;
    if (!modelInfo) return;
    pendingCompile = { compile, lrOnly };
  },

  async start() {
    if (!model || !data) return;
    if (run.state === 'running') return;
    if (run.state === 'done' || run.state === 'idle') { run.epochsTarget = run.epoch + Number(hyper.epochs); }
    run.state = 'running';
    run.t0 = performance.now(); run.examplesDone = 0;
    postStatus();
    await loop();
  },

  pause() {
    if (run?.state === 'running') { run.state = 'paused'; postStatus(); }
  },

  step() {
    if (!model || !data || run.state === 'running') return;
    if (run.state === 'idle' || run.state === 'done') run.epochsTarget = run.epoch + Number(hyper.epochs);
    run.state = 'paused';
    run.t0 = performance.now(); run.examplesDone = 0;
    trainOneBatch();
    evaluateSubsets();
    postProgress(true);
    postStatus();
  },

  predict({ pixels, id }) {
    const net = predictor();
    if (!net) { post({ type: 'prediction', id, probs: null, source: 'none' }); return; }
    post({ type: 'prediction', id, probs: Array.from(net.model.predict(pixels, 1)), source: net.source });
  },

  inspect({ pixels, id }) {
    const net = predictor();
    if (!net) { post({ type: 'inspected', id, layers: [], filters: null, source: 'none' }); return; }
    const probs = Array.from(net.model.predict(pixels, 1));
    const layers = net.info.summary.layers.map((l, i) => {
      const maps = /Conv2D|Pooling2D/.test(l.type) ? net.model.activation(i) : null;
      return { index: i, type: l.type, shape: l.outputShape, maps };
    });
    post({ type: 'inspected', id, probs, layers, filters: firstFilters(net), source: net.source },
      layers.filter((l) => l.maps).map((l) => l.maps.buffer));
  },

  // Models travel in the engine's own .clmodel format (Model.save / cl.load),
  // optimizer state included, so training continues where it stopped.
  exportModel() {
    if (!model) throw new Error('there is no model to save: fix the layer stack first');
    const bytes = model.save();
    post({ type: 'exported', bytes }, [bytes.buffer]);
  },

  async importModel({ bytes, pretrained: isPretrained, meta = {} }) {
    await engine();
    const m = cl.load(bytes);
    const spec = m.toJSON();
    if (data && spec.inputShape.join('x') !== [data.height, data.width, data.channels].join('x')) {
      m.dispose();
      throw new Error(`the saved model expects ${spec.inputShape.join('×')} inputs; the dataset has ${data.height}×${data.width}×${data.channels}`);
    }
    const info = { spec, compile: safe(() => m.compileConfig) ?? null, summary: m.summaryData(), meta };
    if (isPretrained) {
      pretrained?.dispose(); pretrained = m; pretrainedInfo = info;
      post({ type: 'pretrainedReady', header: meta });
      return;
    }
    stopRun();
    model?.dispose(); model = m; modelInfo = info;
    if (!info.compile) { info.compile = { optimizer: { type: 'sgd', learningRate: 0.01 } }; }
    hyper = meta.hyper ?? hyper; pendingCompile = null;
    trainedSteps = Math.max(1, meta.trainedSteps ?? 1); lastGood = model.getParams();
    run = freshRun();
    post({ type: 'built', summary: info.summary, spec, loaded: { name: meta.name ?? 'model', ...meta } });
    postStatus();
  },
};

/** Builds and compiles a model, or explains what is wrong with the spec. */
function describe(spec, compile, seed) {
  let m = null;
  try {
    m = cl.sequential(spec, { seed });
  } catch (e) {
    const message = e?.message ?? String(e);
    const match = /^layer (\d+)/.exec(message);
    const layerIndex = match ? Number(match[1]) - 1 : -1;
    let summary = null;
    if (layerIndex > 0) {
      try {
        const prefix = cl.sequential({ ...spec, layers: spec.layers.slice(0, layerIndex) }, { seed });
        summary = prefix.summaryData();
        prefix.dispose();
      } catch { /* the prefix names its own problem; the first one is enough */ }
    }
    return { error: message, layerIndex, summary };
  }
  const summary = m.summaryData();
  try {
    m.compile(compile);
  } catch (e) {
    m.dispose();
    const message = e?.message ?? String(e);
    const isOptimizer = /optimizer|learning rate|loss/i.test(message);
    return { error: message, layerIndex: isOptimizer ? -2 : spec.layers.length - 1, summary };
  }
  return { model: m, summary };
}

function predictor() {
  if (model && (trainedSteps > 0 || !pretrained)) return { model, info: modelInfo, source: trainedSteps > 0 ? 'yours' : 'untrained' };
  if (pretrained && data?.name && /fashion/i.test(data.name) === false) return { model: pretrained, info: pretrainedInfo, source: 'pretrained' };
  if (model) return { model, info: modelInfo, source: 'untrained' };
  return null;
}

/** First conv layer's kernels as { kh, kw, cin, cout, values } (KH, KW, C, OC), or null. */
function firstFilters(net) {
  const layers = net.info.summary.layers;
  let offset = 0;
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l.type === 'Conv2D') {
      const ks = net.info.spec.layers[i].kernelSize ?? 3;
      const [kh, kw] = Array.isArray(ks) ? ks : [ks, ks];
      const cin = i === 0 ? net.info.spec.inputShape[2] : layers[i - 1].outputShape[2];
      const cout = l.outputShape[2];
      return { kh, kw, cin, cout, values: net.model.getParams().slice(offset, offset + kh * kw * cin * cout) };
    }
    if (l.params > 0) return null;  // parameters before the first conv: layout unknown here
    offset += l.params;
  }
  return null;
}

function stopRun() {
  if (run) run.state = 'idle';
}

function applyPendingCompile() {
  if (!pendingCompile) return;
  const { compile, lrOnly } = pendingCompile;
  pendingCompile = null;
  if (lrOnly) model.setLearningRate(compile.optimizer.learningRate);
  else model.compile(compile);
  modelInfo.compile = compile;
}

function trainOneBatch() {
  applyPendingCompile();
  const n = trainCount();
  if (!run.order) run.order = shuffled(n, run.seed + run.epoch);
  const bs = Math.min(Math.max(1, Number(hyper.batchSize) | 0), n - run.cursor);
  const idx = run.order.subarray(run.cursor, run.cursor + bs);
  let loss;
  try {
    loss = model.trainBatch(gatherImages(data, idx), gatherLabels(data, idx), bs);
  } catch (e) {
    const message = e?.message ?? String(e);
    if (/diverged|NaN|infinite/i.test(message)) {
      model.setParams(lastGood);
      run.state = 'paused';
      run.reason = 'diverged';
      post({ type: 'diverged', message: `Training diverged: the loss became ${/NaN/.test(message) ? 'NaN' : 'infinite'}. `
        + `The weights were restored to the last good ones. Try a lower learning rate (now ${hyper.learningRate}).` });
      postStatus();
      return false;
    }
    throw e;
  }
  trainedSteps++;
  run.cursor += bs;
  run.examplesDone += bs;
  run.lossSum += loss; run.lossCount++;
  if (run.cursor >= n) endEpoch();
  return true;
}

function endEpoch() {
  run.epoch++;
  run.cursor = 0;
  run.order = null;
  const probs = model.predict(val.x, val.n);
  const k = probs.length / val.n;
  const confusion = Array.from({ length: k }, () => new Array(k).fill(0));
  const wrong = [];
  let lossSum = 0, correct = 0;
  for (let i = 0; i < val.n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    const t = val.y[i];
    confusion[t][best]++;
    lossSum -= Math.log(Math.max(probs[i * k + t], 1e-7));
    if (best === t) correct++;
    else if (wrong.length < 40) wrong.push({ index: data.trainCount + i, predicted: best, label: t, confidence: probs[i * k + best] });
  }
  const valLoss = lossSum / val.n, valAcc = correct / val.n;
  lastGood = model.getParams();
  post({ type: 'epoch', epoch: run.epoch, confusion, wrong, valLoss, valAcc, step: trainedSteps });
  post({ type: 'metrics', step: trainedSteps, epochFloat: run.epoch, valLoss, valAcc, full: true });
  if (run.epoch >= run.epochsTarget) run.state = 'done';
}

// Accuracy on small fixed subsets, for the live chart between epochs.
function evaluateSubsets() {
  const size = data.height * data.width * data.channels;
  const m = Math.min(300, val.n);
  const v = model.evaluate(val.x.subarray(0, m * size), val.y.subarray(0, m), m);
  const idx = new Int32Array(m);
  for (let i = 0; i < m; i++) idx[i] = (i * 7919) % trainCount();
  const t = model.evaluate(gatherImages(data, idx), gatherLabels(data, idx), m);
  if (Number.isFinite(v.loss)) lastGood = model.getParams();
  post({ type: 'metrics', step: trainedSteps, epochFloat: run.epoch + run.cursor / trainCount(),
    trainLoss: t.loss, trainAcc: t.accuracy, valLoss: v.loss, valAcc: v.accuracy });
  run.lastEval = performance.now();
}

function postProgress(force = false) {
  const now = performance.now();
  if (!force && now - run.lastPost < 120) return;
  run.lastPost = now;
  const n = trainCount();
  const perSec = run.examplesDone / Math.max(1e-3, (now - run.t0) / 1000);
  const target = run.epochsTarget ?? run.epoch + Number(hyper.epochs);
  const left = Math.max(0, (target - run.epoch) * n - run.cursor);
  post({ type: 'progress', step: trainedSteps, epoch: run.epoch, epochsTarget: target, cursor: run.cursor, trainCount: n,
    fraction: Math.min(1, (run.epoch * n + run.cursor) / Math.max(1, target * n)),
    loss: run.lossCount ? run.lossSum / run.lossCount : null,
    examplesPerSec: perSec, secondsLeft: perSec > 0 ? left / perSec : null, timings: model.timings(),
    optimizer: modelInfo.compile.optimizer, batchSize: Number(hyper.batchSize) });
  run.lossSum = 0; run.lossCount = 0;
}

function postStatus() {
  post({ type: 'status', state: run?.state ?? 'idle', step: trainedSteps, epoch: run?.epoch ?? 0, reason: run?.reason });
  if (run) run.reason = undefined;
}

async function loop() {
  const mine = run;
  while (mine === run && run.state === 'running') {
    const sliceEnd = performance.now() + 60;
    while (run.state === 'running' && performance.now() < sliceEnd) {
      if (!trainOneBatch()) return;
    }
    if (mine !== run) return;
    if (run.state === 'done') {
      postProgress(true);
      postStatus();
      return;
    }
    if (performance.now() - run.lastEval > 400) evaluateSubsets();
    postProgress();
    await yieldToMessages();  // lets pause, hyper, predict and inspect in
  }
  if (mine === run) { postProgress(true); postStatus(); }
}

self.onmessage = async ({ data: msg }) => {
  try {
    await handlers[msg.type](msg);
  } catch (e) {
    if (run && run.state === 'running') run.state = 'paused';
    post({ type: 'error', message: e?.message ?? String(e), during: msg.type, id: msg.id });
    postStatus();
  }
};

function safe(fn) {
  try { return fn(); } catch { return null; }
}
