// The page controller: one state object (mirrored in the URL hash), one
// trainer (trainer.js: the models live in convolab/worker, the package's
// worker helper), one module per panel. This file only wires them together.
import { catchPageErrors, resolveErrors, showError } from './errors.js';
import { createStore, DATASETS, DEFAULT_VAL_SPLIT, defaultState, fromHash, toHash } from './state.js';
import { decodeDataset } from '../../bindings/dataset.js';
import { createTrainer } from './trainer.js';
import { syncStateToTrainer } from './state-sync.js';
import { showTrainerEvents } from './trainer-events.js';
import { setupTabs } from './tabs.js';
import { createBuilder } from './builder.js';
import { createDatasetPanel } from './dataset-panel.js';
import { createHyperPanel } from './hyper-panel.js';
import { createCharts } from './charts.js';
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
import { createClassFix } from './class-fix.js';

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

// ---- state → URL and trainer, trainer → page
// what the wiring modules read of the page's data and do with it (the functions under "data")
const page = {
  getDataset: () => dataset,
  getDatasetKey: () => datasetKey,
  getDecoded: () => decoded,
  getSummary: () => summary,
  setSummary: (s) => {
    summary = s;
  },
  useDataset,
  useMyData,
  useSplit: (d) => useDataset(withSplit(d)),
  loadDataset,
  offerClassFix: () => classFix.offer(),
};
const { requestBuild, cancelBuild } = syncStateToTrainer({ store, trainer, runBar, keeper, page });
showTrainerEvents({
  trainer,
  store,
  keeper,
  builder,
  charts,
  draw,
  inspector,
  page: { ...page, requestBuild, cancelBuild },
});

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

// The last layer: one unit per class of the page's data.
const classFix = createClassFix({
  store,
  getClasses: () => (datasetKey === 'mine' ? myData.mine.classNames.length : dataset?.classes),
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
  if (classFix.fit(d.classes)) runBar.say(`The last layer now has ${d.classes} units, one per class.`);
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
