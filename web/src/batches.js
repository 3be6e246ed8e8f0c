// Minibatches from a decoded dataset: a seeded shuffle per epoch and gathers
// of images (as floats in [0, 1], NHWC) and labels by index.

/** A permutation of 0..n-1 from a small seeded generator (mulberry32). */
export function shuffled(n, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Images at `indices` as Float32Array (n, H, W, C). */
export function gatherImages(ds, indices, out) {
  const size = ds.height * ds.width * ds.channels;
  const x = out ?? new Float32Array(indices.length * size);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * size;
    for (let i = 0; i < size; i++) x[b * size + i] = ds.pixels[src + i] / 255;
  }
  return x;
}

export function gatherLabels(ds, indices) {
  const y = new Int32Array(indices.length);
  for (let b = 0; b < indices.length; b++) y[b] = ds.labels[indices[b]];
  return y;
}
