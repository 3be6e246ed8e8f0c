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
    if (!(ArrayBuffer.isView(data) || Array.isArray(data)))
      throw new InputError('tensor data must be a typed array');
    if (data.length !== size)
      throw new InputError(`tensor data has ${data.length} values; shape ${shapeText(shape)} needs ${size}`);
    this.data = ArrayBuffer.isView(data) ? data : Float32Array.from(data);
    this.shape = shape.slice();
    if (name !== undefined) this.name = name;
  }

  get size() {
    return this.data.length;
  }
  get rank() {
    return this.shape.length;
  }

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
    return new Tensor(this.data.subarray(start * per, (start + count) * per), [
      count,
      ...this.shape.slice(1),
    ]);
  }

  toJSON() {
    return { shape: this.shape, data: Array.from(this.data) };
  }
}

/** Makes a Tensor from a Tensor, {data, shape}, or a flat array plus shape. */
export function tensor(data, shape) {
  if (data instanceof Tensor) return data;
  if (data && typeof data === 'object' && !ArrayBuffer.isView(data) && !Array.isArray(data) && 'data' in data)
    return new Tensor(data.data, data.shape);
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
      throw new InputError(
        `${what} has ${x.length} values, not a whole number of ${inputShape.join('x')} examples (${per} values each)`,
      );
    data = x;
    n = x.length / per;
  } else {
    const t = tensor(x);
    const s = t.shape;
    const batched = s.length === 4 ? s : s.length === 3 ? [1, ...s] : null;
    if (
      !batched ||
      batched[1] !== inputShape[0] ||
      batched[2] !== inputShape[1] ||
      batched[3] !== inputShape[2]
    )
      throw new InputError(
        `${what} has shape ${shapeText(s)}; the model expects ${expected} (channels-last)`,
      );
    if (batched[0] === 0) throw new InputError(`${what} holds no examples`);
    data = t.data;
    n = batched[0];
  }
  if (!(data instanceof Float32Array)) data = Float32Array.from(data);
  return { data, n };
}

const INTEGER_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
];
const isIntegerArray = (a) => INTEGER_ARRAYS.some((T) => a instanceof T);

/**
 * Labels or targets → what the engine trains on: an Int32Array of n class
 * indices (0/1 for a single output), or a Float32Array of n*k float targets
 * (one-hot or soft rows, binary 0/1 rows, regression values). Accepts
 * integer typed arrays or plain arrays of indices, tensors [n] / [n, 1] of
 * indices, tensors [n, k] (or flat float arrays of n*k) of targets.
 */
export function toLabels(y, n, classes, what = 'y') {
  const indexRange = Math.max(classes, 2);
  if (y == null)
    throw new InputError(`${what} is missing; expected ${n} class indices or [${n}, ${classes}] target rows`);
  let values,
    rows = false;
  if (ArrayBuffer.isView(y) || Array.isArray(y)) {
    values = y;
    if (y.length === n * classes && classes > 1 && !isIntegerArray(y)) rows = true;
    else if (y.length !== n)
      throw new InputError(
        `${what} has ${y.length} values for ${n} examples; expected ${n} class indices or ${n}x${classes} target rows`,
      );
    else if (classes === 1 && !isIntegerArray(y)) rows = true;
  } else {
    const t = tensor(y);
    values = t.data;
    if (t.shape[0] !== n) throw new InputError(`${what} has ${t.shape[0]} rows for ${n} examples`);
    if (t.shape.length === 2 && t.shape[1] === classes) rows = classes > 1 || !isIntegerArray(values);
    else if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1)))
      throw new InputError(
        `${what} has shape ${shapeText(t.shape)}; expected [${n}] class indices or [${n}, ${classes}] target rows`,
      );
    else if (classes === 1 && !isIntegerArray(values)) rows = true;
  }
  if (rows) {
    const out = values instanceof Float32Array ? values : Float32Array.from(values);
    for (let i = 0; i < out.length; i++)
      if (!Number.isFinite(out[i]))
        throw new InputError(
          `${what}: target ${i % classes} of example ${Math.floor(i / classes)} is ${out[i]}`,
          {
            option: what,
            index: Math.floor(i / classes),
            value: out[i],
          },
        );
    return out;
  }
  const out = values instanceof Int32Array ? values : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= indexRange)
      throw new InputError(`${what}: label ${v} of example ${i} is not a class index 0..${indexRange - 1}`, {
        option: what,
        index: i,
        value: v,
      });
    out[i] = v;
  }
  return out;
}
