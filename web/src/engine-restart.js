// The trainer's engine: started in a worker (convolab/worker), watched for
// its death, and replaced by a new one that gets back the dataset, the
// pre-trained net and the user's net from its last checkpoint. Each function
// takes the trainer's state (trainer-state.js).
import { loadConvolabWorker } from '/bindings/worker.js';
import { uploadDataset } from './dataset-uploads.js';
import { buildNet } from './net-check.js';
import { announce, postStatus, startRun } from './net-replacement.js';

const MAX_RESTARTS = 3;

export function startEngine(state) {
  const { emit } = state;
  state.engine = loadConvolabWorker().then((c) => {
    state.cl = c;
    emit('backend', { backend: c.backend });
    // a worker that dies (out of memory, a crash, closed) is noticed, and replaced
    c.died.then((e) => {
      // a net that kills every worker it is brought back into is not brought back for ever
      if (++state.deathsInARow > MAX_RESTARTS)
        emit('error', {
          message: `The engine died ${state.deathsInARow} times in a row (${e.message}); reload the page to start again`,
          during: 'engine',
        });
      else state.serial('restart', () => restartEngine(state, e));
    });
    return c;
  });
  state.engine.catch((e) =>
    emit('error', { message: `The engine could not start: ${e?.message ?? e}`, during: 'engine' }),
  );
}

// The worker died, and every model and upload in it: a new one gets the
// dataset again, the pre-trained net, and the user's net from its last
// checkpoint (or, with none, the same stack's fresh weights), ready to train on.
async function restartEngine(state, error) {
  const { emit } = state;
  const lost = state.net;
  if (state.run) state.run.ended = true; // its fit died with the worker: nothing more from it
  state.run = null;
  state.net = null;
  state.data = null;
  state.pretrained = null;
  const back = lost && state.checkpoint?.net === lost ? state.checkpoint : null;
  emit('engineDied', { message: error.message });
  startEngine(state);
  await state.engine;
  if (state.ds) state.data = await uploadDataset(state.cl, state.ds, state.task);
  if (state.pretrainedFile)
    await loadPretrained(state, state.pretrainedFile.bytes, state.pretrainedFile.meta);
  if (!lost)
    emit('ready'); // no net to bring back: the page builds its stack again
  else {
    const model = back ? await state.cl.load(back.bytes) : await freshNet(state, lost);
    if (!model) return postStatus(state);
    // a kept net (the stack on screen does not build) comes back kept: it answers, it does not train
    const net = { ...lost, model, steps: back ? back.steps : 0, summary: await model.summaryData() };
    state.net = net;
    state.checkpoint = back ? { ...back, net } : null;
    startRun(state);
    if (state.run && back) state.run.epoch = back.epoch; // the epochs count on from the checkpoint's
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
    state.run?.postProgress(true); // the run bar counts from the checkpoint's epoch, not from 0
  }
  postStatus(state);
}

export async function loadPretrained(state, bytes, meta) {
  const model = await state.cl.load(bytes);
  state.pretrainedFile = { bytes, meta };
  const old = state.pretrained;
  state.pretrained = { model, spec: model.toJSON(), summary: await model.summaryData(), meta };
  await old?.model.dispose();
  state.emit('pretrainedReady', { header: meta });
  announce(state);
}

// The same stack with the seed it was built with: the weights it started from.
async function freshNet(state, n) {
  const built = await buildNet(
    state.cl,
    n.spec,
    n.compile,
    1,
    state.ds?.classNames.length,
    Number(state.hyper?.batchSize ?? 32),
    state.task,
  );
  return built.model ?? null;
}
