// The data panel: dataset picker, the train/validation split, and a grid of
// samples (click one to look inside the net with it).
import { DATASETS } from './state.js';
import { datasetImage, el, paintGrey } from './images.js';
import { TASKS } from './tasks.js';

const $ = (id) => document.getElementById(id);

export function createDatasetPanel({ store, onPickSample }) {
  for (const [key, d] of Object.entries(DATASETS))
    $('dataset').append(el('option', { value: key, text: d.label }));
  $('dataset').value = store.get().dataset;
  $('dataset').addEventListener('change', () => store.update({ dataset: $('dataset').value }, 'dataset'));
  // what the net learns from the images (tasks.js): classes, or the clean image from a noisy one
  for (const [key, t] of Object.entries(TASKS)) $('task').append(el('option', { value: key, text: t.name }));
  $('task').value = store.get().task;
  $('task').addEventListener('change', () => store.update({ task: $('task').value, preset: '' }, 'task'));
  store.subscribe((s) => {
    $('dataset').value = s.dataset;
    $('task').value = s.task;
  });

  function render(ds) {
    const valCount = ds.count - ds.trainCount;
    const pct = (ds.trainCount / ds.count) * 100;
    $('split').replaceChildren(
      el(
        'div',
        {
          class: 'split-bar',
          role: 'img',
          'aria-label': `${ds.trainCount} training and ${valCount} validation images`,
        },
        el('span', { class: 'train', style: `width:${pct}%` }, `train ${ds.trainCount.toLocaleString('en')}`),
        el(
          'span',
          { class: 'val', style: `width:${100 - pct}%` },
          `validation ${valCount.toLocaleString('en')}`,
        ),
      ),
      el('p', {
        class: 'note',
        text:
          `${ds.name}: ${ds.height}×${ds.width}×${ds.channels} images, ${ds.classes} classes. ` +
          'The net learns from the training part; the validation part is never trained on and measures how well it ' +
          'generalises.',
      }),
    );
    // Four examples of each class from the validation part, so a click shows
    // the net something it has never trained on.
    const picks = [];
    for (let c = 0; c < ds.classes; c++) {
      let found = 0;
      for (let i = ds.trainCount; i < ds.count && found < 4; i++)
        if (ds.labels[i] === c) {
          picks.push({ i, rank: found });
          found++;
        }
    }
    picks.sort((a, b) => a.rank - b.rank || ds.labels[a.i] - ds.labels[b.i]);
    $('samples').replaceChildren(
      ...picks.map(({ i }, k) => {
        const canvas = el('canvas', { width: ds.width, height: ds.height });
        paintGrey(canvas, datasetImage(ds, i), ds.width, ds.height);
        const name = ds.classNames[ds.labels[i]];
        // one tab stop for the grid (arrow keys move within it), not forty
        const b = el(
          'button',
          {
            type: 'button',
            class: 'sample',
            tabindex: k === 0 ? '0' : '-1',
            title: `validation #${i - ds.trainCount}: ${name}`,
            'aria-label': `Look inside with validation sample ${i - ds.trainCount}, a ${name}`,
          },
          canvas,
          el('span', { text: name }),
        );
        b.addEventListener('click', () => onPickSample(i - ds.trainCount));
        return b;
      }),
    );
  }

  /** No trainable dataset yet (My data with too few examples): say what is missing. */
  function renderEmpty(text) {
    $('split').replaceChildren(el('p', { class: 'note', text }));
    $('samples').replaceChildren();
  }

  $('samples').addEventListener('keydown', (e) => {
    const buttons = [...$('samples').querySelectorAll('.sample')];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const perRow = Math.max(1, Math.round($('samples').clientWidth / Math.max(1, buttons[0].offsetWidth)));
    const to = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + perRow,
      ArrowUp: at - perRow,
      Home: 0,
      End: buttons.length - 1,
    }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next.focus();
  });
  return { render, renderEmpty };
}
