// Undo and redo for the layer stack: every edit of the stack (add, insert,
// remove, move, a layer's type or options, a preset, a link, a loaded model)
// can be taken back, with the buttons or Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) when
// the focus is not in a text field (there the keys edit the text). Typing
// into one option field is one step, not one per key.
const LIMIT = 100;
const EDITS = new Set(['structure', 'option', 'preset', 'hash', 'dataset', 'loaded']);

const snapshot = (s) => ({ layers: structuredClone(s.layers), preset: s.preset });
const same = (a, b) => JSON.stringify(a.layers) === JSON.stringify(b.layers);

// The one option that differs between two stacks of the same layers, as "index:key", or null.
function changedOption(a, b) {
  if (a.layers.length !== b.layers.length) return null;
  let found = null;
  for (let i = 0; i < a.layers.length; i++) {
    if (a.layers[i].type !== b.layers[i].type) return null;
    for (const k of new Set([...Object.keys(a.layers[i]), ...Object.keys(b.layers[i])]))
      if (JSON.stringify(a.layers[i][k]) !== JSON.stringify(b.layers[i][k])) {
        if (found) return null;
        found = `${i}:${k}`;
      }
  }
  return found;
}

export function createStackHistory({ store, undoButton, redoButton }) {
  const undos = [],
    redos = [];
  let current = snapshot(store.get());
  let lastOption = null; // the option field the last step was typing into
  let restoring = false;

  const render = () => {
    undoButton.disabled = !undos.length;
    redoButton.disabled = !redos.length;
  };

  store.subscribe((s, reason) => {
    if (restoring || !EDITS.has(reason)) return;
    const next = snapshot(s);
    if (same(next, current)) return;
    const option = reason === 'option' ? changedOption(current, next) : null;
    if (!(option && option === lastOption)) {
      undos.push(current);
      if (undos.length > LIMIT) undos.shift();
    }
    lastOption = option;
    redos.length = 0;
    current = next;
    render();
  });

  const go = (from, to) => {
    if (!from.length) return;
    to.push(current);
    current = from.pop();
    lastOption = null;
    restoring = true;
    try {
      store.update(
        (s) => ({ ...s, layers: structuredClone(current.layers), preset: current.preset }),
        'undo',
      );
    } finally {
      restoring = false;
    }
    render();
  };
  const undo = () => go(undos, redos);
  const redo = () => go(redos, undos);

  undoButton.addEventListener('click', undo);
  redoButton.addEventListener('click', redo);
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.defaultPrevented) return;
    const key = e.key.toLowerCase();
    if (key !== 'z' && key !== 'y') return;
    const t = e.target;
    // text fields keep their own undo; the pad undoes its strokes
    if (t.closest?.('input:not([type=checkbox]):not([type=file]), textarea, [contenteditable], canvas'))
      return;
    e.preventDefault();
    if (key === 'y' || e.shiftKey) redo();
    else undo();
  });
  render();
  return { undo, redo };
}
