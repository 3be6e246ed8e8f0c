// The dataset as the worker keeps it: sent once (cl.upload, buffers
// transferred) as floats in [0, 1], so every fit, evaluation and prediction
// refers to it instead of copying it again.
import { imagesAsFloat, labelsAsInt } from '../../bindings/dataset.js';
import { gatherImages, gatherLabels } from './batches.js';
import { noisyImages, TASKS } from './tasks.js';

const SUBSET = 300; // examples in each fixed sample the live chart evaluates
export const VAL_NOISE_SEED = 2; // the validation images' noise (denoise), also shown in See inside

/**
 * Resolves { train, val, trainSample, valSample }, each { x, y } upload
 * handles, plus valLabels and valSampleLabels (kept here for the reports
 * and the health checks) and release().
 * For the denoise task (tasks.js) x is a seeded noisy copy of the images and
 * y the clean images.
 */
export async function uploadDataset(cl, ds, task = 'classify') {
  const shape = [ds.height, ds.width, ds.channels];
  const denoise = task === 'denoise';
  const trainN = ds.trainCount,
    valN = ds.count - ds.trainCount;
  const send = (clean, n, labels, seed) =>
    Promise.all([
      cl.upload(
        { data: denoise ? noisyImages(clean, TASKS.denoise.noise, seed) : clean, shape: [n, ...shape] },
        { transfer: true },
      ),
      cl.upload(denoise ? { data: clean, shape: [n, ...shape] } : labels, { transfer: true }),
    ]).then(([ux, uy]) => ({ x: ux, y: uy }));
  const sampleN = Math.min(SUBSET, valN, trainN);
  const spread = Int32Array.from({ length: sampleN }, (_, i) => (i * 7919) % trainN); // across the classes, fixed
  const [train, val, trainSample, valSample] = await Promise.all([
    send(imagesAsFloat(ds, 0, trainN), trainN, labelsAsInt(ds, 0, trainN), 1),
    send(imagesAsFloat(ds, trainN, valN), valN, labelsAsInt(ds, trainN, valN), VAL_NOISE_SEED),
    send(gatherImages(ds, spread), sampleN, gatherLabels(ds, spread), 3),
    // the first validation images with the noise the full validation set has
    send(imagesAsFloat(ds, trainN, sampleN), sampleN, labelsAsInt(ds, trainN, sampleN), VAL_NOISE_SEED),
  ]);
  const parts = [train, val, trainSample, valSample];
  return {
    train,
    val,
    trainSample,
    valSample,
    valLabels: labelsAsInt(ds, trainN, valN),
    // the validation sample is the validation set's first sampleN examples
    valSampleLabels: labelsAsInt(ds, trainN, sampleN),
    release: () => Promise.all(parts.flatMap((p) => [p.x.release(), p.y.release()])).catch(() => {}),
  };
}
