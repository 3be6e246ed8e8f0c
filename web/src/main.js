// The page controller: one state object (mirrored in the URL hash), one
// trainer (trainer.js: the models live in convolab/worker, the package's
// worker helper), one module per panel. This file only wires them together.
import { catchPageErrors, resolveErrors, showError } from './errors.js';
import { failureMessage } from './training-health.js';
import {
  compileConfigOf,
  createStore,
  DATASETS,
  DEFAULT_VAL_SPLIT,
  defaultState,
  fromHash,
  specOf,
  toHash,
} from './state.js';
import { decodeDataset } from '../../bindings/dataset.js';
import { createTrainer } from './trainer.js';
import { setupTabs } from './tabs.js';
import { createBuilder } from './builder.js';
import { createDatasetPanel } from './dataset-panel.js';
import { createHyperPanel } from './hyper-panel.js';
import { createCharts } from './charts.js';
import {
  clearReports,
  renderConfusion,
  renderDenoiseReport,
  renderTimings,
  renderWrong,
} from './epoch-report.js';
import { createDrawPanel } from './draw-panel.js';
import { createInspector } from './inspector.js';
import { createKernelLab } from './kernel-lab.js';
import { createModelsPanel } from './models-panel.js';
import { createRunBar } from './run-bar.js';
import { createMyDataPanel } from './my-data-panel.js';
import { createAugmentPanel } from './augment-panel.js';
import { toPageDataset } from './my-data.js';
import { drawingToExample } from './image-import.js';
import { createInteropPanel } from './interop-panel.js';
import { createNetKeeper } from './net-keeper.js';
import { taskOf } from './tasks.js';

const $ = (id) => document.getElementById(id);
catchPageErrors();

const parsed = fromHash(location.hash);
if (parsed.error) showError(parsed.error);
const store = createStore(parsed.state ?? defaultState());
history.replaceState(null, '', toHash(store.get())); // the link always holds the setup, from the first moment

const trainer = createTrainer();
let dataset = null, // what trains: the decoded dataset with the page's split (trainCount)
  decoded = null, // a built-in dataset as its file has it
  datasetKey = null,
  summary = null;

// ---- panels
const runBar = createRunBar({
  trainer,
  getEpochs: () => store.get().hyper.epochs,
  getLayerCount: () => store.get().layers.length,
  onStart: () => trainer.send('start'),
  onPause: () => trainer.send('pause'),
  onStep: () => trainer.send('step'),
  onReset: () => {
    keeper.expect('Net reset');
    requestBuild();
  },
  onRunState: (state) => {
    inspector.training = state === 'running';
  },
});
const inputShape = () =>
  datasetKey === 'mine'
    ? myData.mine.shape
    : dataset
      ? [dataset.height, dataset.width, dataset.channels]
      : [28, 28, 1];
const builder = createBuilder({ store, getInputShape: inputShape });
const datasetPanel = createDatasetPanel({
  store,
  onPickSample: (i) => {
    tabs.show('inside');
    inspector.pickSample(i);
  },
});
createHyperPanel({ store });
const charts = createCharts();
// The drawing as the net's input: 28×28×1 as drawn, or placed in a 32×32×3 image.
const drawingInput = (pixels) => {
  const shape = inputShape();
  if (!pixels || shape[2] === 1) return pixels;
  return Float32Array.from(drawingToExample(pixels, shape), (v) => v / 255);
};
const draw = createDrawPanel({
  trainer,
  toInput: drawingInput,
  onInput: () => {
    inspector.refresh();
    kernelLab.update();
  },
});
createInteropPanel({ trainer, baseName: () => $('save-name').value.trim() });
const inspector = createInspector({
  trainer,
  getDataset: () => dataset,
  getDrawing: () => drawingInput(draw.pixels),
  getTask: () => store.get().task,
});
let myDataTimer = null;
const myData = createMyDataPanel({
  getDrawing: () => draw.pixels,
  clearDrawing: () => draw.clear(),
  classify: (input, caption) => draw.classifyInput(input, caption),
  getValFraction: () => (store.get().valSplit ?? DEFAULT_VAL_SPLIT) / 100,
  isActive: () => datasetKey === 'mine',
  notify: (text, quiet) => (quiet ? runBar.say(text) : showError(text)),
  onChange: () => {
    if (datasetKey !== 'mine') return;
    augmentPanel.refresh(); // the preview follows at once; the upload waits for the burst to end
    clearTimeout(myDataTimer);
    myDataTimer = setTimeout(useMyData, 250); // a burst of additions makes one upload and one rebuild
  },
});
const augmentPanel = createAugmentPanel({
  // the first training image; with My data its first example, even before it can train
  getImage: () => {
    if (datasetKey === 'mine') {
      const first = myData.mine.examples[0];
      return first ? { pixels: first.pixels, shape: myData.mine.shape } : null;
    }
    return dataset
      ? { pixels: dataset.pixels, shape: [dataset.height, dataset.width, dataset.channels] }
      : null;
  },
  onChange: (augment) => trainer.send('augment', { augment }),
});
const kernelLab = createKernelLab({ getDrawing: () => draw.pixels, getDataset: () => dataset });
createModelsPanel({
  trainer,
  store,
  describe: () => ({
    datasetName: dataset?.name,
    layerCount: store.get().layers.length,
    params: summary?.totals?.params,
    valAcc: runBar.valAcc,
    valAccBasis: runBar.valAccBasis,
    hyper: store.get().hyper,
    trainedSteps: runBar.steps || 1,
  }),
});
const tabs = setupTabs((name) => {
  inspector.setVisible(name === 'inside');
  if (name === 'train') charts.resize();
});

// ---- snapshots, and Undo for what replaces a trained net
const keeper = createNetKeeper({
  trainer,
  getValAcc: () => runBar.valAcc,
  getValAccBasis: () => runBar.valAccBasis,
  getDatasetKey: () => datasetKey,
  getTask: () => store.get().task,
  switchData: ({ datasetKey: key, task }) =>
    store.update({ dataset: key, task }, key !== datasetKey ? 'dataset' : 'task'),
});

// ---- state → URL and trainer
let buildTimer = null;
let keepWeights = true; // every request since the last build is an edit of the stack
// keep: an edit of the stack, whose trained weights stay when their shapes do (not Reset, data, a preset)
const requestBuild = ({ keep = false } = {}) => {
  clearTimeout(buildTimer);
  keepWeights &&= keep;
  runBar.hold('Checking the stack…');
  buildTimer = setTimeout(() => {
    if (!dataset) return;
    const s = store.get();
    trainer.send('build', {
      spec: specOf(s, [dataset.height, dataset.width, dataset.channels]),
      compile: compileConfigOf(s.hyper, s.task),
      hyper: s.hyper,
      seed: 1,
      keepWeights,
    });
    keepWeights = true;
  }, 120);
};
const STACK_EDITS = new Set(['structure', 'option', 'undo', 'classes']);

// the task the uploads in the worker were made for: a new task needs new targets (tasks.js)
let uploadedTask = store.get().task;
// a denoiser has no accuracy and draws no class bars: the page says what the task gives
const showTask = (task) => {
  document.body.dataset.task = task;
  $('draw-title').textContent = task === 'denoise' ? 'Draw and denoise' : 'Draw and classify';
  $('charts-title').textContent = task === 'denoise' ? 'Loss' : 'Loss and accuracy';
};
showTask(uploadedTask);
store.subscribe((s, reason) => {
  history.replaceState(null, '', toHash(s));
  showTask(s.task);
  if (reason !== 'dataset' && s.task !== uploadedTask) {
    keeper.expect(`Switched to “${taskOf(s.task).name}”`);
    if (runBar.runState === 'running') trainer.send('pause');
    uploadedTask = s.task;
    if (dataset) useDataset(dataset); // 'ready' then builds the stack for it
    return;
  }
  if (reason === 'dataset') {
    uploadedTask = s.task; // the dataset comes in with the targets of the task on the page
    keeper.expect(`Switched to ${DATASETS[s.dataset].label}`);
    if (runBar.runState === 'running') trainer.send('pause'); // the net is rebuilt for the new data once it is in
    loadDataset(s.dataset);
  } else if (reason === 'split') {
    keeper.expect('New validation share, fresh weights');
    if (runBar.runState === 'running') trainer.send('pause');
    if (datasetKey === 'mine') useMyData();
    else if (decoded) useDataset(withSplit(decoded));
  } else if (reason === 'hyper') {
    keeper.hyper(s.hyper); // what the net trains with, for its snapshots
    trainer.send('hyper', { hyper: s.hyper, compile: compileConfigOf(s.hyper, s.task) });
  } else if (reason !== 'loaded' && reason !== 'label') {
    if (reason === 'preset') keeper.expect('New preset, fresh weights');
    requestBuild({ keep: STACK_EDITS.has(reason) }); // 'label': only the preset's name changed
  }
});
window.addEventListener('hashchange', () => {
  if (location.hash === toHash(store.get())) return;
  const next = fromHash(location.hash);
  if (next.error) showError(next.error);
  if (!next.state) history.replaceState(null, '', toHash(store.get())); // the link goes back to what the page shows
  if (next.state) store.update(next.state, next.state.dataset !== datasetKey ? 'dataset' : 'hash');
});

// ---- trainer → page
trainer.on('ready', () => {
  const restore = keeper.takeRestore();
  if (!restore) return requestBuild();
  clearTimeout(buildTimer); // the snapshot brings its own stack
  trainer.send('importModel', restore);
});
trainer.on('built', (msg) => {
  summary = msg.summary;
  resolveErrors('training'); // a new net: what failed was the last one's training
  if (msg.loaded) resolveErrors(msg.loaded.via); // the file opened: the failed tries are settled
  $('fix-classes-box').hidden = true;
  if (msg.loaded) {
    // a snapshot brings the page's own stack back as it was; a file, the stack its spec has
    store.update(
      (s) => ({
        ...s,
        preset: msg.loaded.preset ?? '',
        layers: structuredClone(msg.loaded.layers ?? msg.spec.layers),
        hyper: { ...s.hyper, ...(msg.loaded.hyper ?? {}) },
      }),
      'loaded',
    );
  }
  const s = store.get();
  // a net back after a restart keeps the setup it had (a kept net's is not the stack on screen)
  if (!msg.restored)
    keeper.built({
      layers: structuredClone(s.layers),
      preset: s.preset,
      hyper: { ...s.hyper },
      datasetKey,
      datasetName: dataset?.name,
      task: s.task,
    });
  if (!msg.restored?.kept) builder.renderCheck({ summary }); // a kept net is not the stack on screen
  // a net back from its checkpoint after the engine restarted goes on where its charts are
  if (!msg.restored) {
    charts.clear();
    clearReports();
  } else charts.keepUntil(msg.restored.epoch); // the lost steps are not the net's history
  draw.predict();
  inspector.refresh();
});
trainer.on('buildFailed', (msg) => {
  summary = null;
  offerClassFix();
  builder.renderCheck({ summary: msg.summary, error: msg.message, layerIndex: msg.layerIndex });
});
trainer.on('status', () => draw.predict());
trainer.on('progress', (msg) => {
  if (msg.loss != null) charts.add({ x: msg.epoch + msg.cursor / msg.trainCount, trainLoss: msg.loss });
  renderTimings(msg.timings, summary);
  draw.predict();
});
trainer.on('metrics', (msg) => {
  charts.setBasis({ sample: msg.full ? null : msg.checked, all: msg.valCount });
  charts.add({
    x: msg.epochFloat,
    trainAcc: msg.trainAcc,
    // the whole validation set and a sample of it are two series, each labelled with its size
    ...(msg.full
      ? { valLossAll: msg.valLoss, valAccAll: msg.valAcc }
      : { valLoss: msg.valLoss, valAcc: msg.valAcc }),
  });
});
trainer.on('epoch', (msg) => {
  if (msg.confusion) {
    renderConfusion(msg.confusion, dataset.classNames);
    renderWrong(msg.wrong, dataset);
  } else renderDenoiseReport(msg);
});
// a failing training is told once per failure, with one hint; healthy training again settles it
trainer.on('health', (msg) => {
  resolveErrors('training');
  if (msg.failing) showError(failureMessage(msg.failing, dataset?.classNames), { topic: 'training' });
});
// what each failed command's later success settles
const ERROR_TOPICS = {
  start: 'training',
  step: 'training',
  metrics: 'training',
  hyper: 'training',
  exportModel: 'save',
};
trainer.on('pretrainedReady', () => draw.setPretrained());
// one net answers, and every view names it the same way (answering-net.js)
trainer.on('answering', ({ source, label }) => {
  $('kernel-answering').textContent =
    source === 'none'
      ? 'No net classifies on this page yet.'
      : `These kernels are hand-made. The net that answers on this page is ${label}; See inside shows its learned filters.`;
  // Save keeps the user's net; while it is untrained the pre-trained one classifies instead
  $('save-answering').textContent =
    source === 'none'
      ? 'There is no net to save yet.'
      : source === 'pretrained'
        ? 'Save and Download keep your untrained net; the pre-trained net classifies until yours has trained.'
        : `Save and Download keep ${label}.`;
  draw.predict();
  inspector.refresh();
});
trainer.on('error', (msg) => {
  const during = {
    importModel: 'Could not load the model',
    importTfjs: 'Could not open the TensorFlow.js model',
  };
  showError(during[msg.during] ? `${during[msg.during]}: ${msg.message}` : msg.message, {
    topic: ERROR_TOPICS[msg.during] ?? msg.during ?? '',
  });
  draw.predict();
});
trainer.on('exported', () => resolveErrors('save'));
trainer.on('exportedTfjs', () => resolveErrors('exportTfjs'));
trainer.on('exportedOnnx', () => resolveErrors('exportOnnx'));

// ---- data
// The validation share from the slider: the last examples of a built-in set
// (its file is shuffled already); My data splits each class (my-data.js).
const withSplit = (d) => {
  const share = store.get().valSplit;
  return share == null ? d : { ...d, trainCount: d.count - Math.round((d.count * share) / 100) };
};
// The slider shows the share in use: the chosen one, or the dataset's own.
function showSplit(d) {
  const own = d && !d.mine ? Math.round(((d.count - d.trainCount) / d.count) * 100) : DEFAULT_VAL_SPLIT;
  const share = store.get().valSplit ?? own;
  $('val-split').value = String(share);
  $('val-split-text').textContent = `${share} %`;
}
showSplit(null);
$('val-split').addEventListener('input', () => {
  $('val-split-text').textContent = `${$('val-split').value} %`;
});
$('val-split').addEventListener('change', () =>
  store.update({ valSplit: Number($('val-split').value) }, 'split'),
);

// The last layer has one unit per class: a stack ending in a Dense layer of
// another width is set to the dataset's classes when the dataset changes.
const lastDense = () => {
  const last = store.get().layers.at(-1);
  return last?.type === 'dense' ? last : null;
};
function fitStackToClasses(classes) {
  if (store.get().task === 'denoise') return false; // a denoiser ends in an image, not in classes
  const last = lastDense();
  if (!last || Number(last.units) === classes) return false;
  store.update((s) => {
    s.layers[s.layers.length - 1].units = classes;
    return s;
  }, 'classes');
  return true;
}
function offerClassFix() {
  const classes = datasetKey === 'mine' ? myData.mine.classNames.length : dataset?.classes;
  const last = lastDense();
  const show = store.get().task !== 'denoise' && !!classes && !!last && Number(last.units) !== classes;
  $('fix-classes-box').hidden = !show;
  if (show) $('fix-classes').textContent = `Set the last layer to ${classes} units, one per class`;
}
$('fix-classes').addEventListener('click', () => {
  const classes = datasetKey === 'mine' ? myData.mine.classNames.length : dataset?.classes;
  if (classes) fitStackToClasses(classes);
  $('fix-classes-box').hidden = true;
});

/** Hands a ready dataset to the panels and the trainer. */
function useDataset(d) {
  dataset = d;
  resolveErrors('dataset');
  showSplit(d);
  datasetPanel.render(d);
  draw.setClassNames(d.classNames);
  kernelLab.update();
  augmentPanel.refresh();
  if (fitStackToClasses(d.classes)) runBar.say(`The last layer now has ${d.classes} units, one per class.`);
  trainer.send('dataset', { dataset: d, task: store.get().task });
}

// My data as it is now: trains once every class has 2 examples.
const sameData = (a, b) =>
  a &&
  b &&
  a.classes === b.classes &&
  a.trainCount === b.trainCount &&
  a.count === b.count &&
  a.labels.every((l, i) => l === b.labels[i]) &&
  a.pixels.every((v, i) => v === b.pixels[i]);

function useMyData() {
  if (datasetKey !== 'mine') return;
  const d = toPageDataset(myData.mine, (store.get().valSplit ?? DEFAULT_VAL_SPLIT) / 100);
  augmentPanel.refresh();
  if (sameData(d, dataset)) {
    // only names changed (a rename): the trained net stays, the labels follow
    dataset.classNames = d.classNames;
    datasetPanel.render(dataset);
    draw.setClassNames(d.classNames);
    return;
  }
  if (d.problem) {
    dataset = null;
    showSplit(null);
    runBar.hold(`To train on My data, ${d.problem}.`);
    draw.setClassNames(myData.mine.classNames);
    datasetPanel.renderEmpty(`My data: ${myData.mine.examples.length} examples. To train, ${d.problem}.`);
    augmentPanel.refresh();
    return;
  }
  useDataset(d);
}

async function loadDataset(key) {
  datasetKey = key;
  myData.setVisible(key === 'mine');
  if (key === 'mine') {
    runBar.hold('Loading My data from this browser…');
    const found = await myData.load();
    if (key !== datasetKey) return;
    if (!found) myData.explainMissing();
    useMyData();
    return;
  }
  runBar.hold(`Loading ${DATASETS[key].label}…`);
  try {
    const response = await fetch(DATASETS[key].url);
    if (!response.ok)
      throw new Error(`could not load ${DATASETS[key].url} (HTTP ${response.status}); run npm run build`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (key !== datasetKey) return;
    decoded = decodeDataset(bytes);
    useDataset(withSplit(decoded));
    if (key === 'mnist') loadPretrained();
  } catch (e) {
    showError(`The ${DATASETS[key].label} dataset could not be loaded: ${e.message}`, { topic: 'dataset' });
    runBar.say('No dataset.');
  }
}

let pretrainedRequested = false;
async function loadPretrained() {
  if (pretrainedRequested) return;
  pretrainedRequested = true;
  const [model, facts] = await Promise.all([
    fetch('data/pretrained-mnist.clmodel'),
    fetch('data/pretrained-mnist.json'),
  ]);
  if (!model.ok) {
    showError(
      'The pre-trained model is missing (data/pretrained-mnist.clmodel); run npm run build. Train a net to ' +
        'classify drawings.',
    );
    return;
  }
  const bytes = new Uint8Array(await model.arrayBuffer());
  const meta = facts.ok ? await facts.json() : {};
  trainer.send('importModel', { bytes, pretrained: true, meta });
}

loadDataset(store.get().dataset);
