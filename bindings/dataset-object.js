// cl.dataset(): a validated, self-contained set of labelled images that fit,
// evaluate and predict take wherever x and y go, and that round-trips
// through the .cldata format (bindings/dataset.js).
//
//   N  examples   H, W, C  image height, width, channels   K  classes
//
// A dataset is built whole or not at all: every check runs on the caller's
// arrays before anything is copied, and the object keeps its own copies, so
// later changes to the caller's arrays do not reach it.
import { InputError } from './errors.js';
import { DatasetError, decodeDataset, encodeDataset } from './dataset.js';

// The .cldata format stores labels as bytes and dimensions as u16.
const MAX_CLASSES = 256;
const MAX_DIMENSION = 65535;
const KEYS = ['images', 'labels', 'shape', 'classNames', 'trainCount', 'name'];

/** An InputError that also says which field is wrong (err.option), and where (err.index). */
function inputError(message, fields) {
  return Object.assign(new InputError(message, fields), fields);
}

const isByteArray = (a) => a instanceof Uint8Array || a instanceof Uint8ClampedArray;

function checkShape(shape) {
  if (!Array.isArray(shape) || shape.length !== 3)
    throw inputError(`dataset: 'shape' must be [height, width, channels], got ${JSON.stringify(shape)}`, {
      option: 'shape',
    });
  const names = ['height', 'width', 'channels'];
  shape.forEach((d, i) => {
    if (!Number.isInteger(d))
      throw inputError(`dataset: 'shape' ${names[i]} must be a whole number, got ${d}`, { option: 'shape' });
    if (d < 1)
      throw inputError(`dataset: 'shape' ${names[i]} must be at least 1, got ${d}`, { option: 'shape' });
    if (d > MAX_DIMENSION)
      throw inputError(`dataset: 'shape' ${names[i]} must be at most ${MAX_DIMENSION}, got ${d}`, {
        option: 'shape',
      });
  });
}

function checkClassNames(classNames) {
  if (!Array.isArray(classNames))
    throw inputError("dataset: 'classNames' must be a list of names, one per class", {
      option: 'classNames',
    });
  if (classNames.length < 2)
    throw inputError(`dataset: a dataset needs at least 2 classes, got ${classNames.length}`, {
      option: 'classNames',
    });
  if (classNames.length > MAX_CLASSES)
    throw inputError(`dataset: at most ${MAX_CLASSES} classes, got ${classNames.length}`, {
      option: 'classNames',
    });
  const seen = new Map();
  classNames.forEach((n, i) => {
    if (typeof n !== 'string' || n.trim() === '')
      throw inputError(`dataset: class name ${i} must be a non-empty string, got ${JSON.stringify(n)}`, {
        option: 'classNames',
        index: i,
      });
    if (seen.has(n))
      throw inputError(
        `dataset: class names must be unique; "${n}" is both class ${seen.get(n)} and class ${i}`,
        {
          option: 'classNames',
          index: i,
        },
      );
    seen.set(n, i);
  });
}

function checkImages(images, per) {
  if (!(isByteArray(images) || images instanceof Float32Array))
    throw inputError(
      "dataset: 'images' must be a Uint8Array (0–255) or a Float32Array (0–1) of count·height·width·channels values",
      { option: 'images' },
    );
  if (images.length === 0 || images.length % per !== 0)
    throw inputError(
      `dataset: 'images' has ${images.length} values, not a whole number of images of ${per} values each`,
      { option: 'images' },
    );
  if (images instanceof Float32Array) {
    for (let i = 0; i < images.length; i++) {
      const v = images[i];
      if (!(v >= 0 && v <= 1)) {
        const what = Number.isNaN(v) ? 'NaN' : `${v}, outside 0..1`;
        throw inputError(`dataset: pixel ${i % per} of image ${Math.floor(i / per)} is ${what}`, {
          option: 'images',
          index: Math.floor(i / per),
        });
      }
    }
  }
}

function checkLabels(labels, count, classes) {
  if (!(Array.isArray(labels) || (ArrayBuffer.isView(labels) && !(labels instanceof DataView))))
    throw inputError("dataset: 'labels' must be a list or typed array of class indices", {
      option: 'labels',
    });
  if (labels.length !== count)
    throw inputError(`dataset: 'images' holds ${count} images but 'labels' has ${labels.length} labels`, {
      option: 'labels',
    });
  for (let i = 0; i < count; i++) {
    const v = labels[i];
    if (!Number.isInteger(v))
      throw inputError(`dataset: label ${i} is ${v}, not a whole class index`, {
        option: 'labels',
        index: i,
      });
    if (v < 0 || v >= classes)
      throw inputError(`dataset: label ${i} is ${v}, outside the class indices 0..${classes - 1}`, {
        option: 'labels',
        index: i,
      });
  }
}

/** Checks a cl.dataset() spec; throws the first problem as an InputError naming it. */
function checkSpec(spec) {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw inputError('dataset: expected { images, labels, shape, classNames }', { option: 'spec' });
  for (const key of Object.keys(spec))
    if (!KEYS.includes(key))
      throw inputError(`dataset: unknown option '${key}' (expected ${KEYS.join(', ')})`, { option: key });
  checkShape(spec.shape);
  checkClassNames(spec.classNames);
  const per = spec.shape[0] * spec.shape[1] * spec.shape[2];
  checkImages(spec.images, per);
  const count = spec.images.length / per;
  checkLabels(spec.labels, count, spec.classNames.length);
  if (
    spec.trainCount !== undefined &&
    !(Number.isInteger(spec.trainCount) && spec.trainCount >= 1 && spec.trainCount <= count)
  )
    throw inputError(`dataset: 'trainCount' must be a whole number in 1..${count}, got ${spec.trainCount}`, {
      option: 'trainCount',
    });
  if (spec.name !== undefined && typeof spec.name !== 'string')
    throw inputError(`dataset: 'name' must be a string, got ${typeof spec.name}`, { option: 'name' });
  return count;
}

/** Labelled images; make one with cl.dataset() or cl.datasetFromBytes(). */
export class ConvolabDataset {
  /** @internal */
  constructor(spec, count) {
    this.name = spec.name ?? 'dataset';
    this.classNames = Object.freeze(spec.classNames.slice());
    this.shape = Object.freeze(spec.shape.slice()); // [H, W, C]
    this.count = count; // N
    this.trainCount = spec.trainCount ?? count; // examples [0, trainCount) train, the rest validate
    // (N, H, W, C): bytes stay bytes, floats stay floats (no rounding until toBytes)
    this.images = isByteArray(spec.images) ? Uint8Array.from(spec.images) : Float32Array.from(spec.images);
    this.labels = Uint8Array.from(spec.labels); // (N)
    this._x = null;
  }

  get classes() {
    return this.classNames.length;
  }

  /** Examples per class, (K). */
  classCounts() {
    const counts = new Array(this.classes).fill(0);
    for (const l of this.labels) counts[l]++;
    return counts;
  }

  /** The images as model input: a Float32Array in [0, 1], (N, H, W, C). Cached; do not modify. */
  inputs() {
    if (!this._x) {
      if (this.images instanceof Float32Array) this._x = this.images;
      else {
        this._x = new Float32Array(this.images.length);
        for (let i = 0; i < this.images.length; i++) this._x[i] = this.images[i] / 255;
      }
    }
    return this._x;
  }

  /** The labels as the engine takes them, (N). */
  labelIndices() {
    return Int32Array.from(this.labels);
  }

  /** The dataset as a .cldata file (float pixels are rounded to bytes: round(v·255)). */
  toBytes() {
    const pixels = isByteArray(this.images)
      ? this.images
      : Uint8Array.from(this.images, (v) => Math.round(v * 255));
    const [height, width, channels] = this.shape;
    return encodeDataset({
      height,
      width,
      channels,
      classes: this.classes,
      labels: this.labels,
      pixels,
      meta: { name: this.name, classNames: this.classNames, trainCount: this.trainCount },
    });
  }

  /** @internal what crosses to a worker (structured clone keeps typed arrays) */
  _portable() {
    return {
      convolabDataset: {
        images: this.images,
        labels: this.labels,
        shape: [...this.shape],
        classNames: [...this.classNames],
        trainCount: this.trainCount,
        name: this.name,
      },
    };
  }
}

/** cl.dataset(spec): validates the spec and returns a ConvolabDataset. */
export function dataset(spec) {
  const count = checkSpec(spec);
  return new ConvolabDataset(spec, count);
}

/** cl.datasetFromBytes(bytes): a .cldata file back into a ConvolabDataset (the codec's checks, as InputError). */
export function datasetFromBytes(bytes) {
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer))
    throw inputError('datasetFromBytes: expected the bytes of a .cldata file (Uint8Array)', {
      option: 'bytes',
    });
  let d;
  try {
    d = decodeDataset(bytes);
  } catch (e) {
    if (e instanceof DatasetError) throw inputError(e.message, { option: 'bytes', cause: e });
    throw e;
  }
  return dataset({
    images: d.pixels,
    labels: d.labels,
    shape: [d.height, d.width, d.channels],
    classNames: d.classNames,
    trainCount: Math.min(Math.max(d.trainCount, 1), d.count),
    name: d.name,
  });
}

/** True for a ConvolabDataset or what _portable() made of one. */
export const isDataset = (x) => x instanceof ConvolabDataset;

/** Rebuilds a dataset that crossed to a worker as _portable() data. */
export function revivePortableDataset(value) {
  return value && typeof value === 'object' && 'convolabDataset' in value
    ? dataset(value.convolabDataset)
    : value;
}

// The dataset must fit the model: its images are the model's input, and its
// classes are the model's outputs (one sigmoid output for 2 classes too).
function checkFitsModel(ds, model, where) {
  const want = model.inputShape;
  if (ds.shape.some((d, i) => d !== want[i]))
    throw inputError(
      `${where}: the dataset's images are ${ds.shape.join('x')}; the model expects ${want.join('x')}`,
      { option: 'shape' },
    );
  const k = model.numClasses;
  if (!(k === ds.classes || (k === 1 && ds.classes === 2)))
    throw inputError(
      `${where}: the dataset has ${ds.classes} classes; the model's last layer has ${k} units`,
      { option: 'classNames' },
    );
}

/** x and y for evaluate(ds) / predict(ds): every example. */
export function datasetInputs(ds, model, where) {
  checkFitsModel(ds, model, where);
  return { x: ds.inputs(), y: ds.labelIndices() };
}

// Indices of the validation examples when a fraction of each class is held
// out: the last round(f · n_k) examples of class k, so every class is
// represented in both parts whatever order the dataset is in.
function stratifiedValidation(ds, fraction) {
  const byClass = Array.from({ length: ds.classes }, () => []);
  ds.labels.forEach((l, i) => byClass[l].push(i));
  const val = new Uint8Array(ds.count);
  for (const idx of byClass) {
    const n = Math.round(idx.length * fraction);
    for (const i of idx.slice(idx.length - n)) val[i] = 1;
  }
  return val;
}

function gather(ds, keep) {
  const per = ds.shape[0] * ds.shape[1] * ds.shape[2];
  const all = ds.inputs();
  const n = keep.length;
  const x = new Float32Array(n * per); // (n, H, W, C)
  const y = new Int32Array(n);
  keep.forEach((src, i) => {
    x.set(all.subarray(src * per, (src + 1) * per), i * per);
    y[i] = ds.labels[src];
  });
  return { x: { data: x, shape: [n, ...ds.shape] }, y };
}

/**
 * fit(ds, options): the training part and validation data. validationSplit
 * holds out that fraction of every class; without it, examples from
 * ds.trainCount on validate (none when trainCount is the count).
 */
export function datasetFitArguments(ds, options, model) {
  checkFitsModel(ds, model, 'fit');
  const o = { ...(options ?? {}) };
  let isVal;
  if (o.validationData) isVal = new Uint8Array(ds.count);
  else if (o.validationSplit !== undefined) {
    const f = o.validationSplit;
    if (!(f >= 0 && f < 1))
      throw inputError(`fit: 'validationSplit' must be in [0, 1), got ${f}`, { option: 'validationSplit' });
    isVal = stratifiedValidation(ds, f);
  } else isVal = Uint8Array.from({ length: ds.count }, (_, i) => (i >= ds.trainCount ? 1 : 0));
  const train = [],
    val = [];
  isVal.forEach((v, i) => (v ? val : train).push(i));
  if (train.length === 0)
    throw inputError(
      `fit: validationSplit ${o.validationSplit} of ${ds.count} examples leaves none to train on`,
      {
        option: 'validationSplit',
      },
    );
  if (val.length === 0 && o.validationSplit > 0)
    throw inputError(
      `fit: validationSplit ${o.validationSplit} of ${ds.count} examples leaves none to validate`,
      {
        option: 'validationSplit',
      },
    );
  delete o.validationSplit;
  if (val.length > 0 && !o.validationData) {
    const v = gather(ds, val);
    o.validationData = [v.x, v.y];
  }
  const t = gather(ds, train);
  return { x: t.x, y: t.y, options: o };
}
