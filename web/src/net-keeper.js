// Keeps the session's trained nets: a snapshot at each epoch's end, and one
// of every trained net an action replaces (Reset, another dataset, preset or
// validation share, a stack that needs fresh weights, a loaded model), which
// the Undo line under the run bar restores at once. A snapshot holds the
// page's own setup of the net (stack, preset, hyperparameters, dataset, task) with
// the trainer's bytes, so Restore brings back exactly that net.
import { createSnapshotsPanel } from './snapshots-panel.js';
import { el } from './images.js';

const $ = (id) => document.getElementById(id);
const pick = ({ bytes, steps, epoch, valAcc, valAccBasis, hyper }) =>
  Object.fromEntries(
    Object.entries({ bytes, steps, epoch, valAcc, valAccBasis, hyper }).filter(([, v]) => v !== undefined),
  );

/**
 * getValAcc(), getValAccBasis(): the accuracy the run bar shows for the net in the worker;
 * getDatasetKey(), getTask(): the dataset and the task on the page; switchData({ datasetKey, task }):
 * loads another dataset or makes its targets for another task (a restore then waits
 * for takeRestore at its 'ready').
 */
export function createNetKeeper({ trainer, getValAcc, getValAccBasis, getDatasetKey, getTask, switchData }) {
  let setup = null; // the page's setup of the net in the worker: { layers, preset, hyper, datasetKey, datasetName, task }
  let action = null; // what the user just did that may replace the trained net, for the Undo line
  let pendingRestore = null; // a snapshot to load once its dataset is in
  const snapshots = createSnapshotsPanel({ onRestore: (s) => restore(s) });

  function restore(s) {
    hideUndo();
    const request = {
      bytes: s.bytes,
      meta: {
        name: `snapshot #${s.id}`,
        snapshot: s.id,
        trainedSteps: s.steps,
        valAcc: s.valAcc,
        valAccBasis: s.valAccBasis,
        hyper: s.hyper,
        datasetName: s.datasetName,
        layers: s.layers,
        preset: s.preset,
      },
    };
    // a denoiser's snapshot needs the denoising targets, a classifier's the labels
    const task = s.task ?? getTask();
    if (s.datasetKey !== getDatasetKey() || task !== getTask()) {
      pendingRestore = request;
      switchData({ datasetKey: s.datasetKey, task });
    } else trainer.send('importModel', request);
    action = `Restored snapshot #${s.id}`;
  }
  function offerUndo(text, snapshot) {
    const undo = el('button', { type: 'button', id: 'undo-net' }, 'Undo');
    undo.addEventListener('click', () => restore(snapshot));
    $('net-undo').replaceChildren(`${text} — `, undo);
    $('net-undo').hidden = false;
  }
  function hideUndo() {
    $('net-undo').hidden = true;
    $('net-undo').replaceChildren();
  }

  trainer.on('snapshot', (msg) => {
    if (setup) snapshots.add({ ...setup, ...pick(msg), reason: `after epoch ${msg.epoch}` });
  });
  trainer.on('replaced', (msg) => {
    if (!setup) return;
    const what = action ?? 'New stack, fresh weights';
    const snap = snapshots.add({
      ...setup,
      ...pick(msg),
      // a kept net's accuracy was not measured on this stack
      valAcc: msg.kept ? null : getValAcc(),
      valAccBasis: msg.kept ? null : getValAccBasis(),
      reason: `before: ${what}`,
    });
    offerUndo(
      `${what}; the trained net (${msg.steps.toLocaleString('en')} steps) is snapshot #${snap.id}`,
      snap,
    );
  });

  return {
    snapshots,
    /** The user did something that replaces the trained net: the Undo line names it. */
    expect(what) {
      action = what;
    },
    /** A net was built or loaded with this setup. */
    built(next) {
      setup = next;
      action = null;
    },
    /** The hyperparameters the net trains with from now on. */
    hyper(h) {
      if (setup) setup.hyper = { ...h };
    },
    /** The restore waiting for the dataset that has just come in, or null. */
    takeRestore() {
      const r = pendingRestore;
      pendingRestore = null;
      return r;
    },
  };
}
