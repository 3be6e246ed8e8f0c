// What every part of the trainer (trainer.js) shares: the engine, the
// dataset and its uploads, the user's net and the pre-trained one, the
// settings they train with; the page's listeners; and the queue that runs
// model-changing commands one at a time, in the order sent.
export function createTrainerState() {
  const listeners = new Map();
  const emit = (type, msg = {}) => {
    for (const fn of listeners.get(type) ?? []) fn({ type, ...msg });
  };
  // an error the engine's death caused is not reported: restartEngine says what happened
  const fail = (during) => (e) => {
    if (e?.kind !== 'worker') emit('error', { message: e?.message ?? String(e), during });
  };
  let queue = Promise.resolve();
  const serial = (during, fn) => {
    queue = queue.then(fn).catch(fail(during));
  };

  return {
    listeners,
    emit,
    fail,
    serial,
    cl: null,
    engine: null, // resolves with cl once the engine runs
    deathsInARow: 0, // worker deaths since a net last trained an epoch
    ds: null, // the decoded dataset
    data: null, // its uploads in the worker
    // the user's net: { model, spec, compile, summary, steps (batches trained), fromFile?, kept? };
    // kept: the stack on screen does not build, and this, the last good net, still answers
    net: null,
    run: null, // its TrainingRun, while the dataset is in
    pretrained: null, // { model, spec, summary, meta }
    hyper: null,
    task: 'classify', // what the uploads and the net are for (tasks.js)
    augment: null, // fit's augment option, or null (off)
    shownSteps: 0, // the steps of the last net there was, for 'built': did it replace a trained one
    // the user's net as it was at its last epoch's end (or as loaded), kept in the page:
    // { net, bytes, steps, epoch, valAcc }; what a restarted engine brings back
    checkpoint: null,
    pretrainedFile: null, // { bytes, meta }: the pre-trained net, to load again after a restart
    answered: null, // the answering net last announced: { source, label }
  };
}
