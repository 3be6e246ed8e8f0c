// See inside: the first layer's filters as images and the output of every
// layer for the current drawing or a chosen sample, down to the net's answer. The
// trainer runs the net (in the worker); this panel only paints what comes back.
import { datasetImage, el, normalise, paintGrey, paintSigned } from './images.js';
import { createNumberField } from './number-field.js';
import { imagesAsFloat } from '../../bindings/dataset.js';
import { VAL_NOISE_SEED } from './dataset-uploads.js';
import { noisyImages, TASKS } from './tasks.js';
import { outputBlock, vectorBlock, withReadout } from './inside-views.js';

const $ = (id) => document.getElementById(id);
const MAX_MAPS = 32;

export function createInspector({ trainer, getDataset, getDrawing, getTask = () => 'classify' }) {
  let visible = false,
    timer = null,
    training = false;

  $('inside-source').addEventListener('change', () => refresh());
  // the sample number: a number outside the validation set is marked, and the view keeps the last good one
  const sampleRule = { label: 'Sample #', min: 0, max: 1999, integer: true };
  let sampleIndex = 0;
  const sampleField = createNumberField({
    id: 'inside-sample',
    rule: sampleRule,
    value: 0,
    gatesTraining: false,
    onValid: (i) => {
      sampleIndex = i;
      $('inside-source').value = 'sample';
      refresh();
    },
  });
  $('inside-sample').replaceWith(sampleField.input, sampleField.message);
  const sampleLimit = () => {
    const ds = getDataset();
    if (ds) sampleRule.max = ds.count - ds.trainCount - 1;
  };
  sampleField.input.addEventListener('focus', sampleLimit);

  function input() {
    const ds = getDataset();
    const d = getDrawing();
    // with an empty pad the view starts from a validation sample, never a blank panel
    if (ds && ($('inside-source').value === 'sample' || !d)) {
      sampleLimit();
      const i = Math.min(sampleIndex, sampleRule.max);
      if (getTask() === 'denoise') {
        // the noisy copy the net is scored on: the validation set's noise, drawn up to sample i
        const size = ds.height * ds.width * ds.channels;
        const noisy = noisyImages(
          imagesAsFloat(ds, ds.trainCount, i + 1),
          TASKS.denoise.noise,
          VAL_NOISE_SEED,
        );
        return {
          pixels: noisy.slice(i * size),
          target: datasetImage(ds, ds.trainCount + i),
          label: `validation sample #${i} with noise (σ ${TASKS.denoise.noise})`,
        };
      }
      return {
        pixels: datasetImage(ds, ds.trainCount + i),
        label:
          `validation sample #${i} (${ds.classNames[ds.labels[ds.trainCount + i]]})` +
          ($('inside-source').value === 'sample' ? '' : ' — the pad is empty; draw on it to see your own'),
      };
    }
    return d ? { pixels: d, label: 'your drawing' } : null;
  }

  function refresh() {
    if (!visible) return;
    const src = input();
    if (!src) {
      $('inside-note').textContent =
        'Draw something on the pad, or pick a sample, to see what each layer makes of it.';
      $('inside').replaceChildren();
      return;
    }
    trainer.request('inspect', { pixels: src.pixels }, (msg) => render(msg, src));
  }

  // A denoiser's answer: what went in, what came out, what should have come out.
  function denoiseBlock(msg, src) {
    const figure = (caption, pixels, name) => {
      const canvas = el('canvas', { class: 'map big', 'aria-label': name });
      paintGrey(canvas, pixels, 28, 28);
      return el(
        'figure',
        {},
        el('figcaption', { text: caption }),
        canvas,
        withReadout(canvas, pixels, 28, 28, (y, x) => `row ${y}, column ${x}`),
      );
    };
    return el(
      'div',
      { class: 'inside-block' },
      el('h3', { text: 'Input · output · target' }),
      el(
        'div',
        { class: 'side-by-side' },
        figure('input (noisy)', src.pixels, 'noisy input image'),
        figure('output (the net)', msg.image, 'the net output image'),
        src.target
          ? figure('target (clean)', src.target, 'clean target image')
          : el('p', { class: 'note', text: 'A drawing has no clean target: pick a sample to see one.' }),
      ),
    );
  }

  function render(msg, src) {
    const ds = getDataset();
    if (msg.image) {
      $('inside-note').textContent = `Showing ${msg.label} on ${src.label}: it gives back an image.`;
      const blocks = [denoiseBlock(msg, src)];
      for (const l of msg.layers)
        if (l.maps)
          blocks.push(
            l.shape.length < 3 || l.shape[0] * l.shape[1] === 1 ? vectorBlock(l, paintStrip) : mapBlock(l),
          );
      $('inside').replaceChildren(...blocks);
      return;
    }
    const probs = msg.probs; // the trainer's: a linear last layer's outputs come softmaxed
    const top = probs ? probs.indexOf(Math.max(...probs)) : -1;
    $('inside-note').textContent =
      `Showing ${msg.label} on ${src.label}` +
      (top >= 0 && ds ? ` — it says “${ds.classNames[top]}” (${(probs[top] * 100).toFixed(0)} %).` : '.');
    const inputCanvas = el('canvas', { class: 'map big', 'aria-label': 'input image' });
    paintGrey(inputCanvas, src.pixels, 28, 28);
    const blocks = [
      el(
        'div',
        { class: 'inside-block' },
        el('h3', { text: 'Input 28×28×1' }),
        inputCanvas,
        withReadout(inputCanvas, src.pixels, 28, 28, (y, x) => `row ${y}, column ${x}`),
      ),
    ];
    if (msg.filters) blocks.push(filterBlock(msg.filters));
    // every layer down to the output: maps as pictures, vectors (and 1×1 maps) as a strip or bars,
    // and the last layer's answer as the probability of each class
    const last = msg.layers.length - 1;
    for (const l of msg.layers) {
      if (!l.maps) continue;
      if (l.index === last) {
        blocks.push(outputBlock(l, probs ?? l.maps, msg.softmaxed, ds?.classNames));
        continue;
      }
      const [h, w] = l.shape;
      const block = l.shape.length < 3 || h * w === 1 ? vectorBlock(l, paintStrip) : mapBlock(l);
      if (l.type === 'Dropout')
        block.append(
          el('p', {
            class: 'note',
            text: 'Dropout only drops values while training: here every value passes through unchanged.',
          }),
        );
      blocks.push(block);
    }
    const hasMaps = msg.layers.some((l) => l.shape.length === 3 && l.shape[0] * l.shape[1] > 1);
    if (msg.layers.length && !hasMaps)
      blocks.splice(
        1,
        0,
        el('p', {
          class: 'note',
          text:
            'This net has no conv or pool layers: there are no feature maps to show — a dense-only net sees ' +
            'pixels, not shapes.',
        }),
      );
    $('inside').replaceChildren(...blocks);
  }

  function filterBlock(f) {
    const { kh, kw, cin, cout, values } = f;
    let scale = 0;
    for (const v of values) scale = Math.max(scale, Math.abs(v));
    const tiles = [];
    for (let o = 0; o < Math.min(cout, MAX_MAPS); o++) {
      const w = new Float32Array(kh * kw);
      for (let y = 0; y < kh; y++)
        // channel 0 of (KH, KW, C, OC)
        for (let x = 0; x < kw; x++) w[y * kw + x] = values[(y * kw + x) * cin * cout + o];
      const c = el('canvas', { class: 'map filter', title: `filter ${o + 1}` });
      paintSigned(c, w, kw, kh, scale);
      tiles.push(c);
    }
    return el(
      'div',
      { class: 'inside-block' },
      el('h3', {
        text: `Layer 1 filters: ${cout} × ${kh}×${kw}${cin > 1 ? `×${cin} (channel 1 shown)` : ''}`,
      }),
      el('p', {
        class: 'note',
        text: 'blue = positive weight, red = negative; these are learned, not hand-made',
      }),
      el('div', { class: 'map-grid' }, ...tiles),
    );
  }

  function mapBlock(l) {
    const [h, w, c] = l.shape;
    const tiles = [];
    const readout = el('p', {
      class: 'readout note',
      text: 'point at a map for the value under the pointer',
    });
    for (let ch = 0; ch < Math.min(c, MAX_MAPS); ch++) {
      const m = new Float32Array(h * w);
      for (let i = 0; i < h * w; i++) m[i] = l.maps[i * c + ch];
      const canvas = el('canvas', { class: 'map', title: `channel ${ch + 1}` });
      paintGrey(canvas, normalise(m), w, h);
      // the tile's own readout line feeds the block's one
      const own = withReadout(canvas, m, w, h, (y, x) => `channel ${ch + 1}, row ${y}, column ${x}`);
      canvas.addEventListener('pointermove', () => {
        readout.textContent = own.textContent;
        readout.dataset.value = own.dataset.value;
      });
      tiles.push(canvas);
    }
    return el(
      'div',
      { class: 'inside-block', 'data-layer': l.index, 'data-type': l.type },
      el('h3', {
        text: `Layer ${l.index + 1} ${l.type}: ${h}×${w}×${c}${c > MAX_MAPS ? ` (first ${MAX_MAPS} maps)` : ''}`,
      }),
      el('div', { class: 'map-grid', 'data-layer': l.index }, ...tiles),
      readout,
    );
  }

  // a vector as a one-row picture, grey by its own range
  function paintStrip(canvas, values, n) {
    paintGrey(canvas, normalise(values), n, 1);
  }

  return {
    setVisible(v) {
      visible = v;
      clearInterval(timer);
      if (v) {
        refresh();
        timer = setInterval(() => {
          if (training) refresh();
        }, 1500);
      }
    },
    refresh,
    pickSample(i) {
      sampleIndex = i;
      sampleField.set(i);
      $('inside-source').value = 'sample';
      refresh();
    },
    set training(t) {
      training = t;
    },
  };
}
