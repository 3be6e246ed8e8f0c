// Train and Step wait while any field on the page holds a value that was
// not taken: training with the old value while the field shows the new one
// would teach the wrong cause and effect. The run bar says which fields wait.
//
// The run controls' own state (engine ready, running) is set elsewhere; the
// observer re-applies this guard whenever that code enables them again.
import { invalidFields, onValidityChange } from './number-field.js';

const GUARDED = ['start', 'step'];

export function guardRunControls() {
  const note = document.getElementById('input-problems');
  const buttons = GUARDED.map((id) => document.getElementById(id));
  const own = new Map(buttons.map((b) => [b, 0])); // the guard's own changes not yet observed
  const setDisabled = (b, disabled) => {
    if (b.disabled === disabled) return;
    own.set(b, own.get(b) + 1);
    b.disabled = disabled;
  };

  const apply = () => {
    const bad = invalidFields();
    for (const b of buttons) {
      if (bad.length && !b.disabled) {
        b.dataset.guarded = 'true'; // enabled by its owner: give it back once the fields are fixed
        setDisabled(b, true);
      } else if (!bad.length && b.dataset.guarded) {
        delete b.dataset.guarded;
        setDisabled(b, false);
      }
    }
    note.hidden = !bad.length;
    note.textContent = bad.length
      ? `Train and Step wait for ${bad.length === 1 ? 'this field' : `${bad.length} fields`}: ` +
        bad.map(({ input, message }) => `${fieldName(input)} — ${message}`).join('; ')
      : '';
  };

  // the owner of a button changed it: disabling wins, enabling waits for the fields
  const observer = new MutationObserver((records) => {
    for (const { target: b } of records) {
      if (own.get(b) > 0) {
        own.set(b, own.get(b) - 1);
        continue;
      }
      if (b.disabled) delete b.dataset.guarded;
    }
    apply();
  });
  for (const b of buttons) observer.observe(b, { attributes: true, attributeFilter: ['disabled'] });
  onValidityChange(apply);
  // a hidden field (another optimizer's option) stops counting when it hides
  document.addEventListener('change', () => queueMicrotask(apply));
  apply();
}

function fieldName(input) {
  if (input.dataset.fieldName) return input.dataset.fieldName;
  const label = input.labels?.[0]?.querySelector('span')?.textContent ?? input.getAttribute('aria-label');
  return label ?? input.id;
}
