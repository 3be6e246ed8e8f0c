// Hyperparameters: optimizer, learning rate, the chosen optimizer's own
// options (momentum; Adam's β₁, β₂), batch size, epochs, L2. Edits go to the
// state (and the URL); the trainer applies them (see the panel's note).
import { BATCH_SIZES, OPTIMIZERS } from './state.js';
import { el } from './images.js';
import { createNumberField } from './number-field.js';
import { guardRunControls } from './run-guard.js';

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
    live: true, // the run bar's "Epoch 0 of N" follows each valid value as it is typed
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
  form.addEventListener('submit', (e) => e.preventDefault()); // Enter in a field must not reload the page
  const inputs = {},
    fields = {},
    numberFields = {},
    shown = {}; // the state value each field last showed: a different one came from elsewhere
  for (const f of FIELDS) {
    const id = `hyper-${f.key}`;
    let input;
    const apply = (value) =>
      store.update((s) => {
        s.hyper[f.key] = value;
        return s;
      }, 'hyper');
    if (f.kind === 'select') {
      input = el('select', { id });
      for (const v of f.values) input.append(el('option', { value: v, text: String(v) }));
      input.addEventListener('change', () =>
        apply(f.key === 'optimizer' ? input.value : Number(input.value)),
      );
    } else {
      numberFields[f.key] = createNumberField({
        id,
        rule: { label: f.label, min: f.min, max: f.max, integer: f.integer, step: f.step },
        event: f.live ? 'input' : 'change',
        onValid: apply,
      });
      input = numberFields[f.key].input;
    }
    inputs[f.key] = input;
    fields[f.key] = el(
      'label',
      { class: 'field', for: id },
      el('span', { class: 'field-label', text: f.label }),
      input,
      numberFields[f.key]?.message,
      el('span', { class: 'help', text: f.help }),
    );
    form.append(fields[f.key]);
  }
  const render = (s) => {
    for (const f of FIELDS) {
      // an option of another optimizer would only mislead
      fields[f.key].hidden = !!f.only && !f.only.includes(s.hyper.optimizer);
      const value = s.hyper[f.key];
      if (shown[f.key] === value && shown[f.key] !== undefined) continue; // keep what the learner typed
      shown[f.key] = value;
      if (numberFields[f.key]) numberFields[f.key].set(value);
      else inputs[f.key].value = value ?? '';
    }
    renderInEffect(s.hyper);
  };
  store.subscribe(render);
  render(store.get());
  // every number field of the page (these, the layers', the kernel lab's) gates Train and Step
  guardRunControls();
}

// The run bar states the values training uses now, whatever a field shows.
function renderInEffect(h) {
  const out = document.getElementById('hyper-effect');
  if (!out) return;
  const parts = [h.optimizer, `lr ${h.learningRate}`];
  if (h.optimizer === 'momentum' || h.optimizer === 'rmsprop') parts.push(`momentum ${h.momentum}`);
  if (h.optimizer === 'adam') parts.push(`β₁ ${h.beta1}`, `β₂ ${h.beta2}`);
  parts.push(`batch ${h.batchSize}`, `${h.epochs} epoch${Number(h.epochs) === 1 ? '' : 's'}`, `L2 ${h.l2}`);
  out.textContent = `In effect: ${parts.join(' · ')}`;
}
