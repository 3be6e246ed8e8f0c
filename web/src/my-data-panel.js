// The "My data" panel: classes (add, rename, delete after asking), examples
// added from the drawing with a click or a key 1–9, a grid of each class's
// examples (each deletable), the starter set, .cldata export/import, the
// warnings, and what IndexedDB keeps. Uploads and the camera live in
// my-data-sources.js; the data itself in my-data.js.
import { el, paintGrey } from './images.js';
import {
  SHAPES,
  addClass,
  addExamples,
  classCounts,
  deleteClass,
  deleteExample,
  emptyMine,
  fromCldata,
  fromRecord,
  recordBytes,
  renameClass,
  shapeKey,
  toCldata,
  toRecord,
  warnings,
} from './my-data.js';
import { deleteRecord, loadRecord, saveRecord } from './my-data-db.js';
import { drawingToExample } from './image-import.js';
import { createMyDataSources } from './my-data-sources.js';

const $ = (id) => document.getElementById(id);
const kb = (n) => (n < 1024 ? `${n} bytes` : `${(n / 1024).toFixed(1)} KB`);

/** Paints one example (bytes, (H, W, C)) on a canvas. */
export function paintExample(canvas, pixels, [h, w, c]) {
  if (c === 1)
    return paintGrey(
      canvas,
      Float32Array.from(pixels, (v) => v / 255),
      w,
      h,
    );
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    for (let ch = 0; ch < 3; ch++) img.data[4 * i + ch] = pixels[i * 3 + ch];
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * getDrawing(): the pad's preprocessed drawing (784 floats) or null;
 * clearDrawing(); classify(floats, caption): show the net's answer for an
 * input in the dataset's shape; onChange(mine): the data changed;
 * getValFraction(); isActive(): My data is the chosen dataset; notify(text).
 */
export function createMyDataPanel({
  getDrawing,
  clearDrawing,
  classify,
  onChange,
  getValFraction,
  isActive,
  notify,
}) {
  let mine = emptyMine();
  let loaded = false;
  let saveTimer = null;
  const root = $('my-data');

  const shapeSelect = el(
    'select',
    { id: 'my-shape', 'aria-label': 'Image shape' },
    ...Object.entries(SHAPES).map(([k, s]) => el('option', { value: k, text: s.label })),
  );
  const modeSelect = el(
    'select',
    { id: 'my-mode', 'aria-label': 'How pictures become 28×28' },
    el('option', { value: 'centred', text: 'centred like MNIST' }),
    el('option', { value: 'plain', text: 'plainly resized' }),
  );
  const importInput = el('input', {
    id: 'my-import',
    type: 'file',
    accept: '.cldata,application/octet-stream',
  });
  root.append(
    el(
      'div',
      { class: 'controls my-tools' },
      el('label', { class: 'inline' }, 'Images ', shapeSelect),
      el('label', { class: 'inline', id: 'my-mode-label' }, 'Pictures ', modeSelect),
      el('button', { id: 'my-add-class', type: 'button', text: 'Add a class' }),
      el('button', { id: 'my-starter', type: 'button', text: 'Load the starter set' }),
      el('button', { id: 'my-export', type: 'button', text: 'Export .cldata' }),
      el('label', { class: 'file-button' }, 'Import .cldata', importInput),
      el('button', { id: 'my-delete-all', type: 'button', text: 'Delete my data' }),
    ),
    el('p', {
      class: 'note',
      text:
        'Draw on the pad, then press a class’s “Add drawing” (or its key, 1–9). Drop pictures or a folder of ' +
        'folders (one per class), or record from the camera.',
    }),
    el('p', { id: 'my-missing', class: 'my-missing', role: 'status', hidden: true }),
    el('ul', { id: 'my-warnings', class: 'my-warnings', 'aria-live': 'polite' }),
    el('div', { id: 'my-classes', class: 'my-classes' }),
    el('div', { id: 'my-sources', class: 'my-sources' }),
    el('p', { id: 'my-size', class: 'note' }),
  );

  const sources = createMyDataSources({
    container: $('my-sources'),
    getMine: () => mine,
    getMode: () => modeSelect.value,
    apply: (next) => change(next),
    classify,
    notify,
    rerender: () => render(),
  });

  function change(next, { persist = true } = {}) {
    if (next.error) {
      notify(`My data: ${next.error}.`);
      return false;
    }
    mine = next.mine ?? next;
    render();
    if (persist) schedulePersist();
    onChange(mine);
    return true;
  }

  function schedulePersist() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(persist, 150);
  }
  async function persist() {
    const record = toRecord(mine);
    try {
      await saveRecord(record);
      root.dataset.saved = String(mine.examples.length);
      $('my-size').textContent =
        `Kept in this browser (IndexedDB): ${mine.examples.length} examples in ${mine.classNames.length} classes, ` +
        `${kb(recordBytes(record))}.`;
    } catch (e) {
      $('my-size').textContent =
        `Not kept in this browser: ${e?.message ?? e}. Export a .cldata file to keep it.`;
    }
  }

  function addDrawing(k) {
    const pixels = getDrawing();
    if (!pixels) {
      notify('Draw something on the pad first, then add it to a class.');
      return;
    }
    change(addExamples(mine, k, [drawingToExample(pixels, mine.shape)]));
    clearDrawing();
  }

  function classCard(name, k, count) {
    const nameInput = el('input', {
      class: 'my-name',
      type: 'text',
      value: name,
      maxlength: '40',
      'aria-label': `Name of class ${k + 1}`,
    });
    nameInput.addEventListener('change', () => {
      if (!change(renameClass(mine, k, nameInput.value))) nameInput.value = mine.classNames[k];
    });
    const grid = el('div', { class: 'my-grid', role: 'list', 'aria-label': `Examples of ${name}` });
    mine.examples.forEach((e, i) => {
      if (e.label !== k) return;
      const canvas = el('canvas', { width: mine.shape[1], height: mine.shape[0] });
      paintExample(canvas, e.pixels, mine.shape);
      const del = el('button', {
        type: 'button',
        class: 'my-del-example',
        text: '×',
        title: 'Delete this example',
        'aria-label': `Delete this example of ${name}`,
      });
      del.addEventListener('click', () => change(deleteExample(mine, i)));
      grid.append(el('figure', { class: 'my-example', role: 'listitem' }, canvas, del));
    });
    const add = el('button', {
      type: 'button',
      class: 'my-add',
      text: `Add drawing${k < 9 ? ` (${k + 1})` : ''}`,
    });
    add.addEventListener('click', () => addDrawing(k));
    const remove = el('button', { type: 'button', class: 'my-delete-class', text: 'Delete class' });
    remove.addEventListener('click', () => {
      const what = count ? ` and its ${count} example${count === 1 ? '' : 's'}` : '';
      if (confirm(`Delete the class “${name}”${what}?`)) change(deleteClass(mine, k));
    });
    return el(
      'section',
      { class: 'my-class', 'data-class': String(k), 'aria-label': `Class ${name}` },
      el(
        'div',
        { class: 'my-class-head' },
        el('span', { class: 'my-key', text: k < 9 ? String(k + 1) : '' }),
        nameInput,
        el('span', { class: 'my-count', text: `${count} example${count === 1 ? '' : 's'}` }),
        add,
        sources.classButtons(k),
        remove,
      ),
      grid,
    );
  }

  function render() {
    const counts = classCounts(mine);
    $('my-classes').replaceChildren(...mine.classNames.map((n, k) => classCard(n, k, counts[k])));
    shapeSelect.value = shapeKey(mine.shape);
    shapeSelect.disabled = mine.examples.length > 0;
    shapeSelect.title = shapeSelect.disabled ? 'Delete the examples to change the image shape' : '';
    $('my-mode-label').hidden = mine.shape[2] !== 1;
    if (mine.examples.length) $('my-missing').hidden = true;
    $('my-warnings').replaceChildren(
      ...warnings(mine, getValFraction()).map((w) => el('li', { class: 'warn', text: w })),
    );
  }

  shapeSelect.addEventListener('change', () => {
    if (mine.examples.length) return;
    change({ ...mine, shape: [...SHAPES[shapeSelect.value].shape] });
  });
  $('my-add-class').addEventListener('click', () => change(addClass(mine)));
  $('my-starter').addEventListener('click', async () => {
    if (mine.examples.length && !confirm('Replace your examples with the starter set?')) return;
    try {
      const response = await fetch('data/starter-shapes.cldata');
      if (!response.ok) throw new Error(`HTTP ${response.status}; run npm run build`);
      change(fromCldata(new Uint8Array(await response.arrayBuffer())));
    } catch (e) {
      notify(`The starter set could not be loaded: ${e.message}`);
    }
  });
  $('my-export').addEventListener('click', () => {
    try {
      const bytes = toCldata(mine);
      const a = el('a', {
        href: URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' })),
        download: 'my-data.cldata',
      });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      notify(`Nothing exported: ${e.message}.`);
    }
  });
  importInput.addEventListener('change', async () => {
    const file = importInput.files[0];
    importInput.value = '';
    if (!file) return;
    try {
      const next = fromCldata(new Uint8Array(await file.arrayBuffer()));
      if (mine.examples.length && !confirm('Replace your examples with the imported file?')) return;
      change(next);
    } catch (e) {
      notify(`The file “${file.name}” could not be imported: ${e.message}`);
    }
  });
  $('my-delete-all').addEventListener('click', async () => {
    if (!confirm('Delete all your classes and examples from this browser?')) return;
    await deleteRecord().catch(() => {});
    change(emptyMine(), { persist: false });
    $('my-size').textContent = 'Nothing kept in this browser.';
    root.dataset.saved = '0';
  });

  // 1–9 add the drawing to that class, wherever the focus is but in a text field.
  document.addEventListener('keydown', (e) => {
    if (!isActive() || e.ctrlKey || e.metaKey || e.altKey || !/^[1-9]$/.test(e.key)) return;
    if (e.target.closest?.('input, textarea, select, [contenteditable]')) return;
    const k = Number(e.key) - 1;
    if (k >= mine.classNames.length) return;
    e.preventDefault();
    addDrawing(k);
  });

  /** Loads what IndexedDB keeps; resolves true when there was a dataset. */
  async function load() {
    let found = false;
    try {
      const record = await loadRecord();
      if (record) {
        mine = fromRecord(record);
        found = mine.examples.length > 0;
        $('my-size').textContent =
          `Kept in this browser (IndexedDB): ${mine.examples.length} examples in ${mine.classNames.length} ` +
          `classes, ${kb(recordBytes(record))}.`;
        root.dataset.saved = String(mine.examples.length);
      }
    } catch (e) {
      $('my-size').textContent =
        `This browser keeps nothing (${e?.message ?? e}): export a .cldata file to keep your data.`;
    }
    loaded = true;
    render();
    return found;
  }

  return {
    load,
    get mine() {
      return mine;
    },
    get loaded() {
      return loaded;
    },
    render,
    /** Explains that a link's "my data" is not in this browser (until examples exist). */
    explainMissing() {
      $('my-missing').textContent =
        'This setup uses “my data”. A link carries the layers and settings but not the images, and this browser ' +
        'holds no dataset of yours yet: ' +
        'make one here (draw, upload pictures, use the camera), import a .cldata file, or load the starter set.';
      $('my-missing').hidden = mine.examples.length > 0;
    },
    setVisible(on) {
      root.hidden = !on;
      if (!on) sources.stopCamera();
    },
  };
}
