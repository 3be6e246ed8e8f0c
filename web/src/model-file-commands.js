// The trainer's commands that bring a net in from a file or send one out:
// exportModel · exportTfjs · exportOnnx · importTfjs {modelJSON, weightData, meta}
// · importModel {bytes, pretrained, meta}. Each runs in the trainer's queue
// and works on its state (trainer-state.js).
import { hyperOf, loadProblem } from './loaded-model.js';
import { answerLabel } from './answering-net.js';
import { loadPretrained } from './engine-restart.js';
import { endRun, postStatus, replaceNet, startRun } from './net-replacement.js';

export function createModelFileCommands(state) {
  const { emit, serial } = state;
  return {
    // Models travel in the engine's own .clmodel format (save / cl.load),
    // optimizer state included, so training continues where it stopped.
    exportModel() {
      serial('exportModel', async () => {
        const { net } = state;
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
        if (!state.net) throw new Error('there is no model to export: fix the layer stack first');
        emit('exportedTfjs', await state.net.model.exportTfjs());
      });
    },
    exportOnnx() {
      serial('exportOnnx', async () => {
        if (!state.net) throw new Error('there is no model to export: fix the layer stack first');
        emit('exportedOnnx', { bytes: await state.net.model.exportOnnx() });
      });
    },

    // A model from TensorFlow.js or Keras: it opens even when it does not fit
    // the dataset, to be looked inside; then it says why it cannot train.
    importTfjs({ modelJSON, weightData, meta = {} }) {
      serial('importTfjs', async () => {
        await state.engine;
        const model = await state.cl.importTfjs(modelJSON, weightData);
        const spec = model.toJSON();
        const { ds, task } = state;
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
        await endRun(state);
        loaded.steps = 0;
        await replaceNet(state, loaded);
        state.hyper = hyperOf(loaded.compile, state.hyper);
        startRun(state);
        emit('built', {
          summary: loaded.summary,
          spec,
          loaded: {
            name: meta.name ?? 'model',
            hyper: state.hyper,
            notes: model.importNotes,
            via: 'importTfjs',
          },
          unfit,
          replacedSteps: state.shownSteps,
        });
        postStatus(state);
      });
    },

    importModel({ bytes, pretrained: isPretrained, meta = {} }) {
      serial('importModel', async () => {
        await state.engine;
        if (isPretrained) {
          await loadPretrained(state, bytes, meta);
          return;
        }
        const model = await state.cl.load(bytes);
        const spec = model.toJSON();
        const { ds, task } = state;
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
        await endRun(state);
        loaded.compile ??= { optimizer: { type: 'sgd', learningRate: 0.01 } };
        loaded.fromFile = true;
        loaded.steps = meta.trainedSteps ?? 0;
        await replaceNet(state, loaded);
        state.checkpoint = {
          net: loaded,
          bytes,
          steps: loaded.steps,
          epoch: 0,
          valAcc: meta.valAcc ?? null,
          valAccBasis: meta.valAccBasis ?? null,
        };
        // a file from elsewhere carries no page settings: its compile config says how it trains
        const hyper = meta.hyper ?? hyperOf(loaded.compile, state.hyper);
        state.hyper = hyper;
        startRun(state);
        emit('built', {
          summary: loaded.summary,
          spec,
          loaded: { name: meta.name ?? 'model', ...meta, hyper, via: 'importModel' },
          replacedSteps: state.shownSteps,
        });
        postStatus(state);
      });
    },
  };
}
