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
//
// This file holds the command table and wires the parts: trainer-state.js (what
// they share, the queue), engine-restart.js (the worker, its death and restart),
// net-replacement.js (the run, replaced nets, the answering net),
// model-file-commands.js (import and export), net-requests.js (predict, inspect).
import { uploadDataset } from './dataset-uploads.js';
import { buildNet } from './net-check.js';
import { answerLabel } from './answering-net.js';
import { createTrainerState } from './trainer-state.js';
import { startEngine } from './engine-restart.js';
import { announce, endRun, postStatus, replaceNet, startRun, trainedNet } from './net-replacement.js';
import { createNetRequests } from './net-requests.js';
import { createModelFileCommands } from './model-file-commands.js';

const weightShapes = (model) => JSON.stringify(model.layers.map((l) => l.weightSpecs.map((w) => w.shape)));

export function createTrainer() {
  const state = createTrainerState();
  const { listeners, emit, fail, serial } = state;
  let buildRequest = 0;
  startEngine(state);

  const commands = {
    dataset({ dataset, task: t = 'classify' }) {
      serial('dataset', async () => {
        await state.engine;
        await endRun(state);
        const old = state.data;
        state.data = null;
        state.ds = dataset;
        state.task = t;
        await old?.release();
        state.data = await uploadDataset(state.cl, dataset, state.task);
        startRun(state); // the net stays until 'ready' brings a new one
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
        await state.engine;
        await endRun(state);
        state.hyper = h;
        const classes = state.ds?.classNames.length;
        const built = await buildNet(state.cl, spec, compile, seed, classes, Number(h.batchSize), state.task);
        if (built.error) {
          if (keepWeights && trainedNet(state.net)) state.net.kept = true;
          else await replaceNet(state, null);
          const { net } = state;
          emit('buildFailed', {
            message: built.error,
            layerIndex: built.layerIndex,
            summary: built.summary,
            kept: net?.kept ? { steps: net.steps, label: answerLabel('kept') } : null,
          });
          announce(state);
          return;
        }
        const old = state.net;
        let kept = null; // the trained weights this net took over
        if (keepWeights && trainedNet(old) && weightShapes(old.model) === weightShapes(built.model)) {
          await built.model.setWeights(await old.model.getWeights());
          kept = { steps: old.steps, sameStack: JSON.stringify(old.spec) === JSON.stringify(spec) };
        }
        await replaceNet(
          state,
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
        startRun(state);
        emit('built', { summary: built.summary, spec, replacedSteps: kept ? 0 : state.shownSteps, kept });
        postStatus(state);
      });
    },

    hyper({ hyper: h, compile }) {
      state.hyper = h;
      state.run?.setHyper(h, compile);
    },

    // Augmentation reaches the next fit, i.e. the next epoch.
    augment({ augment: a }) {
      state.augment = a;
      if (state.run) state.run.augment = a;
    },

    start() {
      serial('start', () => {
        const { net } = state;
        if (net?.unfit) throw new Error(`this model can't train here: ${net.unfit}`);
        if (net?.kept) throw new Error('fix the layer stack first: the kept net is the one before your edit');
        return state.run?.start();
      });
    },
    pause() {
      serial('pause', () => state.run?.pause());
    },
    step() {
      serial('step', () => {
        const { net } = state;
        if (net?.unfit) throw new Error(`this model can't train here: ${net.unfit}`);
        if (net?.kept) throw new Error('fix the layer stack first: the kept net is the one before your edit');
        return state.run?.step();
      });
    },

    ...createModelFileCommands(state),
  };

  const requests = createNetRequests(state);

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
