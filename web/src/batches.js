// Minibatches from a decoded dataset: a seeded shuffle per epoch and gathers
// of images (as floats in [0, 1], NHWC) and labels by index.
import { permutation, seededRandom } from '../../bindings/seeded-random.js';

/** A permutation of 0..n-1, the same for the same seed. */
export const shuffled = (n, seed) => permutation(n, seededRandom(seed));

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
