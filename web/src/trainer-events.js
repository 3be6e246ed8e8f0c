// What the trainer reports (trainer.js, its Events) shown on the page: a
// built or failed net in the builder, charts and reports, the drawing's
// answer and the inspector refreshed, the answering net named, errors told
// and settled.
import { resolveErrors, showError } from './errors.js';
import { failureMessage } from './training-health.js';
import {
  clearReports,
  renderConfusion,
  renderDenoiseReport,
  renderTimings,
  renderWrong,
} from './epoch-report.js';

const $ = (id) => document.getElementById(id);

// what each failed command's later success settles
const ERROR_TOPICS = {
  start: 'training',
  step: 'training',
  metrics: 'training',
  hyper: 'training',
  exportModel: 'save',
};

/**
 * page: getDataset, getDatasetKey, getSummary, setSummary (the page's data and
 * its net's summary, main.js); requestBuild, cancelBuild (state-sync.js);
 * offerClassFix.
 */
export function showTrainerEvents({ trainer, store, keeper, builder, charts, draw, inspector, page }) {
  trainer.on('ready', () => {
    const restore = keeper.takeRestore();
    if (!restore) return page.requestBuild();
    page.cancelBuild(); // the snapshot brings its own stack
    trainer.send('importModel', restore);
  });
  trainer.on('built', (msg) => {
    page.setSummary(msg.summary);
    const summary = msg.summary;
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
        datasetKey: page.getDatasetKey(),
        datasetName: page.getDataset()?.name,
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
    page.setSummary(null);
    page.offerClassFix();
    builder.renderCheck({ summary: msg.summary, error: msg.message, layerIndex: msg.layerIndex });
  });
  trainer.on('status', () => draw.predict());
  trainer.on('progress', (msg) => {
    if (msg.loss != null) charts.add({ x: msg.epoch + msg.cursor / msg.trainCount, trainLoss: msg.loss });
    renderTimings(msg.timings, page.getSummary());
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
      const dataset = page.getDataset();
      renderConfusion(msg.confusion, dataset.classNames);
      renderWrong(msg.wrong, dataset);
    } else renderDenoiseReport(msg);
  });
  // a failing training is told once per failure, with one hint; healthy training again settles it
  trainer.on('health', (msg) => {
    resolveErrors('training');
    if (msg.failing)
      showError(failureMessage(msg.failing, page.getDataset()?.classNames), { topic: 'training' });
  });
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
}
