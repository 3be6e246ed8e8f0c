// The page's trainer: the user's net and the pre-trained net live in
// convolab/worker (the package's own helper, loaded from /bindings/), and
// this module turns what they report into the page's events. It owns no
// DOM: main.js and the panels listen with on(type, fn) and command with
// send(type, payload) / request(kind, payload, onReply).
//
// Commands: dataset {dataset, task} · build {spec, compile, hyper, seed} · hyper {hyper, compile} · augment {augment}
//           start · pause · step · exportModel · importModel {bytes, pretrained, meta}
//           exportTfjs · exportOnnx · importTfjs {modelJSON, weightData, meta}
// Requests: predict {pixels} → prediction · inspect {pixels} → inspected (latest one only)
// Events:   backend · ready · built {summary, spec, loaded?, replacedSteps} · buildFailed · progress · metrics
//           epoch · status {state, step, epoch, reason} · health {failing} · prediction · inspected · exported
//           exportedTfjs · exportedOnnx
//           pretrainedReady · error     (step: batches the net has trained)
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
  let net = null; // the user's net: { model, spec, compile, summary, steps (batches trained), fromFile? }
  let run = null; // its TrainingRun, while the dataset is in
  let pretrained = null; // { model, spec, summary, meta }
  let hyper = null;
  let task = 'classify'; // what the uploads and the net are for (tasks.js)
  let augment = null; // fit's augment option, or null (off)
  let shownSteps = 0; // the steps of the last net there was, for 'built': did it replace a trained one
  let buildRequest = 0;

  // Model-changing commands, one at a time, in the order sent.
  let queue = Promise.resolve();
  const serial = (during, fn) => {
    queue = queue.then(fn).catch(fail(during));
  };

  /** Ends the run: stops its fit and waits for it, so the net or the data can be replaced. */
  async function endRun() {
    const old = run;
    run = null;
    await old?.end();
  }
  function startRun() {
    run =
      net && data
        ? new TrainingRun({ net, data, trainCount: ds.trainCount, hyper, augment, emit, task })
        : null;
  }
  async function replaceNet(next) {
    const old = net;
    net = next;
    if (old) shownSteps = old.steps;
    await old?.model.dispose();
  }
  function postStatus() {
    if (run) run.postStatus();
    else emit('status', { state: 'idle', step: net?.steps ?? 0, epoch: 0 });
  }

  function predictor() {
    // a loaded file counts as trained even when it says nothing of its steps
    const trained = net?.steps > 0 || net?.fromFile;
    // the pre-trained net classifies: it cannot answer for a denoiser
    if (task === 'denoise')
      return net && !net.unfit ? { ...net, source: trained ? 'yours' : 'untrained' } : null;
    if (net?.unfit)
      return pretrained && ds?.name && !ds.mine && !/fashion/i.test(ds.name)
        ? { ...pretrained, source: 'pretrained' }
        : null;
    if (net && (trained || !pretrained)) return { ...net, source: trained ? 'yours' : 'untrained' };
    if (pretrained && ds?.name && !ds.mine && !/fashion/i.test(ds.name))
      return { ...pretrained, source: 'pretrained' };
    if (net) return { ...net, source: 'untrained' };
    return null;
  }
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

    build({ spec, compile, hyper: h, seed = 1 }) {
      const request = ++buildRequest;
      serial('build', async () => {
        if (request !== buildRequest) return; // a newer stack is queued behind this one
        await engine;
        await endRun();
        hyper = h;
        const classes = ds?.classNames.length;
        const built = await buildNet(cl, spec, compile, seed, classes, Number(h.batchSize), task);
        if (built.error) {
          await replaceNet(null);
          emit('buildFailed', { message: built.error, layerIndex: built.layerIndex, summary: built.summary });
          return;
        }
        await replaceNet({ model: built.model, spec, compile, summary: built.summary, steps: 0 });
        startRun();
        emit('built', { summary: built.summary, spec, replacedSteps: shownSteps });
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
        return run?.start();
      });
    },
    pause() {
      serial('pause', () => run?.pause());
    },
    step() {
      serial('step', () => {
        if (net?.unfit) throw new Error(`this model can't train here: ${net.unfit}`);
        return run?.step();
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
        else if (ds) unfit = loadProblem(model.numClasses, {}, ds);
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
        const model = await cl.load(bytes);
        const spec = model.toJSON();
        if (ds && spec.inputShape.join('x') !== [ds.height, ds.width, ds.channels].join('x')) {
          await model.dispose();
          throw new Error(
            `the saved model expects ${spec.inputShape.join('×')} inputs; the dataset has ` +
              `${ds.height}×${ds.width}×${ds.channels}`,
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
        await endRun();
        loaded.compile ??= { optimizer: { type: 'sgd', learningRate: 0.01 } };
        loaded.fromFile = true;
        loaded.steps = meta.trainedSteps ?? 0;
        await replaceNet(loaded);
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
      if (!p) return { type: 'prediction', probs: null, source: 'none' };
      const out = await p.model.predict(asInput(p.model, pixels));
      if (task === 'denoise')
        return { type: 'prediction', image: out.data, shape: out.shape.slice(1), source: p.source };
      const probs = asProbabilities(p, out.data, out.shape.at(-1));
      return { type: 'prediction', probs: Array.from(probs), softmaxed: readsLogits(p), source: p.source };
    }),
    inspect: latestOnly(async ({ pixels }) => {
      const p = predictor();
      if (!p) return { type: 'inspected', layers: [], filters: null, source: 'none' };
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
        return { type: 'inspected', image: last.data, layers, filters, source: p.source, task };
      const probs = Array.from(asProbabilities(p, last.data, last.shape.at(-1)));
      return { type: 'inspected', probs, softmaxed: readsLogits(p), layers, filters, source: p.source };
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
