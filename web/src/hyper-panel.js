// Hyperparameters: optimizer, learning rate, the chosen optimizer's own
// options (momentum; Adam's β₁, β₂), batch size, epochs, L2. Edits go to the
// state (and the URL); the trainer applies them (see the panel's note).
import { BATCH_SIZES, OPTIMIZERS } from './state.js';
import { el } from './images.js';

const FIELDS = [
  {
    key: 'optimizer',
    label: 'Optimizer',
    kind: 'select',
    values: OPTIMIZERS,
    help: 'how the gradient turns into a weight update',
  },
  {
    key: 'learningRate',
    label: 'Learning rate',
    kind: 'number',
    min: 0.00001,
    max: 10,
    step: 'any',
    help: 'step size; too large and the loss explodes',
  },
  {
    key: 'momentum',
    label: 'Momentum',
    kind: 'number',
    min: 0,
    max: 0.999,
    step: 0.05,
    help: 'how much of the last step carries on',
    only: ['momentum', 'rmsprop'],
  },
  {
    key: 'beta1',
    label: 'Adam β₁',
    kind: 'number',
    min: 0,
    max: 0.999,
    step: 0.01,
    help: 'decay of the running mean of gradients',
    only: ['adam'],
  },
  {
    key: 'beta2',
    label: 'Adam β₂',
    kind: 'number',
    min: 0,
    max: 0.9999,
    step: 0.001,
    help: 'decay of the running mean of squared gradients',
    only: ['adam'],
  },
  { key: 'batchSize', label: 'Batch size', kind: 'select', values: BATCH_SIZES, help: 'examples per step' },
  {
    key: 'epochs',
    label: 'Epochs',
    kind: 'number',
    min: 1,
    max: 50,
    step: 1,
    integer: true,
    help: 'passes over the training set per Train',
  },
  {
    key: 'l2',
    label: 'L2 weight decay',
    kind: 'number',
    min: 0,
    max: 1,
    step: 'any',
    help: 'pulls weights towards zero',
  },
];

export function createHyperPanel({ store }) {
  const form = document.getElementById('hyper');
  const inputs = {},
    fields = {};
  for (const f of FIELDS) {
    const id = `hyper-${f.key}`;
    let input;
    if (f.kind === 'select') {
      input = el('select', { id });
      for (const v of f.values) input.append(el('option', { value: v, text: String(v) }));
    } else {
      input = el('input', { id, type: 'number', min: f.min, max: f.max, step: f.step, inputmode: 'decimal' });
    }
    input.addEventListener('change', () => {
      const raw = input.value;
      const value = f.key === 'optimizer' ? raw : Number(raw);
      if (
        f.kind === 'number' &&
        !(
          Number.isFinite(value) &&
          value >= f.min &&
          (f.max === undefined || value <= f.max) &&
          (!f.integer || Number.isInteger(value))
        )
      ) {
        input.setCustomValidity(
          `${f.label} must be ${f.integer ? 'a whole number ' : ''}between ${f.min} and ${f.max}`,
        );
        input.reportValidity();
        return;
      }
      input.setCustomValidity('');
      store.update((s) => {
        s.hyper[f.key] = value;
        return s;
      }, 'hyper');
    });
    inputs[f.key] = input;
    fields[f.key] = el(
      'label',
      { class: 'field', for: id },
      el('span', { class: 'field-label', text: f.label }),
      input,
      el('span', { class: 'help', text: f.help }),
    );
    form.append(fields[f.key]);
  }
  const render = (s) => {
    for (const f of FIELDS) {
      // an option of another optimizer would only mislead
      fields[f.key].hidden = !!f.only && !f.only.includes(s.hyper.optimizer);
      if (document.activeElement !== inputs[f.key]) inputs[f.key].value = s.hyper[f.key] ?? '';
    }
  };
  store.subscribe(render);
  render(store.get());
}
