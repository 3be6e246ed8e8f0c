// What the net learns from a dataset. 'classify': one class per image, a
// cross-entropy on the net's K outputs. 'denoise': a noisy copy of each
// image in, the clean image out, mean squared error over every pixel (an
// autoencoder's task; the net must end in the input's own shape).
import { gaussian, seededRandom } from '../../bindings/seeded-random.js';

export const TASKS = {
  classify: { name: 'Classify the images', loss: 'categoricalCrossentropy' },
  denoise: { name: 'Denoise the images', loss: 'meanSquaredError', noise: 0.4 },
};
export const DEFAULT_TASK = 'classify';

export const taskOf = (key) => TASKS[key] ?? TASKS[DEFAULT_TASK];

/**
 * A noisy copy of images in [0, 1]: Gaussian noise of deviation sigma,
 * clipped to [0, 1]. Seeded, so a dataset's noisy copy (and the validation
 * loss measured on it) is the same on every visit.
 */
export function noisyImages(clean, sigma, seed) {
  const rng = seededRandom(seed);
  const out = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) out[i] = Math.min(1, Math.max(0, clean[i] + sigma * gaussian(rng)));
  return out;
}

/**
 * Why a built net does not fit the task, or null. outputShape: the engine's
 * (a [k] vector or an [h, w, c] map); inputShape: the dataset's [h, w, c];
 * classes: the dataset's class count.
 */
export function outputProblem(task, outputShape, inputShape, classes) {
  const shown = outputShape.join('×');
  if (task === 'denoise') {
    if (outputShape.join('×') === inputShape.join('×')) return null;
    return (
      `the net ends in ${shown}, but denoising gives back the ${inputShape.join('×')} image: end in a ` +
      `map of the input's size (for example Conv2D with ${inputShape[2]} filter${inputShape[2] === 1 ? '' : 's'}, ` +
      `'same' padding and a sigmoid, after upsampling back to ${inputShape[0]}×${inputShape[1]})`
    );
  }
  if (!classes) return null;
  // a feature map is a valid output (a per-pixel answer), but these datasets have one label per image
  if (outputShape.length !== 1)
    return (
      `the net ends in a ${shown} map, but the dataset has one label per image; add Flatten (or a global ` +
      `pooling layer) before the last Dense layer so the net ends in ${classes} outputs`
    );
  if (outputShape[0] !== classes)
    return (
      `the net ends in ${outputShape[0]} output${outputShape[0] === 1 ? '' : 's'}, but the dataset has ` +
      `${classes} classes; the last layer needs ${classes} units`
    );
  return null;
}
