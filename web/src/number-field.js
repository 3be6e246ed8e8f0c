// Number fields that never ignore what was typed: the text stays as typed,
// a value outside the stated range (or not a number at all) is marked with
// its own message next to the field, naming the range, and only a valid
// value is handed on. The page keeps one registry of invalid fields, so the
// run controls can wait until every field is fixed.
//
// The fields are text inputs (inputmode decimal) rather than type=number:
// a number input shows "-" or "1e400" while its value reads '', so what the
// page computed with could differ from what the learner sees.
import { el } from './images.js';

const invalid = new Map(); // input → message, for fields in the page
const listeners = new Set();

const rangeText = ({ min, max, integer }) =>
  `${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`;

// Plain decimal and exponent forms, and a fraction a/b (the kernel lab's 1/9).
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads one typed value: { ok, value } or { ok: false, message }. */
export function checkNumber(text, rule) {
  const raw = String(text).trim().replace('−', '-');
  const parts = rule.fractions ? raw.split('/') : [raw];
  let value = NaN;
  if (parts.length <= 2 && parts.every((p) => NUMBER.test(p.trim())))
    value = parts.length === 2 ? Number(parts[0]) / Number(parts[1]) : Number(parts[0]);
  const label = rule.label ?? 'this field';
  if (raw === '') return { ok: false, message: `${label} is empty: enter ${rangeText(rule)}` };
  if (!Number.isFinite(value))
    return { ok: false, message: `“${raw}” is not a number: enter ${rangeText(rule)}` };
  if (value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value)))
    return { ok: false, message: `${label} must be ${rangeText(rule)} (you typed ${raw})` };
  return { ok: true, value };
}

const sizesText = ({ counts, min, max, minusOne }) =>
  `${counts.join(', ').replace(/, (\d+)$/, ' or $1')} whole number${counts.at(-1) === 1 ? '' : 's'} ` +
  `from ${min} to ${max}${minusOne ? ' (one may be −1: the rest of the values)' : ''}, like ` +
  (counts.includes(2) ? '2×3' : '7×7×16');

/**
 * Reads a list of sizes typed as "7×7×16", "7x7x16", "7, 7, 16" or "2":
 * rule { label, counts (allowed lengths), min, max, minusOne? }. One number
 * is handed on as a number, more as an array.
 */
export function checkSizes(text, rule) {
  const raw = String(text).trim().replaceAll('−', '-');
  const label = rule.label ?? 'this field';
  const parts = raw === '' ? [] : raw.split(/\s*[×x,\s]\s*/i);
  if (!parts.length) return { ok: false, message: `${label} is empty: enter ${sizesText(rule)}` };
  const values = parts.map((p) => (/^-?\d+$/.test(p) ? Number(p) : NaN));
  const unknowns = values.filter((v) => v === -1).length;
  const inRange = (v) => (v >= rule.min && v <= rule.max) || (rule.minusOne && v === -1);
  if (!rule.counts.includes(values.length) || !values.every(inRange) || unknowns > 1)
    return { ok: false, message: `${label} must be ${sizesText(rule)} (you typed ${raw})` };
  if (values.length === 1 && !rule.alwaysList) return { ok: true, value: values[0] };
  // four sides are [[top, bottom], [left, right]], as tfjs writes them
  if (rule.pairs && values.length === 4) return { ok: true, value: [values.slice(0, 2), values.slice(2)] };
  return { ok: true, value: values };
}

// How a sizes field shows a value: [[1, 2], [3, 4]] as 1×2×3×4.
const sizesValue = (v) => (Array.isArray(v) ? v.flat().join('×') : String(v));

function notify() {
  for (const input of [...invalid.keys()]) if (!input.isConnected) invalid.delete(input);
  for (const fn of listeners) fn();
}

/** The invalid fields now on the page, with their labels and messages. */
export function invalidFields() {
  for (const input of [...invalid.keys()]) if (!input.isConnected) invalid.delete(input);
  return (
    [...invalid.entries()]
      // a field hidden with its label (another optimizer's option) is not in use; a hidden tab's still is
      .filter(([input]) => !input.closest('label[hidden]'))
      .map(([input, message]) => ({ input, message }))
  );
}

export function onValidityChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * A number field with its message. rule: { label, min, max, integer?, step?,
 * fractions? }, or a sizes field with rule { label, counts, min, max,
 * minusOne?, alwaysList?, pairs? } (checkSizes). onValid(value) runs for each valid edit (on `event`, 'input'
 * by default). Returns { input, message, set(value), check() }.
 */
export function createNumberField({
  id,
  rule,
  value,
  event = 'input',
  onValid = () => {},
  attrs = {},
  gatesTraining = true,
}) {
  const messageId = attrs['aria-describedby'] ?? `${id}-message`;
  const input = el('input', {
    id,
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-min': rule.min,
    'data-max': rule.max,
    ...attrs,
    'aria-describedby': messageId,
  });
  const message = el('span', {
    class: 'field-message',
    id: `${id}-message`,
    'aria-live': 'polite',
    hidden: true,
  });

  const mark = (result) => {
    input.classList.toggle('invalid-input', !result.ok);
    input.setAttribute('aria-invalid', String(!result.ok));
    message.hidden = result.ok;
    message.textContent = result.ok ? '' : result.message;
    if (!gatesTraining) return;
    if (result.ok) invalid.delete(input);
    else invalid.set(input, result.message);
    notify();
  };
  const read = rule.counts ? checkSizes : checkNumber;
  const check = () => {
    const result = read(input.value, rule);
    mark(result);
    return result;
  };
  input.addEventListener(event, () => {
    const result = check();
    if (result.ok) onValid(result.value);
  });
  if (event !== 'input') input.addEventListener('input', () => check()); // marked as it is typed
  // ↑/↓ step the value as a number input would, within the range
  input.addEventListener('keydown', (e) => {
    if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || rule.counts) return;
    const now = checkNumber(input.value, { ...rule, min: -Infinity, max: Infinity, integer: false });
    if (!now.ok) return;
    e.preventDefault();
    const step = Number(rule.step) || 1;
    const next = Math.min(rule.max, Math.max(rule.min, now.value + (e.key === 'ArrowUp' ? step : -step)));
    input.value = String(Number(next.toPrecision(12)));
    input.dispatchEvent(new Event('input'));
    if (event !== 'input') input.dispatchEvent(new Event(event));
  });

  const set = (v) => {
    input.value = v === undefined || v === null ? '' : rule.counts ? sizesValue(v) : String(v);
    mark({ ok: true });
  };
  set(value);
  return { input, message, set, check, rule };
}

export { rangeText };
