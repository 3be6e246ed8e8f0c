// The page's trainer: the user's net and the pre-trained net live in
// convolab/worker (the package's own helper, loaded from /bindings/), and
// this module turns what they report into the page's events. It owns no
// DOM: main.js and the panels listen with on(type, fn) and command with
// send(type, payload) / request(kind, payload, onReply).
//
// Commands: dataset {dataset, task} · build {spec, compile, hyper, seed, keepWeights} · hyper {hyper, compile} · augment {augment}
//           start · pause · step · exportModel · importModel {bytes, pretrained, meta}
//           exportTfjs · exportOnnx · importTfjs {modelJSON, weightData, meta}
// Requests: predict {pixels} → prediction · inspect {pixels} → inspected (latest one only)
// Events:   backend · ready · built {summary, spec, loaded?, replacedSteps, kept?} · buildFailed {kept?}
//           progress · metrics · epoch · status {state, step, epoch, reason} · health {failing} · prediction
//           inspected · exported · exportedTfjs · exportedOnnx · pretrainedReady · error
//           answering {source, label}: the net that answers changed (answering-net.js)
//           snapshot {bytes, steps, epoch, valAcc, valAccBasis, hyper, spec}: the net at an epoch's end
//           replaced {bytes, steps, kept}: a trained net was replaced (put aside, for Undo)
//           engineDied {message}: the worker died; a restart follows, then built {restored}
//           (step: batches the net has trained)
//
// The user's net trains in one TrainingRun (training-run.js), made for the
// net and the data and ended when either is replaced. Commands that replace
// the model or the data run one after another (a queue), and each first ends
// the run and waits for its fit, so nothing trains on a disposed model or
// released data.
import { loadConvolabWorker } from '/bindings/worker.js';
import { asProbabilities, readsLogits } from './logits.js';
import { uploadDataset } from './dataset-uploads.js';
import { latestOnly } from './latest-request.js';
import { buildNet, firstFilters } from './net-check.js';
import { hyperOf, loadProblem } from './loaded-model.js';
import { TrainingRun } from './training-run.js';
import { answerLabel, answerSource } from './answering-net.js';

export function createTrainer() {
  const listeners = new Map();
  const emit = (type, msg = {}) => {
    for (const fn of listeners.get(type) ?? []) fn({ type, ...msg });
  };
  // an error the engine's death caused is not reported: restartEngine says what happened
  const fail = (during) => (e) => {
    if (e?.kind !== 'worker') emit('error', { message: e?.message ?? String(e), during });
  };

  let cl = null;
  let engine = null; // resolves with cl once the engine runs
  const MAX_RESTARTS = 3;
  let deathsInARow = 0; // worker deaths since a net last trained an epoch
  function startEngine() {
    engine = loadConvolabWorker().then((c) => {
      cl = c;
      emit('backend', { backend: c.backend });
      // a worker that dies (out of memory, a crash, closed) is noticed, and replaced
      c.died.then((e) => {
        // a net that kills every worker it is brought back into is not brought back for ever
        if (++deathsInARow > MAX_RESTARTS)
          emit('error', {
            message: `The engine died ${deathsInARow} times in a row (${e.message}); reload the page to start again`,
            during: 'engine',
          });
        else serial('restart', () => restartEngine(e));
      });
      return c;
    });
    engine.catch((e) =>
      emit('error', { message: `The engine could not start: ${e?.message ?? e}`, during: 'engine' }),
    );
  }

  let ds = null,
    data = null; // the decoded dataset and its uploads in the worker
  // the user's net: { model, spec, compile, summary, steps (batches trained), fromFile?, kept? };
  // kept: the stack on screen does not build, and this, the last good net, still answers
  let net = null;
  let run = null; // its TrainingRun, while the dataset is in
  let pretrained = null; // { model, spec, summary, meta }
  let hyper = null;
  let task = 'classify'; // what the uploads and the net are for (tasks.js)
  let augment = null; // fit's augment option, or null (off)
  let shownSteps = 0; // the steps of the last net there was, for 'built': did it replace a trained one
  let buildRequest = 0;
  // the user's net as it was at its last epoch's end (or as loaded), kept in the page:
  // { net, bytes, steps, epoch, valAcc }; what a restarted engine brings back
  let checkpoint = null;
  let pretrainedFile = null; // { bytes, meta }: the pre-trained net, to load again after a restart

  // Model-changing commands, one at a time, in the order sent.
  let queue = Promise.resolve();
  const serial = (during, fn) => {
    queue = queue.then(fn).catch(fail(during));
  };
  startEngine();

  // The worker died, and every model and upload in it: a new one gets the
  // dataset again, the pre-trained net, and the user's net from its last
  // checkpoint (or, with none, the same stack's fresh weights), ready to train on.
  async function restartEngine(error) {
    const lost = net;
    if (run) run.ended = true; // its fit died with the worker: nothing more from it
    run = null;
    net = null;
    data = null;
    pretrained = null;
    const back = lost && checkpoint?.net === lost ? checkpoint : null;
    emit('engineDied', { message: error.message });
    startEngine();
    await engine;
    if (ds) data = await uploadDataset(cl, ds, task);
    if (pretrainedFile) await loadPretrained(pretrainedFile.bytes, pretrainedFile.meta);
    if (!lost)
      emit('ready'); // no net to bring back: the page builds its stack again
    else {
      const model = back ? await cl.load(back.bytes) : await freshNet(lost);
      if (!model) return postStatus();
      // a kept net (the stack on screen does not build) comes back kept: it answers, it does not train
      net = { ...lost, model, steps: back ? back.steps : 0, summary: await model.summaryData() };
      checkpoint = back ? { ...back, net } : null;
      startRun();
      if (run && back) run.epoch = back.epoch; // the epochs count on from the checkpoint's
      emit('built', {
        summary: net.summary,
        spec: net.spec,
        restored: {
          steps: net.steps,
          epoch: back?.epoch ?? 0,
          valAcc: back?.valAcc ?? null,
          valAccBasis: back?.valAccBasis ?? null,
          lostSteps: lost.steps - net.steps,
          fromCheckpoint: !!back,
          kept: !!net.kept,
          message: error.message,
        },
      });
      run?.postProgress(true); // the run bar counts from the checkpoint's epoch, not from 0
    }
    postStatus();
  }
  async function loadPretrained(bytes, meta) {
    const model = await cl.load(bytes);
    pretrainedFile = { bytes, meta };
    const old = pretrained;
    pretrained = { model, spec: model.toJSON(), summary: await model.summaryData(), meta };
    await old?.model.dispose();
    emit('pretrainedReady', { header: meta });
    announce();
  }
  // The same stack with the seed it was built with: the weights it started from.
  async function freshNet(n) {
    const built = await buildNet(
      cl,
      n.spec,
      n.compile,
      1,
      ds?.classNames.length,
      Number(hyper?.batchSize ?? 32),
      task,
    );
    return built.model ?? null;
  }

  /** Ends the run: stops its fit and waits for it, so the net or the data can be replaced. */
  async function endRun() {
    const old = run;
    run = null;
    await old?.end();
  }
  function startRun() {
    run =
      net && data && !net.kept
        ? new TrainingRun({ net, data, trainCount: ds.trainCount, hyper, augment, emit: runEmit, task })
        : null;
  }
  // A trained net that goes (Reset, another dataset or preset, fresh weights,
  // a loaded file) is put aside first: 'replaced' carries its bytes, for the
  // page to keep as a snapshot and to offer Undo. keptWeights: the next net has them.
  async function replaceNet(next, { keptWeights = false } = {}) {
    const old = net;
    if (!keptWeights && trainedNet(old)) {
      const bytes = await old.model.save().catch(() => null);
      if (bytes) emit('replaced', { bytes, steps: old.steps, kept: !!old.kept });
    }
    net = next;
    if (old) shownSteps = old.steps;
    await old?.model.dispose();
  }
  function postStatus() {
    if (run) run.postStatus();
    else emit('status', { state: 'idle', step: net?.steps ?? 0, epoch: 0 });
    announce();
  }

  // The net that answers (answering-net.js), with its source and label; null for none.
  function predictor() {
    const source = answerSource(net, pretrained, ds, task);
    const label = answerLabel(source, pretrained?.meta);
    if (source === 'none') return null;
    return { ...(source === 'pretrained' ? pretrained : net), source, label };
  }
  // Tells the views when the answering net changes ('answering' {source, label}).
  let answered = null;
  function announce() {
    const p = predictor();
    const now = { source: p?.source ?? 'none', label: p?.label ?? answerLabel('none') };
    if (answered && answered.source === now.source && answered.label === now.label) return;
    answered = now;
    emit('answering', now);
  }
  // The run's reports; its first batch turns an untrained net into a trained one.
  const runEmit = (type, msg) => {
    if (type === 'snapshot') {
      checkpoint = { net, ...msg };
      deathsInARow = 0;
    }
    emit(type, msg);
    if (type === 'status' || type === 'progress') announce();
  };
  // A trained net whose weights an edit may keep (see build).
  const trainedNet = (n) => !!n && !n.unfit && (n.steps > 0 || !!n.fromFile);
  const weightShapes = (model) => JSON.stringify(model.layers.map((l) => l.weightSpecs.map((w) => w.shape)));
  const asInput = (model, pixels) => ({ data: pixels, shape: [1, ...model.inputShape] });

  const commands = {
    dataset({ dataset, task: t = 'classify' }) {
      serial('dataset', async () => {
        await engine;
        await endRun();
        const old = data;
        data = null;
        ds = dataset;
        task = t;
        await old?.release();
        data = await uploadDataset(cl, dataset, task);
        startRun(); // the net stays until 'ready' brings a new one
        emit('ready');
      });
    },

    // keepWeights: an edit of the stack (not Reset, a dataset or a preset).
    // Then a stack that does not build keeps the trained net answering (kept),
    // and a stack whose weights have the same shapes as the trained net's
    // takes its weights over, so a typo and its fix cost nothing.
    build({ spec, compile, hyper: h, seed = 1, keepWeights = false }) {
      const request = ++buildRequest;
      serial('build', async () => {
        if (request !== buildRequest) return; // a newer stack is queued behind this one
        await engine;
        await endRun();
        hyper = h;
        const classes = ds?.classNames.length;
        const built = await buildNet(cl, spec, compile, seed, classes, Number(h.batchSize), task);
        if (built.error) {
          if (keepWeights && trainedNet(net)) net.kept = true;
          else await replaceNet(null);
          emit('buildFailed', {
            message: built.error,
            layerIndex: built.layerIndex,
            summary: built.summary,
            kept: net?.kept ? { steps: net.steps, label: answerLabel('kept') } : null,
          });
          announce();
          return;
        }
        const old = net;
        let kept = null; // the trained weights this net took over
        if (keepWeights && trainedNet(old) && weightShapes(old.model) === weightShapes(built.model)) {
          await built.model.setWeights(await old.model.getWeights());
          kept = { steps: old.steps, sameStack: JSON.stringify(old.spec) === JSON.stringify(spec) };
        }
        await replaceNet(
          {
            model: built.model,
            spec,
            compile,
            summary: built.summary,
            steps: kept ? old.steps : 0,
            fromFile: !!(kept && old.fromFile),
          },
          { keptWeights: !!kept },
        );
        startRun();
        emit('built', { summary: built.summary, spec, replacedSteps: kept ? 0 : shownSteps, kept });
        postStatus();
      });
    },

    hyper({ hyper: h, compile }) {
      hyper = h;
      run?.setHyper(h, compile);
    },

    // Augmentation reaches the next fit, i.e. the next epoch.
    augment({ augment: a }) {
      augment = a;
      if (run) run.augment = a;
    },

    start() {
      serial('start', () => {
        if (net?.unfit) throw new Error(`this model can't train here: ${net.unfit}`);
        if (net?.kept) throw new Error('fix the layer stack first: the kept net is the one before your edit');
        return run?.start();
      });
    },
    pause() {
      serial('pause', () => run?.pause());
    },
    step() {
      serial('step', () => {
        if (net?.unfit) throw new Error(`this model can't train here: ${net.unfit}`);
        if (net?.kept) throw new Error('fix the layer stack first: the kept net is the one before your edit');
        return run?.step();
      });
    },

    // Models travel in the engine's own .clmodel format (save / cl.load),
    // optimizer state included, so training continues where it stopped.
    exportModel() {
      serial('exportModel', async () => {
        if (!net) throw new Error('there is no model to save: fix the layer stack first');
        const bytes = await net.model.save();
        // what is saved: the answering net, which is not the stack on screen while that does not build
        emit('exported', {
          bytes,
          steps: net.steps,
          layerCount: net.spec.layers.length,
          params: net.summary?.totals?.params,
          label: answerLabel(net.kept ? 'kept' : net.steps > 0 || net.fromFile ? 'yours' : 'untrained'),
        });
      });
    },

    // TensorFlow.js LayersModel files, for TensorFlow/Keras (see the README's route), and ONNX.
    exportTfjs() {
      serial('exportTfjs', async () => {
        if (!net) throw new Error('there is no model to export: fix the layer stack first');
        emit('exportedTfjs', await net.model.exportTfjs());
      });
    },
    exportOnnx() {
      serial('exportOnnx', async () => {
        if (!net) throw new Error('there is no model to export: fix the layer stack first');
        emit('exportedOnnx', { bytes: await net.model.exportOnnx() });
      });
    },

    // A model from TensorFlow.js or Keras: it opens even when it does not fit
    // the dataset, to be looked inside; then it says why it cannot train.
    importTfjs({ modelJSON, weightData, meta = {} }) {
      serial('importTfjs', async () => {
        await engine;
        const model = await cl.importTfjs(modelJSON, weightData);
        const spec = model.toJSON();
        const dsShape = ds ? [ds.height, ds.width, ds.channels].join('×') : null;
        let unfit = null;
        if (ds && spec.inputShape.join('×') !== dsShape)
          unfit = `it takes ${spec.inputShape.join('×')} inputs; ${ds.name} has ${dsShape} images`;
        else if (ds) unfit = loadProblem(model.outputShape, {}, ds, task);
        const loaded = {
          model,
          spec,
          compile: (await model.compileConfig().catch(() => null)) ?? {
            optimizer: { type: 'sgd', learningRate: 0.01 },
          },
          summary: await model.summaryData(),
          meta,
          fromFile: true,
          unfit,
        };
        await endRun();
        loaded.steps = 0;
        await replaceNet(loaded);
        hyper = hyperOf(loaded.compile, hyper);
        startRun();
        emit('built', {
          summary: loaded.summary,
          spec,
          loaded: { name: meta.name ?? 'model', hyper, notes: model.importNotes, via: 'importTfjs' },
          unfit,
          replacedSteps: shownSteps,
        });
        postStatus();
      });
    },

    importModel({ bytes, pretrained: isPretrained, meta = {} }) {
      serial('importModel', async () => {
        await engine;
        if (isPretrained) {
          await loadPretrained(bytes, meta);
          return;
        }
        const model = await cl.load(bytes);
        const spec = model.toJSON();
        if (ds && spec.inputShape.join('x') !== [ds.height, ds.width, ds.channels].join('x')) {
          await model.dispose();
          throw new Error(
            `the saved model expects ${spec.inputShape.join('×')} inputs; the dataset has ` +
              `${ds.height}×${ds.width}×${ds.channels}`,
          );
        }
        if (ds) {
          const problem = loadProblem(model.outputShape, meta, ds, task);
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
        await endRun();
        loaded.compile ??= { optimizer: { type: 'sgd', learningRate: 0.01 } };
        loaded.fromFile = true;
        loaded.steps = meta.trainedSteps ?? 0;
        await replaceNet(loaded);
        checkpoint = {
          net: loaded,
          bytes,
          steps: loaded.steps,
          epoch: 0,
          valAcc: meta.valAcc ?? null,
          valAccBasis: meta.valAccBasis ?? null,
        };
        // a file from elsewhere carries no page settings: its compile config says how it trains
        hyper = meta.hyper ?? hyperOf(loaded.compile, hyper);
        startRun();
        emit('built', {
          summary: loaded.summary,
          spec,
          loaded: { name: meta.name ?? 'model', ...meta, hyper, via: 'importModel' },
          replacedSteps: shownSteps,
        });
        postStatus();
      });
    },
  };

  const requests = {
    predict: latestOnly(async ({ pixels }) => {
      const p = predictor();
      if (!p) return { type: 'prediction', probs: null, source: 'none', label: answerLabel('none') };
      const out = await p.model.predict(asInput(p.model, pixels));
      if (task === 'denoise')
        return {
          type: 'prediction',
          image: out.data,
          shape: out.shape.slice(1),
          source: p.source,
          label: p.label,
        };
      const probs = asProbabilities(p, out.data, out.shape.at(-1));
      return {
        type: 'prediction',
        probs: Array.from(probs),
        softmaxed: readsLogits(p),
        source: p.source,
        label: p.label,
      };
    }),
    inspect: latestOnly(async ({ pixels }) => {
      const p = predictor();
      if (!p)
        return { type: 'inspected', layers: [], filters: null, source: 'none', label: answerLabel('none') };
      const [acts, filters] = await Promise.all([
        p.model.activations(asInput(p.model, pixels)),
        firstFilters(p.model, p.summary),
      ]);
      // every layer's output, whatever its type: maps, vectors and the last layer's probabilities
      const layers = p.summary.layers.map((l, i) => ({
        index: i,
        type: l.type,
        shape: l.outputShape,
        options: l.options,
        maps: acts[i].data,
      }));
      const last = acts.at(-1);
      if (task === 'denoise')
        return {
          type: 'inspected',
          image: last.data,
          layers,
          filters,
          source: p.source,
          label: p.label,
          task,
        };
      const probs = Array.from(asProbabilities(p, last.data, last.shape.at(-1)));
      return {
        type: 'inspected',
        probs,
        softmaxed: readsLogits(p),
        layers,
        filters,
        source: p.source,
        label: p.label,
      };
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
