// Numbers for people: a loss that blows up to 3e+21 must not print 22
// digits into a stat box, and chart ticks need as many decimals as their
// step, no more, no fewer.

/** A loss or similar: 4 decimals in the usual range, else 3 significant digits with an exponent. */
export function formatMetric(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return v.toExponential(2);
  return v.toFixed(4);
}

/** Tick labels for a chart axis whose ticks are `step` apart. */
export function formatTicks(values, step) {
  const top = Math.max(...values.map((v) => Math.abs(v ?? 0)));
  if (top >= 1e5)
    return values.map((v) => (v == null ? '' : v === 0 ? '0' : v.toExponential(1).replace('e+', 'e')));
  const decimals = step > 0 ? Math.min(10, Math.max(0, -Math.floor(Math.log10(step) + 1e-9))) : 0;
  return values.map((v) => (v == null ? '' : v.toFixed(decimals)));
}

const percent = (v) => `${(v * 100).toFixed(1)} %`;

/**
 * An accuracy with what it was measured on: the whole validation set
 * ("95.9 %", " on all 2,000") or a sample of it, during an epoch ("≈ 99 %",
 * " on 300 samples"). basis: { checked, valCount, full }; without one (an
 * old save) the bare figure. Returns [figure, basis text].
 */
export function accuracyParts(acc, basis) {
  if (!basis?.checked) return [percent(acc), ''];
  if (basis.full) return [percent(acc), ` on all ${basis.checked.toLocaleString('en')}`];
  return [`≈ ${Math.round(acc * 100)} %`, ` on ${basis.checked.toLocaleString('en')} samples`];
}

export const accuracyText = (acc, basis) => accuracyParts(acc, basis).join('');
