// The pieces of "See inside" past the feature maps: a vector as a strip
// (Flatten) or as bars (Dense, a 1×1 map after global pooling), the net's
// answer as probabilities per class, and the value under the pointer on any
// picture of numbers.
import { el } from './images.js';
import { shapeText } from './shape-math.js';

const MAX_BARS = 64;
const fmt = (v) =>
  Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4);

/**
 * Shows, under the pointer, the number behind a picture: values (h*w), what
 * names a position (y, x) → text. Returns the readout element.
 */
export function withReadout(canvas, values, w, h, name) {
  const out = el('p', { class: 'readout note', text: 'point at a pixel for its value' });
  canvas.addEventListener('pointermove', (e) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.min(w - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * w)));
    const y = Math.min(h - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * h)));
    out.textContent = `${name(y, x)}: ${fmt(values[y * w + x])}`;
    out.dataset.value = String(values[y * w + x]);
  });
  return out;
}

/** Signed bars for a vector, one per value (the first MAX_BARS), each with its number. */
export function barsOf(values, labelOf = (i) => `${i + 1}`, format = fmt) {
  let scale = 0;
  for (const v of values) scale = Math.max(scale, Math.abs(v));
  const shown = Array.from(values.slice(0, MAX_BARS));
  return el(
    'ol',
    { class: 'value-bars' },
    ...shown.map((v, i) =>
      el(
        'li',
        { 'data-value': String(v), title: `${labelOf(i)}: ${format(v)}` },
        el('span', { class: 'value-label', text: labelOf(i) }),
        el(
          'span',
          { class: 'value-track' },
          el('span', {
            class: v < 0 ? 'value-bar negative' : 'value-bar',
            style: `width:${scale > 0 ? ((Math.abs(v) / scale) * 100).toFixed(1) : 0}%`,
          }),
        ),
        el('span', { class: 'value-number', text: format(v) }),
      ),
    ),
  );
}

/** A block for a layer whose output is a vector (or 1×1 maps): a strip for Flatten, bars otherwise. */
export function vectorBlock(l, paintStrip) {
  const n = l.shape.reduce((a, b) => a * b, 1);
  // a vector as the builder shows it (784, not 1×1×784); pooled 1×1 maps keep their three numbers
  const shape = /Pooling/.test(l.type) ? l.shape.join('×') : shapeText(l.shape);
  const title = `Layer ${l.index + 1} ${l.type}: ${shape}`;
  const block = (...children) =>
    el('div', { class: 'inside-block', 'data-layer': l.index, 'data-type': l.type }, ...children);
  if (l.type === 'Flatten') {
    const strip = el('canvas', {
      class: 'map strip',
      'aria-label': `layer ${l.index + 1}: ${n} values in a row`,
    });
    paintStrip(strip, l.maps, n);
    return block(
      el('h3', { text: `${title} — every value in one row` }),
      strip,
      withReadout(strip, l.maps, n, 1, (y, x) => `value ${x + 1} of ${n}`),
    );
  }
  return block(
    el('h3', { text: `${title}${n > MAX_BARS ? ` (first ${MAX_BARS} values)` : ''}` }),
    barsOf(l.maps),
  );
}

/**
 * The last layer's output as the probability of each class: probs as the
 * trainer gives them (the softmax of a linear last layer's outputs, softmaxed).
 */
export function outputBlock(l, probs, softmaxed, classNames) {
  return el(
    'div',
    { class: 'inside-block probabilities', 'data-layer': l.index, 'data-type': l.type },
    el('h3', {
      text:
        `Layer ${l.index + 1} ${l.type} — the output: the probability of each class` +
        (softmaxed ? ' (the softmax of its linear outputs)' : ' (softmax)'),
    }),
    barsOf(probs, (i) => classNames?.[i] ?? String(i)),
  );
}
