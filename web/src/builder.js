// The layer-stack builder: add, insert, remove, reorder (pointer drag on the
// handle, or ↑/↓ on the focused handle), per-layer option controls, and per
// layer the engine's output shape, parameters and MACs with the arithmetic
// on focus. The engine's check (from the worker) marks a bad layer.
import { LAYER_TYPES, TYPE_NAMES, newLayer } from './layer-catalog.js';
import { asImageShape, explainLayer, formatNumber, shapeText } from './shape-math.js';
import { PRESETS } from './presets.js';
import { MAX_LAYERS } from './state.js';
import { createStackHistory } from './stack-history.js';
import { el } from './images.js';
import { createNumberField } from './number-field.js';

const $ = (id) => document.getElementById(id);

export function createBuilder({ store, getInputShape }) {
  const list = $('stack');
  let lastCheck = null;

  for (const name of TYPE_NAMES)
    $('add-type').append(el('option', { value: name, text: LAYER_TYPES[name].label }));
  $('add-type').value = 'conv2d';
  $('preset').append(el('option', { value: '', text: 'Custom' }));
  for (const [key, p] of Object.entries(PRESETS))
    $('preset').append(el('option', { value: key, text: p.name }));

  const setLayers = (fn, focus) => {
    store.update((s) => {
      s.layers = fn(s.layers);
      s.preset = '';
      return s;
    }, 'structure');
    if (focus) requestAnimationFrame(() => list.querySelector(focus)?.focus());
  };

  // a stack has a stated maximum: past it, adding is refused with a message, never a frozen tab
  const limitNote = el('p', { id: 'stack-limit', class: 'stack-limit', role: 'status', hidden: true });
  $('stack-undo').parentElement.querySelector('.hint').before(limitNote);
  createStackHistory({ store, undoButton: $('stack-undo'), redoButton: $('stack-redo') });
  const full = () => store.get().layers.length >= MAX_LAYERS;
  const refuseIfFull = () => {
    if (!full()) return false;
    limitNote.hidden = false;
    limitNote.textContent = `A stack holds at most ${MAX_LAYERS} layers: remove one to add another.`;
    return true;
  };
  $('add-layer').addEventListener('click', () => {
    if (!refuseIfFull()) setLayers((ls) => [...ls, newLayer($('add-type').value)]);
  });
  $('preset').addEventListener('change', () => {
    const p = PRESETS[$('preset').value];
    if (!p) {
      store.update((s) => ({ ...s, preset: '' }), 'label');
      return;
    } // "Custom": the stack stays as it is
    store.update(
      (s) => ({
        ...s,
        preset: $('preset').value,
        task: p.task ?? 'classify',
        layers: structuredClone(p.layers),
        hyper: { ...s.hyper, ...p.hyper },
      }),
      'preset',
    );
  });
  $('add-type').addEventListener('change', () => {
    for (const b of list.querySelectorAll('.insert'))
      b.setAttribute(
        'aria-label',
        `Insert a ${LAYER_TYPES[$('add-type').value].label} layer after layer ${b.dataset.index * 1 + 1}`,
      );
  });

  // the arithmetic shows for the row whose field (an option or the type) was focused last
  list.addEventListener('focusin', (e) => {
    if (!e.target.matches('input, select')) return;
    const rowEl = e.target.closest('li.layer');
    for (const r of list.querySelectorAll('li.explained')) if (r !== rowEl) r.classList.remove('explained');
    rowEl?.classList.add('explained');
  });

  function move(from, to) {
    if (to < 0 || to >= store.get().layers.length || from === to) return;
    setLayers((ls) => {
      const [l] = ls.splice(from, 1);
      ls.splice(to, 0, l);
      return ls;
    }, `li[data-index="${to}"] .handle`);
  }

  // at: the row's position ({ index }), which a reused row's reindex changes
  function optionControl(layer, at, o) {
    const id = `layer-${at.index}-${o.key}`;
    const apply = (value) => {
      const index = at.index;
      store.update((s) => {
        s.layers[index][o.key] = value;
        // a pool's stride follows its window unless the learner set it apart
        if (o.key === 'poolSize' && s.layers[index].strides === layer.poolSize)
          s.layers[index].strides = value;
        layer = s.layers[index];
        s.preset = '';
        return s;
      }, 'option');
      if (o.key === 'poolSize') {
        const st = list.querySelector(`#layer-${index}-strides`);
        if (st && st.getAttribute('aria-invalid') !== 'true') st.value = store.get().layers[index].strides;
      }
    };
    if (o.kind === 'select') {
      const input = el('select', { id, 'data-key': o.key });
      for (const v of o.values) input.append(el('option', { value: String(v), text: String(v) }));
      input.value = String(layer[o.key] ?? o.engineDefault);
      // a select hands back text: give the option its own value (true, not 'true')
      input.addEventListener('change', () =>
        apply(o.values.find((v) => String(v) === input.value) ?? input.value),
      );
      return el('label', { class: 'opt', for: id }, el('span', { text: o.label }), input);
    }
    // a value outside the stated range stays typed and marked; the layer keeps its last good one
    const rule =
      o.kind === 'sizes'
        ? {
            label: o.label,
            counts: o.counts,
            min: o.min,
            max: o.max,
            minusOne: o.minusOne,
            alwaysList: o.alwaysList,
            pairs: o.pairs,
          }
        : { label: o.label, min: o.min, max: o.max, integer: Number(o.step) === 1, step: o.step };
    const field = createNumberField({
      id,
      rule,
      value: layer[o.key],
      onValid: apply,
      attrs: {
        'data-key': o.key,
        'data-kind': o.kind,
        'data-field-name': `layer ${at.index + 1} ${o.label}`,
      },
    });
    // a value from a link or a file is held to the same range, once the row is on the page
    if (layer[o.key] !== undefined && layer[o.key] !== '') queueMicrotask(() => field.check());
    return el('label', { class: 'opt', for: id }, el('span', { text: o.label }), field.input, field.message);
  }

  // A row knows its position only through `at`: an insert or a removal above
  // it renumbers the row (reindex) instead of building it again.
  function row(layer, index) {
    const at = { index };
    const t = LAYER_TYPES[layer.type];
    const label = t?.label ?? layer.type;
    const typeSelect = el('select', { class: 'type-select' });
    for (const name of TYPE_NAMES)
      typeSelect.append(el('option', { value: name, text: LAYER_TYPES[name].label }));
    typeSelect.value = layer.type;
    typeSelect.addEventListener('change', () =>
      setLayers((ls) => {
        ls[at.index] = newLayer(typeSelect.value);
        return ls;
      }, `#layer-${at.index}-type`),
    );

    const handle = el('button', { type: 'button', class: 'handle', title: 'Drag to reorder, or ↑/↓' }, '⠿');
    handle.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        move(at.index, at.index - 1);
      }
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        move(at.index, at.index + 1);
      }
    });
    handle.addEventListener('pointerdown', (e) => startDrag(e, at.index));

    const insert = el(
      'button',
      { type: 'button', class: 'icon insert', title: 'Insert the new layer type below' },
      '+',
    );
    insert.addEventListener(
      'click',
      () =>
        refuseIfFull() ||
        setLayers(
          (ls) => {
            ls.splice(at.index + 1, 0, newLayer($('add-type').value));
            return ls;
          },
          `#layer-${at.index + 1}-type`,
        ),
    );
    const remove = el('button', { type: 'button', class: 'icon remove', title: 'Remove' }, '×');
    remove.addEventListener('click', () => {
      const count = store.get().layers.length;
      const index = at.index;
      setLayers(
        (ls) => {
          ls.splice(index, 1);
          return ls;
        },
        count > 1 ? `li[data-index="${Math.min(index, count - 2)}"] .handle` : null,
      );
    });

    const number = el('span', { class: 'idx' });
    const formula = el('div', { class: 'formula' });
    const options = (t?.options ?? []).map((o) => optionControl(layer, at, o));
    const li = el(
      'li',
      { class: 'layer', 'data-type': layer.type },
      handle,
      number,
      typeSelect,
      el('div', { class: 'opts' }, ...options),
      el('span', { class: 'fact shape', 'aria-label': 'output shape' }, '…'),
      el('span', { class: 'fact params', 'aria-label': 'parameters' }, ''),
      el('span', { class: 'fact macs', 'aria-label': 'multiply-accumulates per example' }, ''),
      el('span', { class: 'actions' }, insert, remove),
      formula,
      // not an alert itself: the stack's message below announces it once
      el('p', { class: 'layer-error', hidden: true }),
    );
    // everything that names the row's position: ids, labels, numbers
    const reindex = (i) => {
      at.index = i;
      li.dataset.index = String(i);
      number.textContent = String(i + 1);
      typeSelect.id = `layer-${i}-type`;
      typeSelect.setAttribute('aria-label', `Layer ${i + 1} type`);
      handle.setAttribute('aria-label', `Move layer ${i + 1} (${label}): drag, or press up or down arrow`);
      insert.dataset.index = String(i);
      insert.setAttribute(
        'aria-label',
        `Insert a ${LAYER_TYPES[$('add-type').value].label} layer after layer ${i + 1}`,
      );
      remove.setAttribute('aria-label', `Remove layer ${i + 1} (${label})`);
      formula.id = `formula-${i}`;
      for (const input of li.querySelectorAll('.opts [data-key]')) {
        const o = t.options.find((x) => x.key === input.dataset.key);
        input.id = `layer-${i}-${o.key}`;
        input.closest('label').htmlFor = input.id;
        const message = input.parentElement.querySelector('.field-message');
        if (message) {
          message.id = `${input.id}-message`;
          input.setAttribute('aria-describedby', message.id);
          input.dataset.fieldName = `layer ${i + 1} ${o.label}`;
        }
      }
    };
    reindex(index);
    rowIndexers.set(li, reindex);
    return li;
  }
  const rowIndexers = new WeakMap(); // row element → reindex(i)

  // Pointer drag on a handle (mouse, touch, pen): the row follows the
  // pointer; dropping moves it to the row under the pointer.
  function startDrag(e, from) {
    if (e.button !== 0) return;
    const handle = e.currentTarget;
    handle.setPointerCapture?.(e.pointerId);
    const rows = [...list.children];
    let to = from;
    const onMove = (ev) => {
      to = rows.findIndex((r) => {
        const b = r.getBoundingClientRect();
        return ev.clientY < b.top + b.height / 2;
      });
      if (to === -1) to = rows.length - 1;
      else if (to > from) to -= 1;
      rows.forEach((r, i) => r.classList.toggle('drop-target', i === to && to !== from));
      rows[from].classList.add('dragging');
    };
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove);
      handle.removeEventListener('pointerup', onUp);
      handle.removeEventListener('pointercancel', onUp);
      rows.forEach((r) => r.classList.remove('drop-target', 'dragging'));
      move(from, to);
    };
    handle.addEventListener('pointermove', onMove);
    handle.addEventListener('pointerup', onUp);
    handle.addEventListener('pointercancel', onUp);
  }

  // Any edit makes the stack the learner's own: the select and note follow at once.
  function renderPreset(s) {
    $('preset').value = s.preset ?? '';
    const p = PRESETS[s.preset];
    const figure = p?.figures?.[s.dataset];
    $('preset-note').textContent = p ? p.note + (figure ? `; ${figure}` : '') : 'Your own stack.';
  }

  // Rows are kept while their layer stays the same, wherever it moves: an
  // insert, a removal or a move renumbers the rows below instead of building
  // them again (and a field being typed in survives).
  const keyOf = (layer) => JSON.stringify(layer);
  let rowKeys = [];
  function renderStructure() {
    const s = store.get();
    renderPreset(s);
    const unused = new Map(); // layer key → its old rows, in order
    [...list.children].forEach((r, i) => {
      const k = rowKeys[i];
      if (!unused.has(k)) unused.set(k, []);
      unused.get(k).push(r);
    });
    const from = []; // each row's index before this edit (-1: a new row)
    const rows = s.layers.map((l, i) => {
      const reused = unused.get(keyOf(l))?.shift();
      if (!reused) {
        from.push(-1);
        return row(l, i);
      }
      from.push(Number(reused.dataset.index));
      if (reused.dataset.index !== String(i)) rowIndexers.get(reused)(i);
      return reused;
    });
    for (const left of unused.values()) for (const r of left) r.remove();
    rowKeys = s.layers.map(keyOf);
    rows.forEach((r, i) => {
      if (list.children[i] !== r) list.insertBefore(r, list.children[i] ?? null);
    });
    if (!full()) limitNote.hidden = true;
    if (lastCheck) renderCheck(followRows(lastCheck, from));
  }

  // Until the worker checks the new stack, each kept row shows its own last
  // facts (not those of the layer that was at its place) and a new row none.
  function followRows(check, from) {
    const layers = check.summary?.layers;
    const at = check.layerIndex >= 0 ? from.indexOf(check.layerIndex) : check.layerIndex;
    return {
      ...check,
      summary: layers
        ? { ...check.summary, layers: from.map((j) => (j >= 0 ? layers[j] : undefined)) }
        : check.summary,
      // the bad row was removed: nothing is marked until the worker says
      ...(check.layerIndex >= 0 && at < 0 ? { error: null, layerIndex: undefined } : { layerIndex: at }),
    };
  }

  const checkDrawn = new WeakMap(); // row → what its facts and arithmetic were drawn from

  /** check: { summary, error, layerIndex } from the worker's build. */
  function renderCheck(check) {
    lastCheck = check;
    const s = store.get();
    const input = getInputShape();
    $('stack-input').replaceChildren(
      el('span', { text: 'Input' }),
      el('span', { class: 'fact', text: shapeText(input) }),
    );
    const rows = [...list.children];
    let shape = input;
    rows.forEach((r, i) => {
      const info = check.summary?.layers?.[i];
      const bad = check.error && i === check.layerIndex;
      const layer = s.layers[i];
      const facts = info && !(check.error && i > check.layerIndex && check.layerIndex >= 0);
      // a row whose facts, input and neighbour are as last drawn stays as it is
      const prev = s.layers[i - 1];
      const drawn = JSON.stringify([
        i,
        shape,
        layer,
        prev?.type,
        prev?.activation,
        facts ? info : null,
        bad ? check.error : '',
      ]);
      const next = facts ? asImageShape(info.outputShape) : null;
      if (checkDrawn.get(r) === drawn) {
        shape = next;
        return;
      }
      checkDrawn.set(r, drawn);
      r.classList.toggle('invalid', !!bad);
      r.querySelector('.layer-error').hidden = !bad;
      r.querySelector('.layer-error').textContent = bad ? check.error : '';
      r.querySelector('.shape').textContent = facts ? shapeText(info.outputShape) : bad ? '✕' : '–';
      r.querySelector('.params').textContent = facts ? formatNumber(info.params) : '';
      r.querySelector('.macs').textContent = facts ? formatNumber(info.macs) : '';
      const formula = r.querySelector('.formula');
      if (shape && layer) {
        const ex = explainLayer(shape, layer);
        formula.replaceChildren(
          el('strong', { text: `${LAYER_TYPES[layer.type]?.label ?? layer.type}: ` }),
          el('span', { text: LAYER_TYPES[layer.type]?.blurb ?? '' }),
          ...ex.lines.map((line) => el('code', { text: line })),
        );
        if (layer.type === 'conv2d' && prev?.type === 'conv2d' && (prev.activation ?? 'linear') === 'linear')
          formula.append(
            el('code', {
              class: 'warn',
              text:
                'no activation between this conv and the one before: two linear maps collapse into one — add a ' +
                'non-linearity',
            }),
          );
        if (facts && info.weights !== undefined && layer.type === 'batchNormalization')
          formula.append(el('code', { text: `engine counts ${info.params} parameters` }));
      } else {
        formula.replaceChildren(el('span', { text: 'fix the layers above first' }));
      }
      shape = next;
    });
    const totals = check.summary?.totals;
    const ok = !check.error;
    $('stack-totals').replaceChildren(
      el('span', { text: ok ? 'Total' : 'Total (until the error)' }),
      el('span', {
        class: 'fact',
        text:
          totals && ok
            ? `${formatNumber(totals.weights)} weights + ${formatNumber(totals.biases)} biases`
            : '',
      }),
      el('span', { class: 'fact params', text: totals && ok ? formatNumber(totals.params) : '–' }),
      el('span', { class: 'fact macs', text: totals && ok ? formatNumber(totals.macs) : '–' }),
    );
    const stackError = $('stack-error');
    stackError.hidden = ok;
    stackError.textContent = ok
      ? ''
      : (check.layerIndex >= 0
          ? `Layer ${check.layerIndex + 1} needs fixing before training: `
          : 'The net cannot train yet: ') + check.error;
  }

  store.subscribe((s, reason) => {
    if (reason !== 'option' && reason !== 'hyper' && reason !== 'label') renderStructure();
    else {
      renderPreset(s);
      rowKeys = s.layers.map(keyOf); // the edited row already shows its new option
    }
  });
  renderStructure();
  return { renderCheck, renderStructure };
}
