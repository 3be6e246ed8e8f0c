// The benchmark's data: the 10,000 MNIST digits of data/mnist.cldata (the
// first 8,000 train, the last 2,000 are held out), as one Float32Array of
// NHWC images and one Int32Array of labels, shared by every contender.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDataset, imagesAsFloat, labelsAsInt } from '../../bindings/dataset.js';

export function loadMnist(root) {
  const ds = decodeDataset(readFileSync(join(root, 'data', 'mnist.cldata')));
  return {
    count: ds.count,
    trainCount: ds.trainCount,
    shape: [ds.height, ds.width, ds.channels],
    size: ds.height * ds.width * ds.channels,
    images: imagesAsFloat(ds, 0, ds.count),
    labels: labelsAsInt(ds, 0, ds.count),
  };
}

// The native contender reads images then labels from one raw file.
export function writeRaw(data, path) {
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from(data.images.buffer, data.images.byteOffset, data.images.byteLength),
      Buffer.from(data.labels.buffer, data.labels.byteOffset, data.labels.byteLength),
    ]),
  );
}
