// cl.dataset(): every validation error with its own message and field, the
// .cldata round trip (and the codec's checks through datasetFromBytes),
// augmentation (reproducible, geometry on a test pattern, stored images
// untouched, exactly what fit trains on) and training on a dataset, in
// process and through convolab/worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConvolab, InputError } from '../../bindings/convolab.js';
import { loadConvolabWorker } from '../../bindings/worker.js';
import { augmentSeedFor } from '../../bindings/augment.js';

const cl = await loadConvolab();

// Three classes of 6x6 images a dense net tells apart: a bright row, column or diagonal.
function toyImages(perClass, seed = 1) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const n = perClass * 3;
  const images = new Uint8Array(n * 36);
  const labels = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3,
      at = 1 + Math.floor(rnd() * 4);
    labels.push(k);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++) {
        const on = k === 0 ? y === at : k === 1 ? x === at : x === y;
        images[i * 36 + y * 6 + x] = on ? 180 + Math.floor(rnd() * 75) : Math.floor(rnd() * 40);
      }
  }
  return { images, labels, shape: [6, 6, 1], classNames: ['row', 'column', 'diagonal'] };
}
const TOY_NET = {
  inputShape: [6, 6, 1],
  layers: [
    { type: 'flatten' },
    { type: 'dense', units: 16, activation: 'relu' },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
};

test('cl.dataset keeps copies of valid arrays and describes them', () => {
  const spec = toyImages(4);
  const ds = cl.dataset({ ...spec, name: 'toy', trainCount: 9 });
  assert.equal(ds.count, 12);
  assert.equal(ds.classes, 3);
  assert.deepEqual(ds.shape, [6, 6, 1]);
  assert.equal(ds.trainCount, 9);
  assert.equal(ds.name, 'toy');
  assert.deepEqual(ds.classCounts(), [4, 4, 4]);
  const before = ds.images.slice();
  spec.images.fill(7); // the caller's array changes; the dataset does not
  spec.labels[0] = 2;
  assert.deepEqual(ds.images, before);
  assert.equal(ds.labels[0], 0);
  assert.equal(ds.inputs()[0], Math.fround(before[0] / 255));
  const floats = cl.dataset({ ...toyImages(2), images: new Float32Array(6 * 36).fill(0.5) });
  assert.ok(floats.images instanceof Float32Array);
  assert.equal(floats.trainCount, 6); // default: every example trains
});

test('every problem in a dataset spec is its own InputError naming the field', () => {
  const good = toyImages(2); // 6 images
  const cases = [
    [{ ...good, images: [1, 2, 3] }, 'images', /Uint8Array \(0–255\) or a Float32Array/],
    [
      { ...good, images: new Uint8Array(6 * 36 + 5) },
      'images',
      /216 \+ 5|221 values, not a whole number of images of 36/,
    ],
    [{ ...good, images: new Uint8Array(0) }, 'images', /0 values/],
    [{ ...good, labels: [0, 1, 2, 0, 1] }, 'labels', /holds 6 images but 'labels' has 5 labels/],
    [{ ...good, labels: [0, 1, 3, 0, 1, 2] }, 'labels', /label 2 is 3, outside the class indices 0\.\.2/],
    [{ ...good, labels: [0, 1, -1, 0, 1, 2] }, 'labels', /label 2 is -1, outside/],
    [{ ...good, labels: [0, 1.5, 2, 0, 1, 2] }, 'labels', /label 1 is 1\.5, not a whole class index/],
    [{ ...good, labels: 'abc' }, 'labels', /list or typed array of class indices/],
    [{ ...good, shape: [6, 0, 1] }, 'shape', /width must be at least 1, got 0/],
    [{ ...good, shape: [-6, 6, 1] }, 'shape', /height must be at least 1, got -6/],
    [{ ...good, shape: [6, 6, 1.5] }, 'shape', /channels must be a whole number/],
    [{ ...good, shape: [6, 6] }, 'shape', /\[height, width, channels\]/],
    [{ ...good, classNames: ['only'] }, 'classNames', /at least 2 classes, got 1/],
    [{ ...good, classNames: ['a', 'b', 'a'] }, 'classNames', /unique; "a" is both class 0 and class 2/],
    [{ ...good, classNames: ['a', '', 'c'] }, 'classNames', /class name 1 must be a non-empty string/],
    [
      { ...good, images: new Float32Array(6 * 36).fill(0.5).fill(NaN, 40, 41) },
      'images',
      /pixel 4 of image 1 is NaN/,
    ],
    [
      { ...good, images: new Float32Array(6 * 36).fill(1.5) },
      'images',
      /pixel 0 of image 0 is 1\.5, outside 0\.\.1/,
    ],
    [{ ...good, trainCount: 0 }, 'trainCount', /whole number in 1\.\.6, got 0/],
    [{ ...good, trainCount: 7 }, 'trainCount', /got 7/],
    [{ ...good, name: 3 }, 'name', /'name' must be a string/],
    [{ ...good, label: [] }, 'label', /unknown option 'label'/],
  ];
  for (const [spec, option, message] of cases) {
    assert.throws(
      () => cl.dataset(spec),
      (e) => e instanceof InputError && e.option === option && message.test(e.message),
      `expected ${option}: ${message}`,
    );
  }
  assert.throws(() => cl.dataset(null), InputError);
});

test('toBytes / datasetFromBytes round-trip through .cldata, and the codec still refuses bad files', () => {
  const ds = cl.dataset({ ...toyImages(3), name: 'toy', trainCount: 7 });
  const bytes = ds.toBytes();
  assert.equal(String.fromCharCode(...bytes.subarray(0, 4)), 'CLDS');
  const back = cl.datasetFromBytes(bytes);
  assert.deepEqual(
    [back.name, [...back.classNames], [...back.shape], back.count, back.trainCount],
    ['toy', ['row', 'column', 'diagonal'], [6, 6, 1], 9, 7],
  );
  assert.deepEqual(back.images, ds.images);
  assert.deepEqual(back.labels, ds.labels);
  assert.deepEqual(back.toBytes(), bytes);
  // float images are rounded to bytes
  const f = cl.dataset({ ...toyImages(1), images: new Float32Array(3 * 36).fill(0.5) });
  assert.equal(cl.datasetFromBytes(f.toBytes()).images[0], 128);

  const refused = (b, message) =>
    assert.throws(
      () => cl.datasetFromBytes(b),
      (e) => e instanceof InputError && e.option === 'bytes' && message.test(e.message),
    );
  refused(bytes.subarray(0, bytes.length - 10), /truncated/);
  const flipped = bytes.slice();
  flipped[bytes.length - 20] ^= 1;
  refused(flipped, /checksum/);
  const lying = bytes.slice();
  new DataView(lying.buffer).setUint32(8, 10, true); // the header claims 10 images
  refused(lying, /truncated/);
  refused(new Uint8Array(40), /CLDS/);
  assert.throws(() => cl.datasetFromBytes('CLDS'), InputError);
});

test('augmentation options are checked, each with its own error', () => {
  const img = new Float32Array(36);
  for (const [aug, option] of [
    [{ shift: -1 }, 'augment.shift'],
    [{ shift: 1.5 }, 'augment.shift'],
    [{ rotate: 200 }, 'augment.rotate'],
    [{ scale: [1.2, 0.8] }, 'augment.scale'],
    [{ scale: [0, 1] }, 'augment.scale'],
    [{ scale: 1 }, 'augment.scale'],
    [{ flipHorizontal: 'yes' }, 'augment.flipHorizontal'],
    [{ noise: -0.1 }, 'augment.noise'],
    [{ noize: 0.1 }, 'augment.noize'],
  ])
    assert.throws(
      () => cl.augment(img, [6, 6, 1], aug),
      (e) => e instanceof InputError && e.option === option,
      JSON.stringify(aug),
    );
});

test('a shift of 2 moves a pixel by whole pixels, at most 2, keeping its value; flips mirror', () => {
  const n = 200;
  const images = new Float32Array(n * 81); // 9x9, one bright pixel at (row 4, col 3)
  for (let i = 0; i < n; i++) images[i * 81 + 4 * 9 + 3] = 1;
  const out = cl.augment(images, [9, 9, 1], { shift: 2 }, { seed: 5 });
  const seen = new Set();
  for (let i = 0; i < n; i++) {
    const img = out.subarray(i * 81, (i + 1) * 81);
    const at = img.indexOf(1);
    assert.ok(at >= 0, `image ${i}: the pixel kept its value`);
    assert.equal(
      img.reduce((a, b) => a + b),
      1,
      `image ${i}: nothing else lit`,
    );
    const dy = Math.floor(at / 9) - 4,
      dx = (at % 9) - 3;
    assert.ok(Math.abs(dx) <= 2 && Math.abs(dy) <= 2, `moved by (${dx}, ${dy})`);
    seen.add(`${dx},${dy}`);
  }
  assert.equal(seen.size, 25, 'every shift in -2..2 x -2..2 happens');
  // a horizontal flip about the centre sends column 3 to column 5 (of 0..8)
  const flipped = cl.augment(images.subarray(0, 81 * 40), [9, 9, 1], { flipHorizontal: true }, { seed: 3 });
  const cols = new Set();
  for (let i = 0; i < 40; i++) cols.add(flipped.subarray(i * 81, (i + 1) * 81).indexOf(1) - 36);
  assert.deepEqual([...cols].sort(), [3, 5]);
  // a rotation keeps a pixel's distance from the centre (the value spreads bilinearly)
  const ring = new Float32Array(121 * 20); // 11x11, one pixel 4 px right of the centre (5, 5)
  for (let i = 0; i < 20; i++) ring[i * 121 + 5 * 11 + 9] = 1;
  const turned = cl.augment(ring, [11, 11, 1], { rotate: 90 }, { seed: 9 });
  const angles = [];
  for (let i = 0; i < 20; i++) {
    let mass = 0,
      mx = 0,
      my = 0;
    turned.subarray(i * 121, (i + 1) * 121).forEach((v, j) => {
      mass += v;
      mx += v * ((j % 11) - 5);
      my += v * (Math.floor(j / 11) - 5);
    });
    const r = Math.hypot(mx / mass, my / mass);
    assert.ok(r > 3.7 && r < 4.3, `image ${i}: centre of mass at radius ${r}`);
    angles.push((Math.atan2(my, mx) * 180) / Math.PI);
  }
  assert.ok(
    angles.every((a) => Math.abs(a) <= 91) && Math.max(...angles.map(Math.abs)) > 30,
    `angles ${angles}`,
  );
  // noise stays in 0..1
  const noisy = cl.augment(images.subarray(0, 81 * 4), [9, 9, 1], { noise: 0.5 }, { seed: 1 });
  assert.ok(noisy.every((v) => v >= 0 && v <= 1) && noisy.some((v) => v > 0 && v < 1));
});

test('the same seed gives the same augmented batches; another seed other ones', () => {
  const { images } = toyImages(4);
  const aug = { shift: 1, rotate: 15, scale: [0.9, 1.1], flipHorizontal: true, noise: 0.05 };
  const a = cl.augment(images, [6, 6, 1], aug, { seed: 11 });
  assert.deepEqual(cl.augment(images, [6, 6, 1], aug, { seed: 11 }), a);
  assert.notDeepEqual(cl.augment(images, [6, 6, 1], aug, { seed: 12 }), a);
  assert.deepEqual(
    cl.augment(images, [6, 6, 1], {}, { seed: 11 }),
    Float32Array.from(images, (v) => v / 255),
  );
});

test('fit augments each batch as cl.augment does, leaves the stored images alone, and repeats with its seed', async () => {
  const ds = cl.dataset(toyImages(4));
  const stored = ds.images.slice();
  const aug = { shift: 1, rotate: 10, noise: 0.02 };
  const run = async (options) => {
    const m = cl.sequential(TOY_NET, { seed: 3 });
    m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
    await m.fit(ds, { epochs: 1, batchSize: ds.count, shuffle: false, ...options });
    const p = m.getParams();
    m.dispose();
    return p;
  };
  const withAug = await run({ augment: aug, seed: 21 });
  assert.deepEqual(ds.images, stored);
  assert.deepEqual(await run({ augment: aug, seed: 21 }), withAug);
  assert.notDeepEqual(await run({ augment: aug, seed: 22 }), withAug);
  assert.notDeepEqual(await run({ seed: 21 }), withAug);
  // by hand: one step on cl.augment's batch gives the same weights
  const m = cl.sequential(TOY_NET, { seed: 3 });
  m.compile({ optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'categoricalCrossentropy' });
  const x = cl.augment(ds.inputs(), [6, 6, 1], aug, { seed: augmentSeedFor(21) });
  m.trainOnBatch({ data: x, shape: [ds.count, 6, 6, 1] }, ds.labelIndices());
  assert.deepEqual(m.getParams(), withAug);
  m.dispose();
  await assert.rejects(
    run({ augment: { shift: -2 } }),
    (e) => e instanceof InputError && e.option === 'augment.shift',
  );
});

test('a model trains on a cl.dataset: fit, evaluate, predict; validation held out per class', async () => {
  const ds = cl.dataset(toyImages(20));
  const m = cl.sequential(TOY_NET, { seed: 1 });
  m.compile({ optimizer: { type: 'adam', learningRate: 0.02 }, loss: 'categoricalCrossentropy' });
  const before = m.evaluate(ds).accuracy;
  const h = await m.fit(ds, { epochs: 15, validationSplit: 0.25, seed: 4, batchSize: 8 });
  assert.equal(h.history.val_acc.length, 15);
  const after = m.evaluate(ds);
  assert.ok(before < 0.6 && after.accuracy >= 0.95, `accuracy ${before} → ${after.accuracy}`);
  assert.ok(h.history.val_acc.at(-1) >= 0.9, `validation accuracy ${h.history.val_acc.at(-1)}`);
  const p = m.predict(ds);
  assert.deepEqual(p.shape, [60, 3]);
  // the split takes 5 of each class's 20 (labels cycle 0,1,2, so a tail split would not)
  let seenVal = 0;
  await m.fit(ds, { epochs: 1, validationSplit: 0.25, onEpochEnd: () => {}, validationData: undefined });
  await m.fit(ds, {
    epochs: 1,
    validationSplit: 0.25,
    onBatchEnd: (_b, logs) => (seenVal += logs.size),
  });
  assert.equal(seenVal, 45);
  // trainCount without validationSplit: the rest validates
  const split = cl.dataset({ ...toyImages(20), trainCount: 50 });
  let trained = 0;
  const h2 = await m.fit(split, { epochs: 1, onBatchEnd: (_b, logs) => (trained += logs.size) });
  assert.equal(trained, 50);
  assert.equal(h2.history.val_acc.length, 1);
  // a dataset that does not fit the model is refused, naming what differs
  const wide = cl.dataset({ ...toyImages(2), images: new Uint8Array(6 * 72), shape: [6, 12, 1] });
  await assert.rejects(
    m.fit(wide, { epochs: 1 }),
    (e) => e instanceof InputError && /6x12x1; the model expects 6x6x1/.test(e.message),
  );
  const four = cl.dataset({ ...toyImages(2), classNames: ['a', 'b', 'c', 'd'] });
  assert.throws(() => m.evaluate(four), /4 classes; the model's last layer has 3 units/);
  await assert.rejects(m.fit(ds, { validationSplit: 0.01 }), /leaves none to validate/);
  m.dispose();
});

test('convolab/worker takes a dataset, sent with each call or uploaded once', async () => {
  const w = await loadConvolabWorker();
  try {
    const ds = w.dataset(toyImages(20));
    const m = await w.sequential(TOY_NET, { seed: 1 });
    await m.compile({ optimizer: { type: 'adam', learningRate: 0.02 }, loss: 'categoricalCrossentropy' });
    const up = await w.upload(ds);
    const h = await m.fit(up, {
      epochs: 12,
      validationSplit: 0.25,
      seed: 4,
      batchSize: 8,
      augment: { noise: 0.01 },
    });
    assert.ok(h.history.val_acc.at(-1) >= 0.9, `validation accuracy ${h.history.val_acc.at(-1)}`);
    const e1 = await m.evaluate(ds),
      e2 = await m.evaluate(up);
    assert.deepEqual(e1, e2);
    assert.deepEqual((await m.predict(ds)).shape, [60, 3]);
    await assert.rejects(
      m.fit(ds, { augment: { rotate: 999 } }),
      (e) => e instanceof InputError && /rotate/.test(e.message),
    );
  } finally {
    w.terminate();
  }
});
