// A minimal tensor: a flat typed array and its shape, channels-last
// ([n, height, width, channels]) as Keras. Plus the checks that turn what
// callers pass (tensors, {data, shape}, labels as indices or one-hot) into
// the flat arrays the engine takes.
import { InputError } from './errors.js';

const shapeText = (shape) => `[${shape.join(', ')}]`;

export class Tensor {
  /** data: a typed array (or array) of exactly product(shape) numbers. */
  constructor(data, shape, name) {
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
      throw new InputError(`tensor shape ${JSON.stringify(shape)} must be a list of whole numbers`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!(ArrayBuffer.isView(data) || Array.isArray(data))) throw new InputError('tensor data must be a typed array');
    if (data.length !== size)
      throw new InputError(`tensor data has ${data.length} values; shape ${shapeText(shape)} needs ${size}`);
    this.data = ArrayBuffer.isView(data) ? data : Float32Array.from(data);
    this.shape = shape.slice();
    if (name !== undefined) this.name = name;
  }

  get size() { return this.data.length; }
  get rank() { return this.shape.length; }

  /** Index of the largest value in each row of the last dimension (e.g. the predicted class). */
  argMax() {
    const k = this.shape[this.shape.length - 1];
    const rows = this.data.length / k;
    const out = new Int32Array(rows);
    for (let r = 0; r < rows; r++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (this.data[r * k + j] > this.data[r * k + best]) best = j;
      out[r] = best;
    }
    return out;
  }

  /** Examples [start, start + count) along the first dimension, as a view (no copy). */
  slice(start, count) {
    const per = this.data.length / this.shape[0];
    return new Tensor(this.data.subarray(start * per, (start + count) * per), [count, ...this.shape.slice(1)]);
  }

  toJSON() { return { shape: this.shape, data: Array.from(this.data) }; }
}

/** Makes a Tensor from a Tensor, {data, shape}, or a flat array plus shape. */
export function tensor(data, shape) {
  if (data instanceof Tensor) return data;
  if (data && !ArrayBuffer.isView(data) && !Array.isArray(data) && 'data' in data) return new Tensor(data.data, data.shape);
  return new Tensor(data, shape);
}

/**
 * Model input → { data: Float32Array (n*h*w*c), n }. Accepts [n, h, w, c],
 * a single example [h, w, c], or a flat Float32Array whose length is a
 * multiple of one example.
 */
export function toInput(x, inputShape, what = 'x') {
  const per = inputShape[0] * inputShape[1] * inputShape[2];
  const expected = `[n, ${inputShape.join(', ')}]`;
  if (x == null) throw new InputError(`${what} is missing; expected a tensor of shape ${expected}`);
  let data, n;
  if (ArrayBuffer.isView(x) || Array.isArray(x)) {
    if (x.length === 0 || x.length % per !== 0)
      throw new InputError(`${what} has ${x.length} values, not a whole number of ${inputShape.join('x')} examples (${per} values each)`);
    data = x; n = x.length / per;
  } else {
    const t = tensor(x);
    const s = t.shape;
    const batched = s.length === 4 ? s : s.length === 3 ? [1, ...s] : null;
    if (!batched || batched[1] !== inputShape[0] || batched[2] !== inputShape[1] || batched[3] !== inputShape[2])
      throw new InputError(`${what} has shape ${shapeText(s)}; the model expects ${expected} (channels-last)`);
    if (batched[0] === 0) throw new InputError(`${what} holds no examples`);
    data = t.data; n = batched[0];
  }
  if (!(data instanceof Float32Array)) data = Float32Array.from(data);
  return { data, n };
}

/**
 * Labels → Int32Array of class indices. Accepts indices (Uint8Array,
 * Int32Array, arrays, or a tensor of shape [n] / [n, 1]) or one-hot rows
 * (a tensor of shape [n, classes]).
 */
export function toLabels(y, n, classes, what = 'y') {
  if (y == null) throw new InputError(`${what} is missing; expected ${n} class indices or one-hot rows of ${classes}`);
  let values, oneHot = false;
  if (ArrayBuffer.isView(y) || Array.isArray(y)) {
    values = y;
    if (y.length === n * classes && n * classes !== n && !(y instanceof Int32Array || y instanceof Uint8Array)) oneHot = true;
    else if (y.length !== n) throw new InputError(`${what} has ${y.length} labels for ${n} examples`);
  } else {
    const t = tensor(y);
    values = t.data;
    if (t.shape.length === 2 && t.shape[1] === classes && classes > 1) oneHot = true;
    else if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)))
      throw new InputError(`${what} has shape ${shapeText(t.shape)}; expected [${n}] class indices or [${n}, ${classes}] one-hot rows`);
    if (t.shape[0] !== n) throw new InputError(`${what} has ${t.shape[0]} labels for ${n} examples`);
  }
  const out = new Int32Array(n);
  if (oneHot) {
    for (let i = 0; i < n; i++) {
      let hot = -1;
      for (let j = 0; j < classes; j++) {
        const v = values[i * classes + j];
        if (v === 1 && hot < 0) hot = j;
        else if (v !== 0) throw new InputError(`${what}: row ${i} is not one-hot (value ${v} at class ${j}); soft labels are not supported`);
      }
      if (hot < 0) throw new InputError(`${what}: row ${i} is all zeros; a one-hot row needs a single 1`);
      out[i] = hot;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes)
      throw new InputError(`${what}: label ${v} of example ${i} is not a class index 0..${classes - 1}`);
    out[i] = v;
  }
  return out;
}
