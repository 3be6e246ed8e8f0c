// The trainer's user net and the run that trains it: a run starts for a net
// and the data and ends before either is replaced; a trained net that goes
// is put aside for Undo; the net that answers is announced when it changes.
// Each function takes the trainer's state (trainer-state.js).
import { answerLabel, answerSource } from './answering-net.js';
import { TrainingRun } from './training-run.js';

/** Ends the run: stops its fit and waits for it, so the net or the data can be replaced. */
export async function endRun(state) {
  const old = state.run;
  state.run = null;
  await old?.end();
}

export function startRun(state) {
  const { net, data } = state;
  state.run =
    net && data && !net.kept
      ? new TrainingRun({
          net,
          data,
          trainCount: state.ds.trainCount,
          hyper: state.hyper,
          augment: state.augment,
          emit: (type, msg) => runEmit(state, type, msg),
          task: state.task,
        })
      : null;
}

// The run's reports; its first batch turns an untrained net into a trained one.
function runEmit(state, type, msg) {
  if (type === 'snapshot') {
    state.checkpoint = { net: state.net, ...msg };
    state.deathsInARow = 0;
  }
  state.emit(type, msg);
  if (type === 'status' || type === 'progress') announce(state);
}

// A trained net whose weights an edit may keep (see build).
export const trainedNet = (n) => !!n && !n.unfit && (n.steps > 0 || !!n.fromFile);

// A trained net that goes (Reset, another dataset or preset, fresh weights,
// a loaded file) is put aside first: 'replaced' carries its bytes, for the
// page to keep as a snapshot and to offer Undo. keptWeights: the next net has them.
export async function replaceNet(state, next, { keptWeights = false } = {}) {
  const old = state.net;
  if (!keptWeights && trainedNet(old)) {
    const bytes = await old.model.save().catch(() => null);
    if (bytes) state.emit('replaced', { bytes, steps: old.steps, kept: !!old.kept });
  }
  state.net = next;
  if (old) state.shownSteps = old.steps;
  await old?.model.dispose();
}

export function postStatus(state) {
  if (state.run) state.run.postStatus();
  else state.emit('status', { state: 'idle', step: state.net?.steps ?? 0, epoch: 0 });
  announce(state);
}

// The net that answers (answering-net.js), with its source and label; null for none.
export function predictor(state) {
  const { net, pretrained } = state;
  const source = answerSource(net, pretrained, state.ds, state.task);
  const label = answerLabel(source, pretrained?.meta);
  if (source === 'none') return null;
  return { ...(source === 'pretrained' ? pretrained : net), source, label };
}

// Tells the views when the answering net changes ('answering' {source, label}).
export function announce(state) {
  const p = predictor(state);
  const now = { source: p?.source ?? 'none', label: p?.label ?? answerLabel('none') };
  const { answered } = state;
  if (answered && answered.source === now.source && answered.label === now.label) return;
  state.answered = now;
  state.emit('answering', now);
}
