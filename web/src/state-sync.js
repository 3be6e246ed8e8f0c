// The page's state (state.js) mirrored in the URL hash and carried to the
// trainer: a change of the stack asks for a build (a burst of edits makes
// one), a change of data, split or task sends the data again, a change of
// settings reaches the running net; a hash typed or pasted becomes the state.
import { showError } from './errors.js';
import { compileConfigOf, DATASETS, fromHash, specOf, toHash } from './state.js';
import { taskOf } from './tasks.js';

const $ = (id) => document.getElementById(id);
const STACK_EDITS = new Set(['structure', 'option', 'undo', 'classes']);

/**
 * page: getDataset, getDatasetKey, getDecoded (the page's data as it is now);
 * useDataset(d), useMyData(), useSplit(decoded), loadDataset(key) (main.js).
 * Returns requestBuild({keep}) and cancelBuild().
 */
export function syncStateToTrainer({ store, trainer, runBar, keeper, page }) {
  let buildTimer = null;
  let keepWeights = true; // every request since the last build is an edit of the stack
  // keep: an edit of the stack, whose trained weights stay when their shapes do (not Reset, data, a preset)
  const requestBuild = ({ keep = false } = {}) => {
    clearTimeout(buildTimer);
    keepWeights &&= keep;
    runBar.hold('Checking the stack…');
    buildTimer = setTimeout(() => {
      const dataset = page.getDataset();
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
      const dataset = page.getDataset();
      if (dataset) page.useDataset(dataset); // 'ready' then builds the stack for it
      return;
    }
    if (reason === 'dataset') {
      uploadedTask = s.task; // the dataset comes in with the targets of the task on the page
      keeper.expect(`Switched to ${DATASETS[s.dataset].label}`);
      if (runBar.runState === 'running') trainer.send('pause'); // the net is rebuilt for the new data once it is in
      page.loadDataset(s.dataset);
    } else if (reason === 'split') {
      keeper.expect('New validation share, fresh weights');
      if (runBar.runState === 'running') trainer.send('pause');
      const decoded = page.getDecoded();
      if (page.getDatasetKey() === 'mine') page.useMyData();
      else if (decoded) page.useSplit(decoded);
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
    if (next.state)
      store.update(next.state, next.state.dataset !== page.getDatasetKey() ? 'dataset' : 'hash');
  });

  return { requestBuild, cancelBuild: () => clearTimeout(buildTimer) };
}
