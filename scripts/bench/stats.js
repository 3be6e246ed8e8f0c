// Medians and spreads of per-round samples.
export function summarize(samples) {
  const s = samples.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

export const median = (samples) => summarize(samples)?.median ?? NaN;
