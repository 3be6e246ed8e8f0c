// Save & share: save the trained model in this browser or as a file, load it
// back (list, upload), and the link that reproduces the setup.
import { deleteModel, getModel, listModels, saveModel } from './saved-models.js';
import { el } from './images.js';
import { toHash } from './state.js';
import { accuracyText } from './number-format.js';

// The largest net the engine builds (16M weights) with Adam's two buffers is
// under 200 MB; anything bigger is not a model file, and is refused unread.
const MAX_MODEL_FILE_BYTES = 256 * 1048576;
import { showError } from './errors.js';

const $ = (id) => document.getElementById(id);

export function createModelsPanel({ trainer, store, describe }) {
  let pendingExport = null;
  trainer.on('exported', (msg) => {
    const fn = pendingExport;
    pendingExport = null;
    fn?.(msg);
  });
  const exportModel = () =>
    new Promise((resolve) => {
      pendingExport = resolve;
      trainer.send('exportModel');
    });

  $('save-browser').addEventListener('click', async () => {
    const saved = await exportModel();
    const bytes = saved.bytes;
    // the facts of the net saved (the stack on screen may be an edit that does not build)
    const meta = {
      ...describe(),
      layerCount: saved.layerCount,
      params: saved.params,
      trainedSteps: saved.steps || 1,
    };
    const name = $('save-name').value.trim() || 'my net';
    try {
      await saveModel({ name, savedAt: new Date().toISOString(), ...meta, bytes });
    } catch (e) {
      showError(`Could not save “${name}” in this browser: ${e?.message ?? e}`, { topic: 'save' });
      return;
    }
    await renderList();
    $('status').textContent = `Saved “${name}” in this browser.`;
  });

  $('download').addEventListener('click', async () => {
    const { bytes } = await exportModel();
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = el('a', {
      href: url,
      download: `${($('save-name').value.trim() || 'convolab-model').replace(/[^\p{L}\p{N}_.-]+/gu, '-')}.clmodel`,
    });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  $('upload').addEventListener('change', async () => {
    const file = $('upload').files[0];
    if (!file) return;
    $('upload').value = '';
    if (file.size > MAX_MODEL_FILE_BYTES) {
      const mb = (n) => `${Math.round(n / 1048576)} MB`;
      showError(
        `Could not load the model: ${file.name} is ${mb(file.size)}; a model file is at most ${mb(MAX_MODEL_FILE_BYTES)}`,
        { topic: 'importModel' },
      );
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    trainer.send('importModel', { bytes, meta: { name: file.name.replace(/\.clmodel$/, '') } });
    $('upload').value = '';
  });

  async function renderList() {
    let models;
    try {
      models = await listModels();
    } catch (e) {
      showError(e.message);
      return;
    }
    if (!models.length) {
      $('saved-list').replaceChildren(el('li', { class: 'note', text: 'Nothing saved yet.' }));
      return;
    }
    // saves of the same name are told apart by when, how long trained and how well
    const sameName = (m) => models.filter((o) => o.name === m.name).length > 1;
    const when = (m) =>
      new Date(m.savedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
    $('saved-list').replaceChildren(
      ...models.reverse().map((m) => {
        const which = sameName(m) ? `${m.name} (save #${m.id}, ${when(m)})` : m.name;
        const load = el('button', { type: 'button', 'aria-label': `Load ${which}` }, 'Load');
        load.addEventListener('click', async () => {
          const rec = await getModel(m.id);
          const bytes = new Uint8Array(rec.bytes);
          const { bytes: _, ...meta } = rec;
          trainer.send('importModel', { bytes, meta });
        });
        const del = el(
          'button',
          { type: 'button', class: 'secondary', 'aria-label': `Delete ${which}` },
          'Delete',
        );
        // deleting can be taken back at once: the record stays in memory until the next delete
        del.addEventListener('click', async () => {
          const record = await getModel(m.id);
          await deleteModel(m.id);
          await renderList();
          const undo = el('button', { type: 'button', id: 'undo-delete' }, 'Undo');
          undo.addEventListener('click', async () => {
            await saveModel(record);
            $('saved-undo').replaceChildren();
            await renderList();
          });
          $('saved-undo').replaceChildren(`Deleted “${m.name}”. `, undo);
        });
        const facts = [
          `saved ${when(m)}`,
          m.trainedSteps != null ? `${m.trainedSteps.toLocaleString('en')} steps` : null,
          m.valAcc != null ? `${accuracyText(m.valAcc, m.valAccBasis)} validation` : null,
          m.datasetName,
          m.layerCount ? `${m.layerCount} layers` : null,
          m.params ? `${m.params.toLocaleString('en')} params` : null,
          sameName(m) ? `save #${m.id}` : null,
        ]
          .filter(Boolean)
          .join(' · ');
        return el(
          'li',
          { class: 'saved' },
          el('span', { class: 'saved-name', text: m.name }),
          el('span', { class: 'note', text: facts }),
          el('span', { class: 'saved-actions' }, load, del),
        );
      }),
    );
  }

  // From the state, not location: this listener may run before the one that writes the URL.
  const renderLink = () => {
    $('share-link').value = `${location.origin}${location.pathname}${toHash(store.get())}`;
  };
  $('copy-link').addEventListener('click', async () => {
    renderLink();
    try {
      await navigator.clipboard.writeText($('share-link').value);
      $('status').textContent = 'Link copied.';
    } catch {
      $('share-link').select();
      $('status').textContent = 'Select the link and copy it (the browser did not allow automatic copying).';
    }
  });
  store.subscribe(() => renderLink());
  renderLink();
  renderList();
  return { renderList };
}
