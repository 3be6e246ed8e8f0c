// Augmentation settings (fit's augment option: shift, rotate, scale, flip,
// noise) with a live preview: one training image and seven augmented draws
// of it, made by the package's own augmentImages, so what is shown is what
// training gets.
import { augmentImages } from '../../bindings/augment.js';
import { el } from './images.js';
import { createNumberField } from './number-field.js';
import { paintExample } from './my-data-panel.js';

const $ = (id) => document.getElementById(id);
const VARIANTS = 7;

/** onChange(augment | null); getImage(): { pixels (bytes), shape } of an image to preview, or null. */
export function createAugmentPanel({ onChange, getImage }) {
  const root = $('augment');
  // a value outside its range stays typed and marked; training keeps the last good settings
  const number = (id, label, { min, max, step, value }) => {
    const field = createNumberField({
      id,
      rule: { label, min: Number(min), max: Number(max), step: Number(step), integer: step === '1' },
      value,
      attrs: { 'data-field-name': `augmentation ${label}` },
    });
    return el('label', { class: 'inline' }, label, field.input, field.message);
  };
  const on = el('input', { id: 'aug-on', type: 'checkbox' });
  const again = el('button', { id: 'aug-again', type: 'button', text: 'New draws' });
  root.append(
    el(
      'div',
      { class: 'controls aug-controls' },
      el('label', { class: 'inline' }, on, ' augment training batches'),
      number('aug-shift', 'shift ± px', { min: '0', max: '6', step: '1', value: '2' }),
      number('aug-rotate', 'rotate ± °', { min: '0', max: '45', step: '5', value: '10' }),
      number('aug-scale-min', 'scale from', { min: '0.5', max: '1', step: '0.05', value: '0.9' }),
      number('aug-scale-max', 'to', { min: '1', max: '1.5', step: '0.05', value: '1.1' }),
      el('label', { class: 'inline' }, el('input', { id: 'aug-flip', type: 'checkbox' }), ' mirror'),
      number('aug-noise', 'noise σ', { min: '0', max: '0.5', step: '0.05', value: '0' }),
      again,
    ),
    el('div', {
      id: 'aug-preview',
      class: 'aug-preview',
      'aria-label': 'One training image and augmented versions of it',
    }),
    el('p', { id: 'aug-note', class: 'note' }),
  );
  let seed = 1;

  function settings() {
    return {
      shift: Math.max(0, Math.round(Number($('aug-shift').value) || 0)),
      rotate: Math.min(180, Math.max(0, Number($('aug-rotate').value) || 0)),
      scale: [Number($('aug-scale-min').value) || 1, Number($('aug-scale-max').value) || 1],
      flipHorizontal: $('aug-flip').checked,
      noise: Math.max(0, Number($('aug-noise').value) || 0),
    };
  }

  function preview() {
    const image = getImage();
    const a = settings();
    if (!image) return root.querySelector('#aug-preview').replaceChildren();
    const { shape } = image;
    const per = shape[0] * shape[1] * shape[2];
    const one = image.pixels.subarray(0, per);
    const copies = new Uint8Array(per * VARIANTS);
    for (let i = 0; i < VARIANTS; i++) copies.set(one, i * per);
    let out;
    try {
      out = augmentImages(copies, shape, a, { seed });
      $('aug-note').textContent = on.checked
        ? 'Each training batch gets new random changes like these; the stored images stay as they are.'
        : 'Off: training sees the images as they are. These are what it would see with the settings above.';
    } catch (e) {
      $('aug-note').textContent = e.message;
      return;
    }
    const canvases = [
      Float32Array.from(one, (v) => v / 255),
      ...Array.from({ length: VARIANTS }, (_, i) => out.subarray(i * per, (i + 1) * per)),
    ].map((img, i) => {
      const c = el('canvas', { width: shape[1], height: shape[0], title: i ? 'augmented' : 'original' });
      paintExample(
        c,
        Uint8Array.from(img, (v) => Math.round(v * 255)),
        shape,
      );
      return c;
    });
    root.querySelector('#aug-preview').replaceChildren(...canvases);
  }

  function changed() {
    if (root.querySelector('[aria-invalid="true"]')) return; // the marked field says what is wrong
    preview();
    let a = null;
    try {
      if (on.checked) {
        augmentImages(new Float32Array(1), [1, 1, 1], settings()); // checked as fit will check it
        a = settings();
      }
    } catch {
      a = null;
    }
    onChange(a);
  }
  root.addEventListener('input', changed);
  again.addEventListener('click', () => {
    seed++;
    preview();
  });
  return {
    refresh: preview,
    get augment() {
      return on.checked ? settings() : null;
    },
  };
}
