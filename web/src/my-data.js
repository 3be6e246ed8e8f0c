// "My data": the learner's own classes and examples, as plain data (no DOM).
// Examples are bytes in the dataset's shape ((H, W, C), 0..255, white ink on
// black for drawings, as MNIST). The page trains on a decoded-dataset view of
// it (the form bindings/dataset.js decodes .cldata into), split per class.
import { dataset as checkedDataset, datasetFromBytes } from '../../bindings/dataset-object.js';
import { shuffled } from './batches.js';

export const MAX_CLASSES = 10;
export const SHAPES = {
  gray28: { shape: [28, 28, 1], label: '28×28 grey (like MNIST)' },
  rgb32: { shape: [32, 32, 3], label: '32×32 colour' },
};
export const TOO_FEW = 5; // fewer examples than this in a class: warned
export const UNBALANCED = 2; // largest class more than this many times the smallest: warned

export const shapeKey = (shape) => (shape[2] === 3 ? 'rgb32' : 'gray28');

export function emptyMine(kind = 'gray28') {
  return { shape: [...SHAPES[kind].shape], classNames: ['class 1', 'class 2'], examples: [] };
}

const nameProblem = (mine, name, except = -1) => {
  const n = String(name ?? '').trim();
  if (!n) return 'a class needs a name';
  if (n.length > 40) return 'class names are at most 40 characters';
  const at = mine.classNames.findIndex((c, i) => c === n && i !== except);
  if (at >= 0) return `there is already a class named “${n}”`;
  return null;
};

/** A fresh name "class N" not yet used. */
export function nextClassName(mine) {
  for (let i = mine.classNames.length + 1; ; i++)
    if (!mine.classNames.includes(`class ${i}`)) return `class ${i}`;
}

/** Each change returns { mine } (a new object) or { error } naming why not. */
export function addClass(mine, name = nextClassName(mine)) {
  if (mine.classNames.length >= MAX_CLASSES) return { error: `at most ${MAX_CLASSES} classes` };
  const problem = nameProblem(mine, name);
  if (problem) return { error: problem };
  return { mine: { ...mine, classNames: [...mine.classNames, String(name).trim()] } };
}

export function renameClass(mine, k, name) {
  const problem = nameProblem(mine, name, k);
  if (problem) return { error: problem };
  const classNames = mine.classNames.slice();
  classNames[k] = String(name).trim();
  return { mine: { ...mine, classNames } };
}

/** Removes class k and its examples; later classes move down one. */
export function deleteClass(mine, k) {
  if (mine.classNames.length <= 2) return { error: 'a dataset needs at least 2 classes' };
  return {
    mine: {
      ...mine,
      classNames: mine.classNames.filter((_, i) => i !== k),
      examples: mine.examples
        .filter((e) => e.label !== k)
        .map((e) => (e.label > k ? { ...e, label: e.label - 1 } : e)),
    },
  };
}

export function addExamples(mine, label, pixelsList) {
  const per = mine.shape[0] * mine.shape[1] * mine.shape[2];
  const good = pixelsList.filter((p) => p && p.length === per);
  return { mine: { ...mine, examples: [...mine.examples, ...good.map((pixels) => ({ label, pixels }))] } };
}

export function deleteExample(mine, index) {
  return { mine: { ...mine, examples: mine.examples.filter((_, i) => i !== index) } };
}

export function classCounts(mine) {
  const counts = new Array(mine.classNames.length).fill(0);
  for (const e of mine.examples) counts[e.label]++;
  return counts;
}

// Per class: which examples validate. A seeded shuffle inside each class, then
// the first round(f · n) of it, so every class is in both parts and a new
// example does not reshuffle the others' roles much.
function splitIndices(mine, valFraction, seed) {
  const byClass = mine.classNames.map(() => []);
  mine.examples.forEach((e, i) => byClass[e.label].push(i));
  const train = [],
    val = [];
  byClass.forEach((idx, k) => {
    const order = shuffled(idx.length, seed + k);
    const nVal = idx.length >= 2 ? Math.max(1, Math.round(idx.length * valFraction)) : 0;
    order.forEach((o, j) => (j < nVal ? val : train).push(idx[o]));
  });
  return { train, val };
}

/** Train and validation counts for a split, per class and in all. */
export function splitCounts(mine, valFraction, seed = 1) {
  const { train, val } = splitIndices(mine, valFraction, seed);
  return { train: train.length, val: val.length };
}

/**
 * The decoded-dataset view the page trains on: training examples first, then
 * validation ones (trainCount marks the split); or { problem } when it cannot
 * train yet.
 */
export function toPageDataset(mine, valFraction, seed = 1) {
  const counts = classCounts(mine);
  const short = mine.classNames.filter((_, k) => counts[k] < 2);
  if (short.length)
    return {
      problem: `add at least 2 examples to ${short.map((n) => `“${n}”`).join(', ')} (one to train on, one to check)`,
    };
  const { train, val } = splitIndices(mine, valFraction, seed);
  const order = [...train, ...val];
  const [height, width, channels] = mine.shape;
  const per = height * width * channels;
  const pixels = new Uint8Array(order.length * per);
  const labels = new Uint8Array(order.length);
  order.forEach((src, i) => {
    pixels.set(mine.examples[src].pixels, i * per);
    labels[i] = mine.examples[src].label;
  });
  return {
    name: 'My data',
    mine: true,
    classNames: mine.classNames.slice(),
    count: order.length,
    trainCount: train.length,
    height,
    width,
    channels,
    classes: mine.classNames.length,
    labels,
    pixels,
  };
}

/** Warnings a learner should see before training. */
export function warnings(mine, valFraction) {
  const counts = classCounts(mine);
  const out = [];
  mine.classNames.forEach((name, k) => {
    if (counts[k] < TOO_FEW)
      out.push(
        `“${name}” has ${counts[k]} example${counts[k] === 1 ? '' : 's'}: too few to learn from and check (add at ` +
          `least ${TOO_FEW}).`,
      );
  });
  const present = counts.filter((c) => c > 0);
  if (present.length >= 2 && Math.max(...present) > UNBALANCED * Math.min(...present)) {
    const big = counts.indexOf(Math.max(...present)),
      small = counts.indexOf(Math.min(...present));
    out.push(
      `The classes are unbalanced: “${mine.classNames[big]}” has ${counts[big]} examples, ` +
        `“${mine.classNames[small]}” ${counts[small]}. The net may favour the big class; add examples to the small ` +
        `one.`,
    );
  }
  const { val } = splitCounts(mine, valFraction);
  if (mine.examples.length && val < mine.classNames.length)
    out.push('Some classes have no validation example: the accuracy does not check them.');
  return out;
}

/** The examples as a .cldata file (the package's format), in their order. */
export function toCldata(mine) {
  if (!mine.examples.length) throw new Error('there are no examples to export');
  const per = mine.shape[0] * mine.shape[1] * mine.shape[2];
  const images = new Uint8Array(mine.examples.length * per);
  mine.examples.forEach((e, i) => images.set(e.pixels, i * per));
  return checkedDataset({
    images,
    labels: mine.examples.map((e) => e.label),
    shape: mine.shape,
    classNames: mine.classNames,
    name: 'My data',
  }).toBytes();
}

/** A .cldata file back into my data; throws naming what is wrong (the codec's checks, the page's limits). */
export function fromCldata(bytes) {
  const ds = datasetFromBytes(bytes);
  const key = Object.keys(SHAPES).find((k) => SHAPES[k].shape.join() === ds.shape.join());
  if (!key)
    throw new Error(
      `its images are ${ds.shape.join('×')}; My data takes 28×28×1 (grey) or 32×32×3 (colour) images`,
    );
  if (ds.classes > MAX_CLASSES)
    throw new Error(`it has ${ds.classes} classes; My data takes at most ${MAX_CLASSES}`);
  const per = ds.shape[0] * ds.shape[1] * ds.shape[2];
  return {
    shape: [...ds.shape],
    classNames: [...ds.classNames],
    examples: Array.from({ length: ds.count }, (_, i) => ({
      label: ds.labels[i],
      pixels: ds.images.slice(i * per, (i + 1) * per),
    })),
  };
}

/** What IndexedDB keeps: one flat byte array for all pixels (compact, structured-clone friendly). */
export function toRecord(mine) {
  const per = mine.shape[0] * mine.shape[1] * mine.shape[2];
  const pixels = new Uint8Array(mine.examples.length * per);
  mine.examples.forEach((e, i) => pixels.set(e.pixels, i * per));
  return {
    version: 1,
    shape: mine.shape,
    classNames: mine.classNames,
    labels: Uint8Array.from(mine.examples, (e) => e.label),
    pixels,
  };
}

export function fromRecord(r) {
  const per = r.shape[0] * r.shape[1] * r.shape[2];
  return {
    shape: r.shape,
    classNames: r.classNames,
    examples: Array.from(r.labels, (label, i) => ({ label, pixels: r.pixels.slice(i * per, (i + 1) * per) })),
  };
}

/** Bytes a record holds (pixels, labels and names). */
export const recordBytes = (r) =>
  r.pixels.byteLength + r.labels.byteLength + new TextEncoder().encode(JSON.stringify(r.classNames)).length;
