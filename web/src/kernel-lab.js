// The kernel lab: a classic 3×3 kernel (or your own) slid over an image with
// a chosen stride and padding. Shows input → kernel → output with their
// sizes and the output-size formula filled in; clicking (or arrowing to) an
// output pixel highlights its input window and spells out its multiply-add.
import { CLASSIC_KERNELS, convolve, explainPixel, outputSize } from './kernel-math.js';
import { datasetImage, el, paintSigned } from './images.js';
import { createNumberField } from './number-field.js';

const VIEW = 252; // display size of the input and output pictures, CSS px

/** Test patterns with known answers: a vertical and a horizontal bar. */
function bar(vertical) {
  const img = new Float32Array(28 * 28);
  for (let y = 4; y < 24; y++) for (let x = 12; x < 16; x++) img[vertical ? y * 28 + x : x * 28 + y] = 1;
  return img;
}

const num = (v) => (Math.abs(v) < 0.005 ? '0' : Number(v.toFixed(2)).toString()).replace('-', '−');

export function createKernelLab({ getDrawing, getDataset }) {
  const root = document.getElementById('kernel-lab');
  const state = {
    source: 'drawing',
    kernel: 'sobelX',
    k: CLASSIC_KERNELS.sobelX.k.map((r) => [...r]),
    stride: 1,
    pad: 0,
    sel: null,
  };

  const select = (id, label, options, value, onChange) => {
    const s = el('select', { id });
    for (const [v, t] of options) s.append(el('option', { value: v, text: t }));
    s.value = value;
    s.addEventListener('change', () => onChange(s.value));
    return el('label', { class: 'inline', for: id }, label, s);
  };

  const controls = el(
    'div',
    { class: 'controls' },
    select(
      'kl-source',
      'Image',
      [
        ['drawing', 'your drawing'],
        ['vbar', 'a vertical bar'],
        ['hbar', 'a horizontal bar'],
        ['sample', 'validation sample #0'],
      ],
      state.source,
      (v) => {
        state.source = v;
        update();
      },
    ),
    select(
      'kl-kernel',
      'Kernel',
      [
        ...Object.entries(CLASSIC_KERNELS).map(([k, v]) => [k, v.label]),
        ['custom', 'Custom (edit the cells)'],
      ],
      state.kernel,
      (v) => {
        state.kernel = v;
        if (CLASSIC_KERNELS[v]) state.k = CLASSIC_KERNELS[v].k.map((r) => [...r]);
        renderCells();
        update();
      },
    ),
    select(
      'kl-stride',
      'Stride',
      [
        [1, '1'],
        [2, '2'],
        [3, '3'],
      ],
      1,
      (v) => {
        state.stride = Number(v);
        state.sel = null;
        update();
      },
    ),
    select(
      'kl-pad',
      'Padding',
      [
        [0, '0 (valid)'],
        [1, '1 (same for 3×3)'],
        [2, '2'],
      ],
      0,
      (v) => {
        state.pad = Number(v);
        state.sel = null;
        update();
      },
    ),
  );

  const inputCanvas = el('canvas', {
    class: 'kl-picture',
    width: VIEW,
    height: VIEW,
    'aria-label': 'Input image with the highlighted window',
  });
  const outputCanvas = el('canvas', {
    class: 'kl-picture clickable',
    width: VIEW,
    height: VIEW,
    tabindex: 0,
    'aria-label':
      'Output feature map: click a pixel, or focus and use the arrow keys, to see its multiply-add',
  });
  const cells = el('div', { class: 'kl-cells', role: 'group', 'aria-label': 'Kernel weights, 3 by 3' });
  const sizes = { input: el('span', { class: 'kl-size' }), output: el('span', { class: 'kl-size' }) };
  const formula = el('p', { class: 'kl-formula', id: 'kl-formula' });
  const cellMessage = el('p', { class: 'field-message', id: 'kl-cell-message', hidden: true });
  const explain = el('div', { class: 'kl-explain', id: 'kl-explain', 'aria-live': 'polite' });

  root.append(
    controls,
    el(
      'div',
      { class: 'kl-row' },
      el('figure', {}, inputCanvas, el('figcaption', {}, 'input ', sizes.input)),
      el('span', { class: 'kl-op', 'aria-hidden': 'true' }, '⊛'),
      el('figure', {}, cells, el('figcaption', { text: 'kernel 3×3' })),
      el('span', { class: 'kl-op', 'aria-hidden': 'true' }, '='),
      el('figure', {}, outputCanvas, el('figcaption', {}, 'output ', sizes.output)),
    ),
    cellMessage,
    formula,
    explain,
  );

  // A cell shows its weight as a fraction where it is one (box blur: 1/9), so
  // the arithmetic uses exactly the number on screen.
  const cellText = (v) => {
    for (let d = 1; d <= 16; d++) {
      const n = Math.round(v * d);
      if (Math.abs(n / d - v) < 1e-12) return d === 1 ? String(n) : `${n}/${d}`;
    }
    return String(v);
  };
  const badCells = new Set();

  function renderCells() {
    badCells.clear();
    cells.replaceChildren(
      ...state.k.flatMap((r, y) =>
        r.map((v, x) => {
          const field = createNumberField({
            id: `kl-cell-${y}-${x}`,
            rule: { label: `row ${y + 1}, column ${x + 1}`, min: -100, max: 100, fractions: true },
            value: cellText(v),
            attrs: {
              'aria-label': `kernel row ${y + 1} column ${x + 1}`,
              'aria-describedby': 'kl-cell-message',
            },
            gatesTraining: false, // a toy filter, not the net's
            onValid: (n) => {
              state.k[y][x] = n;
              state.kernel = 'custom';
              document.getElementById('kl-kernel').value = 'custom';
            },
          });
          // after every edit, valid or not: the output follows what the cells show
          field.input.addEventListener('input', () => {
            if (field.input.getAttribute('aria-invalid') === 'true') badCells.add(field);
            else badCells.delete(field);
            update();
          });
          return field.input;
        }),
      ),
    );
  }

  function image() {
    if (state.source === 'vbar') return bar(true);
    if (state.source === 'hbar') return bar(false);
    const ds = getDataset();
    // an empty pad: validation sample #0 stands in, so the lab never starts black
    if (state.source === 'sample' || !getDrawing()) return ds ? datasetImage(ds, ds.trainCount) : null;
    return getDrawing();
  }

  let current = null;
  function update() {
    if (badCells.size) {
      current = null;
      const octx = outputCanvas.getContext('2d');
      octx.fillStyle = '#c9ced8';
      octx.fillRect(0, 0, VIEW, VIEW);
      sizes.output.textContent = '–';
      cellMessage.textContent = [...badCells]
        .map((f) => `${f.rule.label}: ${f.message.textContent}`)
        .join(' · ');
      cellMessage.hidden = false;
      formula.replaceChildren(
        el('span', {
          class: 'note',
          text: 'The output waits for the marked cell: it uses exactly the nine numbers shown.',
        }),
      );
      explain.replaceChildren();
      return;
    }
    cellMessage.hidden = true;
    const img = image() ?? new Float32Array(28 * 28);
    const { out, oh, ow } = convolve(img, 28, 28, state.k, { stride: state.stride, pad: state.pad });
    current = { img, out, oh, ow };
    sizes.input.textContent = `28×28`;
    sizes.output.textContent = `${oh}×${ow}`;
    formula.replaceChildren(
      el('code', {
        text:
          `out = ⌊(in − k + 2·pad)/stride⌋ + 1 = ⌊(28 − 3 + 2·${state.pad})/${state.stride}⌋ + 1 = ` +
          `${outputSize(28, 3, state.pad, state.stride)}`,
      }),
      el('span', {
        class: 'note',
        text:
          state.source === 'drawing' && !getDrawing()
            ? '  (the pad is empty: validation sample #0 is shown; draw on the pad to use your own image)'
            : '',
      }),
    );
    if (state.sel && (state.sel.y >= oh || state.sel.x >= ow)) state.sel = null;
    paint();
  }

  function paint() {
    const { img, out, oh, ow } = current;
    const P = state.pad,
      n = 28 + 2 * P,
      cell = VIEW / n;
    const ctx = inputCanvas.getContext('2d');
    ctx.fillStyle = '#c9ced8';
    ctx.fillRect(0, 0, VIEW, VIEW);
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++) {
        const v = Math.round(img[y * 28 + x] * 255);
        ctx.fillStyle = `rgb(${v},${v},${v})`;
        ctx.fillRect((x + P) * cell, (y + P) * cell, cell + 0.5, cell + 0.5);
      }
    const tmp = document.createElement('canvas');
    paintSigned(tmp, out, ow, oh);
    const octx = outputCanvas.getContext('2d');
    octx.imageSmoothingEnabled = false;
    octx.clearRect(0, 0, VIEW, VIEW);
    octx.drawImage(tmp, 0, 0, VIEW, VIEW);
    if (!state.sel) {
      explain.replaceChildren(
        el('p', { class: 'note', text: 'Click an output pixel to see how it was computed.' }),
      );
      return;
    }
    const { y, x } = state.sel;
    const info = explainPixel(img, 28, 28, state.k, { stride: state.stride, pad: state.pad }, y, x);
    ctx.strokeStyle = '#ffb020';
    ctx.lineWidth = 3;
    ctx.strokeRect((info.x0 + P) * cell, (info.y0 + P) * cell, 3 * cell, 3 * cell);
    const ow_ = VIEW / ow,
      oh_ = VIEW / oh;
    octx.strokeStyle = '#ffb020';
    octx.lineWidth = 3;
    octx.strokeRect(x * ow_, y * oh_, ow_, oh_);
    const terms = info.terms.map((t) => `${num(t.value)}·${num(t.weight)}`).join(' + ');
    explain.replaceChildren(
      el(
        'p',
        {},
        el('strong', { text: `output row ${y}, column ${x}` }),
        ` ← input window rows ${info.y0}…${info.y0 + 2}, columns ${info.x0}…${info.x0 + 2}` +
          (info.terms.some((t) => !t.inside) ? ' (partly in the zero padding)' : ''),
      ),
      el(
        'p',
        { class: 'kl-sum-line' },
        el('code', { text: `${terms} = ` }),
        el('output', { id: 'kl-sum', 'data-value': String(info.sum), text: num(info.sum) }),
      ),
    );
  }

  outputCanvas.addEventListener('click', (e) => {
    if (!current) return;
    const r = outputCanvas.getBoundingClientRect();
    const { oh, ow } = current;
    state.sel = {
      y: Math.min(oh - 1, Math.floor(((e.clientY - r.top) / r.height) * oh)),
      x: Math.min(ow - 1, Math.floor(((e.clientX - r.left) / r.width) * ow)),
    };
    paint();
  });
  outputCanvas.addEventListener('keydown', (e) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d || !current) return;
    e.preventDefault();
    const s = state.sel ?? { y: 0, x: 0 };
    state.sel = {
      y: Math.max(0, Math.min(current.oh - 1, s.y + (state.sel ? d[0] : 0))),
      x: Math.max(0, Math.min(current.ow - 1, s.x + (state.sel ? d[1] : 0))),
    };
    paint();
  });

  renderCells();
  update();
  return {
    update: () => {
      if (state.source === 'drawing' || state.source === 'sample') update();
    },
  };
}
