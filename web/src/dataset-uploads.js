// The dataset as the worker keeps it: sent once (cl.upload, buffers
// transferred) as floats in [0, 1], so every fit, evaluation and prediction
// refers to it instead of copying it again.
import { imagesAsFloat, labelsAsInt } from '../../bindings/dataset.js';
import { gatherImages, gatherLabels } from './batches.js';

const SUBSET = 300; // examples in each fixed sample the live chart evaluates

/**
 * Resolves { train, val, trainSample, valSample }, each { x, y } upload
 * handles, plus valLabels (kept here for the epoch report) and release().
 */
export async function uploadDataset(cl, ds) {
  const shape = [ds.height, ds.width, ds.channels];
  const trainN = ds.trainCount,
    valN = ds.count - ds.trainCount;
  const send = (x, n, y) =>
    Promise.all([
      cl.upload({ data: x, shape: [n, ...shape] }, { transfer: true }),
      cl.upload(y, { transfer: true }),
    ]).then(([ux, uy]) => ({ x: ux, y: uy }));
  const sampleN = Math.min(SUBSET, valN, trainN);
  const spread = Int32Array.from({ length: sampleN }, (_, i) => (i * 7919) % trainN); // across the classes, fixed
  const [train, val, trainSample, valSample] = await Promise.all([
    send(imagesAsFloat(ds, 0, trainN), trainN, labelsAsInt(ds, 0, trainN)),
    send(imagesAsFloat(ds, trainN, valN), valN, labelsAsInt(ds, trainN, valN)),
    send(gatherImages(ds, spread), sampleN, gatherLabels(ds, spread)),
    send(imagesAsFloat(ds, trainN, sampleN), sampleN, labelsAsInt(ds, trainN, sampleN)),
  ]);
  const parts = [train, val, trainSample, valSample];
  return {
    train,
    val,
    trainSample,
    valSample,
    valLabels: labelsAsInt(ds, trainN, valN),
    release: () => Promise.all(parts.flatMap((p) => [p.x.release(), p.y.release()])).catch(() => {}),
  };
}
