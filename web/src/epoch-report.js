// End-of-epoch report: the confusion matrix (true × predicted, shaded by
// share of the row) and a gallery of misclassified validation images.
import { datasetImage, el, paintGrey } from './images.js';

const $ = (id) => document.getElementById(id);

export function renderConfusion(confusion, classNames) {
  const k = confusion.length;
  const table = el('table', { class: 'confusion-table' });
  table.append(
    el('caption', {
      class: 'sr-only',
      text: 'Confusion matrix: rows are true classes, columns predicted classes',
    }),
  );
  const head = el('tr', {}, el('th', { scope: 'col', text: 'true \\ pred' }));
  // columns by class number when names do not fit ten abreast (a few classes: by name), rows by number and name
  for (let c = 0; c < k; c++)
    head.append(
      el('th', {
        scope: 'col',
        text: k <= 5 ? short(classNames[c]) : String(c),
        title: classNames[c],
        'aria-label': classNames[c],
      }),
    );
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (let r = 0; r < k; r++) {
    const total = confusion[r].reduce((a, b) => a + b, 0) || 1;
    const label = classNames[r] === String(r) ? classNames[r] : `${r} ${short(classNames[r])}`;
    const tr = el('tr', {}, el('th', { scope: 'row', text: label, title: classNames[r] }));
    for (let c = 0; c < k; c++) {
      const n = confusion[r][c];
      const share = n / total;
      const hue = r === c ? '47,111,237' : '220,60,50';
      tr.append(
        el('td', {
          style: `background: rgba(${hue},${Math.min(1, share * (r === c ? 1 : 4)).toFixed(3)})`,
          class: share > 0.5 ? 'strong' : '',
          title: `${n} ${classNames[r]} predicted as ${classNames[c]}`,
          text: n ? String(n) : '',
        }),
      );
    }
    body.append(tr);
  }
  table.append(body);
  $('confusion').replaceChildren(table);
}

const short = (name) => (name.length > 9 ? name.slice(0, 8) + '…' : name);

export function renderWrong(wrong, ds) {
  if (!wrong.length) {
    $('wrong').replaceChildren(el('p', { class: 'note', text: 'None — every validation image was right.' }));
    return;
  }
  $('wrong').replaceChildren(
    ...wrong.slice(0, 32).map((w) => {
      const canvas = el('canvas', { width: ds.width, height: ds.height });
      paintGrey(canvas, datasetImage(ds, w.index), ds.width, ds.height);
      return el(
        'figure',
        { class: 'wrong' },
        canvas,
        el(
          'figcaption',
          {},
          el('span', { class: 'pred', text: ds.classNames[w.predicted] }),
          el('span', { class: 'true', text: `true ${ds.classNames[w.label]}` }),
        ),
      );
    }),
  );
}

export function renderTimings(timings, summary) {
  if (!timings?.length || !summary) return;
  const max = Math.max(1e-3, ...timings.map((t) => t.forwardMs + t.backwardMs));
  $('timings').replaceChildren(
    ...timings.map((t, i) => {
      const l = summary.layers[i];
      return el(
        'div',
        { class: 'timing-row' },
        el('span', { class: 'timing-name', text: `${i + 1} ${l?.type ?? ''}` }),
        el(
          'span',
          { class: 'timing-bar' },
          el('span', { class: 'fwd', style: `width:${(t.forwardMs / max) * 100}%` }),
          el('span', { class: 'bwd', style: `width:${(t.backwardMs / max) * 100}%` }),
        ),
        el('span', { class: 'timing-ms', text: `${t.forwardMs.toFixed(2)} + ${t.backwardMs.toFixed(2)} ms` }),
      );
    }),
  );
}

/** A new or loaded net: nothing measured yet, so no numbers of the last one stay up. */
export function clearReports() {
  $('timings').replaceChildren(el('p', { class: 'note', text: 'Appears while the net trains.' }));
  for (const id of ['confusion', 'wrong'])
    $(id).replaceChildren(el('p', { class: 'note', text: 'Appears when an epoch ends.' }));
}

/** A denoiser's epoch: no classes to confuse; its figure is the validation loss. */
export function renderDenoiseReport({ valLoss }) {
  $('confusion').replaceChildren(
    el('p', {
      class: 'note',
      text:
        `A denoiser has no classes to confuse: over the whole validation set its mean squared error per ` +
        `pixel is ${valLoss.toPrecision(3)}. See inside shows its output next to the clean image.`,
    }),
  );
  $('wrong').replaceChildren(
    el('p', { class: 'note', text: 'Nothing to misclassify: the net gives back images.' }),
  );
}
