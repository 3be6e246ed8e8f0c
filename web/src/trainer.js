// The page's trainer: the user's net and the pre-trained net live in
// convolab/worker (the package's own helper, loaded from /bindings/), and
// this module turns what they report into the page's events. It owns no
// DOM: main.js and the panels listen with on(type, fn) and command with
// send(type, payload) / request(kind, payload, onReply).
//
// Commands: dataset {dataset} · build {spec, compile, hyper, seed} · hyper {hyper, compile} · augment {augment}
//           start · pause · step · exportModel · importModel {bytes, pretrained, meta}
// Requests: predict {pixels} → prediction · inspect {pixels} → inspected (latest one only)
// Events:   backend · ready · built · buildFailed · progress · metrics · epoch · status
//           diverged · prediction · inspected · exported · pretrainedReady · error
//
// Training runs one fit per epoch over the uploaded dataset, so the page gets
// the exact end-of-epoch report from one predict on the validation set while
// the weights stand still. Commands that replace the model or the data run
// one after another (a queue), and each first stops a running fit and waits
// for it, so nothing trains on a disposed model or released data; replies
// that come back for a replaced net or run are dropped.
import { loadConvolabWorker } from '/bindings/worker.js';
import { uploadDataset } from './dataset-uploads.js';
import { latestOnly } from './latest-request.js';
import { buildNet, firstFilters } from './net-check.js';
import { hyperOf, loadProblem } from './loaded-model.js';
import { validationReport } from './validation-report.js';

const PROGRESS_EVERY_MS = 120;
const METRICS_EVERY_MS = 400;

const freshRun = () => ({
  state: 'idle',
  reason: undefined,
  epoch: 0,
  epochsTarget: 0,
  cursor: 0,
  seed: 1,
  wantPaused: false,
  fitLive: false,
  loop: null,
  onFitLaunch: [],
  lossSum: 0,
  lossCount: 0,
  t0: 0,
  examplesDone: 0,
  lastPost: 0,
  lastEval: 0,
  evaluating: false,
  timings: null,
});

// The compile configs differ only in the learning rate: setLearningRate reaches a running fit at once.
const sameButLearningRate = (a, b) =>
  JSON.stringify({ ...a, optimizer: { ...a.optimizer, learningRate: 0 } }) ===
  JSON.stringify({ ...b, optimizer: { ...b.optimizer, learningRate: 0 } });

export function createTrainer() {
  const listeners = new Map();
  const emit = (type, msg = {}) => {
    for (const fn of listeners.get(type) ?? []) fn({ type, ...msg });
  };
  const fail = (during) => (e) => emit('error', { message: e?.message ?? String(e), during });

  let cl = null;
  const engine = loadConvolabWorker().then((c) => {
    cl = c;
    emit('backend', { backend: c.backend });
    return c;
  });
  engine.catch((e) =>
    emit('error', { message: `The engine could not start: ${e?.message ?? e}`, during: 'engine' }),
  );

  let ds = null,
    data = null; // the decoded dataset and its uploads in the worker
  let net = null; // the user's net: { model, spec, compile, summary }
  let pretrained = null; // { model, spec, summary, meta }
  let hyper = null,
    pendingCompile = null;
  let augment = null; // fit's augment option, or null (off)
  let run = freshRun();
  let trainedSteps = 0;
  let buildRequest = 0;

  // Model-changing commands, one at a time, in the order sent.
  let queue = Promise.resolve();
  const serial = (during, fn) => {
    queue = queue.then(fn).catch(fail(during));
  };

  const trainCount = () => ds.trainCount;

  function postStatus() {
    emit('status', { state: run.state, step: trainedSteps, epoch: run.epoch, reason: run.reason });
    run.reason = undefined;
  }

  function postProgress(force = false) {
    const now = performance.now();
    if (!net || (!force && now - run.lastPost < PROGRESS_EVERY_MS)) return;
    run.lastPost = now;
    const n = trainCount();
    const perSec = run.examplesDone / Math.max(1e-3, (now - run.t0) / 1000);
    const target = run.epochsTarget || run.epoch + Number(hyper.epochs);
    const left = Math.max(0, (target - run.epoch) * n - run.cursor);
    emit('progress', {
      step: trainedSteps,
      epoch: run.epoch,
      epochsTarget: target,
      cursor: run.cursor,
      trainCount: n,
      fraction: Math.min(1, (run.epoch * n + run.cursor) / Math.max(1, target * n)),
      loss: run.lossCount ? run.lossSum / run.lossCount : null,
      examplesPerSec: perSec,
      secondsLeft: perSec > 0 ? left / perSec : null,
      timings: run.timings,
      optimizer: net.compile.optimizer,
      batchSize: Number(hyper.batchSize),
    });
    run.lossSum = 0;
    run.lossCount = 0;
  }

  // Accuracy on the two fixed samples, for the live chart between epochs, and the layer timings.
  async function refreshMetrics(r, target) {
    r.evaluating = true;
    r.lastEval = performance.now();
    const at = { step: trainedSteps, epoch: r.epoch, epochFloat: r.epoch + r.cursor / trainCount() };
    try {
      const [v, t, timings] = await Promise.all([
        target.model.evaluate(data.valSample.x, data.valSample.y),
        target.model.evaluate(data.trainSample.x, data.trainSample.y),
        target.model.timings(),
      ]);
      if (run !== r || net !== target) return;
      r.timings = timings;
      if (r.epoch !== at.epoch) return; // the epoch's full report is newer
      emit('metrics', {
        step: at.step,
        epochFloat: at.epochFloat,
        trainLoss: t.loss,
        trainAcc: t.accuracy,
        valLoss: v.loss,
        valAcc: v.accuracy,
      });
    } catch (e) {
      if (run === r && net === target) fail('metrics')(e);
    } finally {
      r.evaluating = false;
    }
  }

  function onBatchEnd(r, target, logs) {
    if (run !== r || net !== target) return;
    trainedSteps++;
    r.cursor += logs.size;
    r.examplesDone += logs.size;
    r.lossSum += logs.loss;
    r.lossCount++;
    postProgress();
    if (r.state === 'running' && !r.evaluating && performance.now() - r.lastEval > METRICS_EVERY_MS)
      refreshMetrics(r, target);
  }

  async function reportEpoch(r, target) {
    const probs = await target.model.predict(data.val.x);
    if (run !== r || net !== target) return;
    const report = validationReport(probs.data, data.valLabels, probs.shape[1], ds.trainCount);
    emit('epoch', { epoch: r.epoch, step: trainedSteps, ...report });
    emit('metrics', {
      step: trainedSteps,
      epochFloat: r.epoch,
      valLoss: report.valLoss,
      valAcc: report.valAcc,
      full: true,
    });
  }

  // Optimizer changes other than the learning rate are compiled here, at the
  // epoch boundary: a compile resets the optimizer's state, and one fit per
  // epoch means no fit is running now.
  async function applyPendingCompile(target) {
    if (!pendingCompile) return;
    const c = pendingCompile;
    pendingCompile = null;
    await target.model.compile(c);
    target.compile = c;
  }

  async function diverged(r, target, e) {
    // the timings of the steps that did run (the regular refresh may not have come yet)
    r.timings = await target.model.timings().catch(() => r.timings);
    if (run !== r || net !== target) return;
    const what = /infinite/.test(e.message) ? 'infinite' : 'NaN';
    const where = /at epoch (\d+), batch (\d+)/.exec(e.message);
    r.state = 'paused';
    r.wantPaused = true;
    r.reason = 'diverged';
    r.cursor = 0; // the next Train starts this epoch again, from the restored weights
    emit('diverged', {
      message:
        `Training diverged${where ? ` in epoch ${where[1]}, batch ${where[2]}` : ''}: the loss became ${what}. ` +
        `The weights were restored to the last good ones. Try a lower learning rate (now ${hyper.learningRate}).`,
    });
    postProgress(true);
    postStatus();
  }

  // The epochs of one run, one fit each; ends when the run is done, replaced or fails.
  async function runEpochs(r, target) {
    try {
      while (
        run === r &&
        net === target &&
        r.state !== 'idle' &&
        r.state !== 'done' &&
        r.epoch < r.epochsTarget
      ) {
        await applyPendingCompile(target);
        if (run !== r || net !== target) return;
        const epoch = r.epoch;
        r.cursor = 0;
        // wantPaused is read as the fit is sent: a pause sent earlier has found no fit to pause
        const fitting = target.model.fit(data.train.x, data.train.y, {
          epochs: epoch + 1,
          initialEpoch: epoch,
          batchSize: Number(hyper.batchSize),
          shuffle: true,
          seed: r.seed + epoch,
          startPaused: r.wantPaused,
          ...(augment ? { augment } : {}),
          onBatchEnd: (b, logs) => onBatchEnd(r, target, logs),
        });
        r.fitLive = true;
        r.onFitLaunch.splice(0).forEach((f) => f());
        let history;
        try {
          history = await fitting;
        } finally {
          r.fitLive = false;
        }
        if (run !== r || net !== target || history.stopped) return;
        r.epoch++;
        r.cursor = 0;
        await reportEpoch(r, target);
        if (run !== r || net !== target) return;
        if (r.epoch >= r.epochsTarget) {
          r.state = 'done';
          r.timings = await target.model.timings();
          postProgress(true);
          postStatus();
        }
      }
    } catch (e) {
      if (run !== r || net !== target) return; // replaced meanwhile: the error is the old model's
      if (e?.name === 'TrainingError') {
        await diverged(r, target, e);
        return;
      }
      r.state = 'paused';
      r.wantPaused = true;
      fail('start')(e);
      postStatus();
    } finally {
      r.onFitLaunch.splice(0).forEach((f) => f());
    }
  }

  function startLoop() {
    const r = run;
    r.loop = runEpochs(r, net).finally(() => {
      r.loop = null;
    }); // finally runs later: after this assignment
  }

  /** Ends the run: stops a running fit and waits for it, so the model can be replaced. */
  async function stopTraining() {
    const r = run;
    run = freshRun();
    if (r.fitLive) await net?.model.stop();
    await r.loop;
  }

  async function replaceNet(next) {
    const old = net;
    net = next;
    await old?.model.dispose();
  }

  function predictor() {
    // a loaded file counts as trained even when it says nothing of its steps
    const trained = trainedSteps > 0 || net?.fromFile;
    if (net && (trained || !pretrained)) return { ...net, source: trained ? 'yours' : 'untrained' };
    if (pretrained && ds?.name && !ds.mine && !/fashion/i.test(ds.name))
      return { ...pretrained, source: 'pretrained' };
    if (net) return { ...net, source: 'untrained' };
    return null;
  }
  const asInput = (model, pixels) => ({ data: pixels, shape: [1, ...model.inputShape] });

  const commands = {
    dataset({ dataset }) {
      serial('dataset', async () => {
        await engine;
        await stopTraining();
        const old = data;
        data = null;
        ds = dataset;
        await old?.release();
        data = await uploadDataset(cl, dataset);
        emit('ready');
      });
    },

    build({ spec, compile, hyper: h, seed = 1 }) {
      const request = ++buildRequest;
      serial('build', async () => {
        if (request !== buildRequest) return; // a newer stack is queued behind this one
        await engine;
        await stopTraining();
        hyper = h;
        const built = await buildNet(cl, spec, compile, seed, ds?.classNames.length, Number(h.batchSize));
        if (built.error) {
          await replaceNet(null);
          emit('buildFailed', { message: built.error, layerIndex: built.layerIndex, summary: built.summary });
          return;
        }
        await replaceNet({ model: built.model, spec, compile, summary: built.summary });
        pendingCompile = null;
        trainedSteps = 0;
        emit('built', { summary: built.summary, spec });
        postStatus();
      });
    },

    // Augmentation reaches the next fit, i.e. the next epoch.
    augment({ augment: a }) {
      augment = a;
    },

    // The learning rate and the batch size reach a running fit at its next
    // batch; other optimizer changes wait for the next epoch (see applyPendingCompile).
    hyper({ hyper: h, compile }) {
      hyper = h;
      if (!net) return;
      const target = net;
      if (sameButLearningRate(compile, target.compile)) {
        pendingCompile = null;
        if (compile.optimizer.learningRate !== target.compile.optimizer.learningRate)
          target.model.setLearningRate(compile.optimizer.learningRate).catch(fail('hyper'));
        target.compile = compile;
      } else {
        pendingCompile = compile;
      }
      if (run.fitLive) target.model.setBatchSize(Number(h.batchSize)).catch(fail('hyper'));
    },

    start() {
      serial('start', async () => {
        if (!net || !data || run.state === 'running') return;
        if (run.state === 'idle' || run.state === 'done') run.epochsTarget = run.epoch + Number(hyper.epochs);
        run.state = 'running';
        run.wantPaused = false;
        run.t0 = performance.now();
        run.examplesDone = 0;
        postStatus();
        if (run.fitLive) await net.model.resume();
        else if (!run.loop) startLoop();
      });
    },

    pause() {
      serial('pause', async () => {
        if (!net || run.state !== 'running') return;
        const r = run;
        r.wantPaused = true;
        // once the worker answers, no batch runs until resume or step, and every finished batch has been reported
        await net.model.pause();
        if (run !== r || r.state !== 'running') return;
        r.state = 'paused';
        postProgress(true);
        postStatus();
      });
    },

    step() {
      serial('step', async () => {
        if (!net || !data || run.state === 'running') return;
        const r = run,
          target = net;
        if (r.state === 'idle' || r.state === 'done') r.epochsTarget = r.epoch + Number(hyper.epochs);
        r.state = 'paused';
        r.wantPaused = true;
        r.t0 = performance.now();
        r.examplesDone = 0;
        if (!r.fitLive) {
          const launched = new Promise((resolve) => r.onFitLaunch.push(resolve));
          if (!r.loop) startLoop();
          await launched; // the next fit starts paused
        }
        if (run !== r || !r.fitLive) return;
        await target.model.step();
        if (run !== r || net !== target) return;
        await refreshMetrics(r, target);
        postProgress(true);
        postStatus();
      });
    },

    // Models travel in the engine's own .clmodel format (save / cl.load),
    // optimizer state included, so training continues where it stopped.
    exportModel() {
      serial('exportModel', async () => {
        if (!net) throw new Error('there is no model to save: fix the layer stack first');
        const bytes = await net.model.save();
        emit('exported', { bytes });
      });
    },

    importModel({ bytes, pretrained: isPretrained, meta = {} }) {
      serial('importModel', async () => {
        await engine;
        const model = await cl.load(bytes);
        const spec = model.toJSON();
        if (ds && spec.inputShape.join('x') !== [ds.height, ds.width, ds.channels].join('x')) {
          await model.dispose();
          throw new Error(
            `the saved model expects ${spec.inputShape.join('×')} inputs; the dataset has ${ds.height}×${ds.width}×${ds.channels}`,
          );
        }
        if (!isPretrained && ds) {
          const problem = loadProblem(model.numClasses, meta, ds);
          if (problem) {
            await model.dispose();
            throw new Error(problem);
          }
        }
        const loaded = {
          model,
          spec,
          compile: await model.compileConfig().catch(() => null),
          summary: await model.summaryData(),
          meta,
        };
        if (isPretrained) {
          const old = pretrained;
          pretrained = loaded;
          await old?.model.dispose();
          emit('pretrainedReady', { header: meta });
          return;
        }
        await stopTraining();
        loaded.compile ??= { optimizer: { type: 'sgd', learningRate: 0.01 } };
        loaded.fromFile = true;
        await replaceNet(loaded);
        // a file from elsewhere carries no page settings: its compile config says how it trains
        hyper = meta.hyper ?? hyperOf(loaded.compile, hyper);
        pendingCompile = null;
        trainedSteps = meta.trainedSteps ?? 0;
        emit('built', {
          summary: loaded.summary,
          spec,
          loaded: { name: meta.name ?? 'model', ...meta, hyper },
        });
        postStatus();
      });
    },
  };

  const requests = {
    predict: latestOnly(async ({ pixels }) => {
      const p = predictor();
      if (!p) return { type: 'prediction', probs: null, source: 'none' };
      const probs = await p.model.predict(asInput(p.model, pixels));
      return { type: 'prediction', probs: Array.from(probs.data), source: p.source };
    }),
    inspect: latestOnly(async ({ pixels }) => {
      const p = predictor();
      if (!p) return { type: 'inspected', layers: [], filters: null, source: 'none' };
      const [acts, filters] = await Promise.all([
        p.model.activations(asInput(p.model, pixels)),
        firstFilters(p.model, p.summary),
      ]);
      const layers = p.summary.layers.map((l, i) => ({
        index: i,
        type: l.type,
        shape: l.outputShape,
        maps: /Conv2D|Pooling2D/.test(l.type) ? acts[i].data : null,
      }));
      return { type: 'inspected', probs: Array.from(acts.at(-1).data), layers, filters, source: p.source };
    }),
  };

  return {
    on(type, fn) {
      if (!listeners.has(type)) listeners.set(type, []);
      listeners.get(type).push(fn);
    },
    send(type, payload = {}) {
      commands[type](payload);
    },
    /** predict / inspect: onReply gets the answer; a newer request replaces a queued one. */
    request(kind, payload, onReply) {
      requests[kind](payload, onReply, (e) => {
        if (e?.name !== 'DisposedError') fail(kind)(e); // a model replaced mid-request: the page asks again
      });
    },
  };
}
