// The run bar: Train / Pause, Step and Reset, the progress line (epoch,
// speed, time left, the settings the last batch used), the status line, and
// the run's figures (validation accuracy and loss, training loss, steps,
// the engine build). It shows what the trainer reports; main.js tells it what
// else the page is doing (loading data, checking a stack) and gets its clicks.
import { accuracyParts, accuracyText, formatMetric } from './number-format.js';
import { OPTIMIZER } from './net-check.js';
import { failureHint } from './training-health.js';

const $ = (id) => document.getElementById(id);

const formatSeconds = (s) =>
  s < 90 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/**
 * trainer: its events fill the bar. getEpochs / getLayerCount: the settings
 * in force. onStart, onPause, onStep, onReset: the buttons. onRunState(state):
 * the run's state ('idle' · 'running' · 'paused' · 'done') whenever it changes.
 */
export function createRunBar({
  trainer,
  getEpochs,
  getLayerCount,
  onStart,
  onPause,
  onStep,
  onReset,
  onRunState,
}) {
  let runState = 'idle';
  let buildOk = false; // the net in the worker is the one the page shows
  let steps = 0; // batches the net has trained
  let valAcc = null; // the latest validation accuracy
  let valAccBasis = null; // what it was measured on: { checked, valCount, full }
  let learningRate = null; // the one the last batch used, for the hint

  $('start').addEventListener('click', () => (runState === 'running' ? onPause() : onStart()));
  $('step').addEventListener('click', () => onStep());
  $('reset').addEventListener('click', () => onReset());

  // the figure large, what it was measured on below it (so a phone's narrow box never cuts it)
  const showAccuracy = (acc, basis, suffix = '') => {
    const [figure, on] = accuracyParts(acc, basis);
    const small = document.createElement('span');
    small.className = 'basis';
    small.textContent = on + suffix;
    $('val-acc').replaceChildren(figure, small);
  };

  const say = (text) => {
    $('status').textContent = text;
  };

  function render() {
    $('start').textContent = { running: 'Pause', paused: 'Resume' }[runState] ?? 'Train';
    $('start').classList.toggle('running', runState === 'running');
    $('start').disabled = !buildOk;
    $('step').disabled = !buildOk || runState === 'running';
    $('reset').disabled = !buildOk;
  }
  function showSteps(n) {
    steps = n;
    $('steps').textContent = n.toLocaleString('en');
  }

  trainer.on('built', (msg) => {
    // an imported model that does not fit the dataset is for looking inside only; a kept net does not train
    buildOk = !msg.unfit && !msg.restored?.kept;
    if (msg.unfit) {
      say(
        `Opened “${msg.loaded.name ?? 'model'}” to look inside (Build ` +
          `shows its layers); it can't train or classify here: ${msg.unfit}.`,
      );
    } else if (msg.loaded?.snapshot) {
      say(
        `Restored ${msg.loaded.name}: its stack, settings and weights ` +
          `(${(msg.loaded.trainedSteps ?? 0).toLocaleString('en')} steps). Press Train to continue.`,
      );
    } else if (msg.loaded) {
      say(`Loaded “${msg.loaded.name ?? 'model'}”: it classifies your drawings now.`);
    } else if (msg.restored) {
      const r = msg.restored;
      say(
        r.fromCheckpoint
          ? `The engine died (${r.message}) and was restarted. Your net is back as it was after epoch ` +
              `${r.epoch} (${r.steps.toLocaleString('en')} steps` +
              (r.lostSteps > 0 ? `; the ${r.lostSteps.toLocaleString('en')} steps since were lost` : '') +
              (r.kept
                ? '), still the stack before your edit: fix the stack to train.'
                : '). Press Train to continue.')
          : `The engine died (${r.message}) and was restarted. Your net had no checkpoint yet (one is kept ` +
              "at each epoch's end), so it starts again from its first weights. Press Train.",
      );
    } else if (msg.kept) {
      say(
        `Same weight shapes: the net keeps its trained weights (${msg.kept.steps.toLocaleString('en')} steps). ` +
          'Press Train to continue.',
      );
    } else {
      // the edit replaced a net that had trained: say so, it is easy to miss
      // (the trained net is a snapshot now: the Undo line brings it back)
      const replaced = msg.replacedSteps > 0 ? 'Fresh weights. ' : '';
      say(`${replaced}Ready: ${msg.summary.totals.params.toLocaleString('en')} parameters. Press Train.`);
    }
    // the same stack with the same weights scores the same; another stack must be measured again
    if (msg.restored) {
      valAcc = msg.restored.valAcc;
      valAccBasis = msg.restored.valAccBasis ?? null;
    } else if (!msg.kept?.sameStack) {
      valAcc = msg.loaded?.valAcc ?? null;
      valAccBasis = msg.loaded?.valAccBasis ?? null;
    }
    for (const id of ['val-acc', 'val-loss', 'train-loss']) $(id).textContent = '–';
    if (valAcc != null) showAccuracy(valAcc, valAccBasis, msg.loaded ? ' (when saved)' : '');
    showSteps(msg.restored?.steps ?? msg.kept?.steps ?? 0);
    $('progress').value = 0;
    $('epoch-text').textContent = `Epoch 0 of ${getEpochs()}`;
    $('speed-text').textContent = '– examples/s';
    $('eta-text').textContent = '– left';
    render();
  });

  trainer.on('engineDied', (msg) => {
    buildOk = false;
    runState = 'idle';
    render();
    onRunState(runState);
    say(`The engine died (${msg.message}). Restarting it and bringing back your net…`);
  });

  trainer.on('buildFailed', (msg) => {
    buildOk = false;
    let fix;
    if (msg.layerIndex >= 0) fix = 'Fix the highlighted layer to train.';
    else if (msg.layerIndex === OPTIMIZER) fix = 'Fix the hyperparameters (Train view) to train.';
    else fix = getLayerCount() ? 'Fix the stack to train.' : 'Add a layer to start.';
    // a typo does not cost the trained net: it stays, and says so
    if (msg.kept)
      say(
        `${fix} Until then ${msg.kept.label} answers: Save, Download, See inside and the pad use it ` +
          `(${msg.kept.steps.toLocaleString('en')} steps).`,
      );
    else say(fix);
    render();
  });

  trainer.on('status', (msg) => {
    runState = msg.state;
    render();
    onRunState(runState);
    showSteps(msg.step);
    if (msg.state === 'running') say('Training…');
    else if (msg.reason === 'diverged')
      say(`Diverged: the weights were restored to the last good ones. ${failureHint(learningRate)}`);
    else if (msg.state === 'paused') say(`Paused after step ${msg.step.toLocaleString('en')}.`);
    else if (msg.state === 'done')
      say(
        `Done: ${msg.epoch} epoch${msg.epoch === 1 ? '' : 's'}` +
          (valAcc != null ? `, validation accuracy ${accuracyText(valAcc, valAccBasis)}.` : '.'),
      );
  });

  trainer.on('progress', (msg) => {
    $('progress').value = msg.fraction;
    // the epoch under way, or the epochs done when none is (before and between runs)
    const shown = msg.cursor > 0 ? Math.min(msg.epoch + 1, msg.epochsTarget) : msg.epoch;
    $('epoch-text').textContent = `Epoch ${shown} of ${msg.epochsTarget}`;
    $('speed-text').textContent =
      msg.examplesPerSec == null
        ? '– examples/s'
        : `${Math.round(msg.examplesPerSec).toLocaleString('en')} examples/s`;
    $('eta-text').textContent = msg.secondsLeft == null ? '– left' : `${formatSeconds(msg.secondsLeft)} left`;
    showSteps(msg.step);
    $('hyper-text').textContent =
      `${msg.optimizer.type} · lr ${msg.optimizer.learningRate} · batch ${msg.batchSize}`;
    learningRate = msg.optimizer.learningRate;
    if (msg.loss == null) return;
    $('train-loss').textContent = formatMetric(msg.loss);
  });

  // a failing run (the loss far above its start, one class for everything) is said while it lasts
  trainer.on('health', (msg) => {
    if (msg.failing && msg.failing.kind !== 'diverged')
      say(`Training is failing (see the message). ${failureHint(msg.failing.learningRate)}`);
    else if (!msg.failing && runState === 'running') say('Training…');
  });

  trainer.on('metrics', (msg) => {
    valAcc = msg.valAcc;
    valAccBasis = { checked: msg.checked, valCount: msg.valCount, full: !!msg.full };
    // a denoiser has no accuracy: its figure is the loss
    if (msg.valAcc != null) showAccuracy(msg.valAcc, valAccBasis);
    else $('val-acc').textContent = '–';
    $('val-acc').dataset.full = String(!!msg.full);
    $('val-loss').textContent = formatMetric(msg.valLoss);
  });

  trainer.on('backend', ({ backend: b }) => {
    const threads = `${b.threads} thread${b.threads === 1 ? '' : 's'}`;
    $('backend').textContent = `Engine: ${b.build} WebAssembly build, ${threads}, ${b.kernels} kernels.`;
  });

  return {
    get runState() {
      return runState;
    },
    /** Batches the net has trained, as the trainer last said. */
    get steps() {
      return steps;
    },
    get valAcc() {
      return valAcc;
    },
    /** What the latest validation accuracy was measured on: { checked, valCount, full }. */
    get valAccBasis() {
      return valAccBasis;
    },
    /** The status line, for what the page does besides training. */
    say,
    /** Until the trainer answers, the old net's state must not look current. */
    hold(text) {
      buildOk = false;
      render();
      say(text);
    },
  };
}
