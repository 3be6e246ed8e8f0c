// predict returns what the layers compute: a net whose last layer is linear
// and that trains with a categorical cross-entropy (fromLogits) gives logits.
// The page shows them as probabilities through a softmax, and says so.
// net: { spec, compile } as the trainer keeps it.

export function readsLogits(net) {
  const last = net?.spec?.layers?.at(-1);
  const loss = net?.compile?.loss ?? 'categoricalCrossentropy';
  const linear = !!last && 'units' in last && (last.activation ?? 'linear') === 'linear';
  return linear && /categoricalCrossentropy$/.test(loss) && net.compile?.fromLogits !== false;
}

/** data (rows of k) as probabilities: a softmax per row when the net gives logits, else data itself. */
export function asProbabilities(net, data, k) {
  if (!readsLogits(net)) return data;
  const out = new Float32Array(data.length);
  for (let r = 0; r < data.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) max = Math.max(max, data[r + j]);
    let sum = 0;
    for (let j = 0; j < k; j++) sum += out[r + j] = Math.exp(data[r + j] - max);
    for (let j = 0; j < k; j++) out[r + j] /= sum;
  }
  return out;
}
