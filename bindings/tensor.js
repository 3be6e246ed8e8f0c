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
  const per = inputShape.reduce((a, b) => a * b, 1);
  const rank = inputShape.length;
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
    const batched = s.length === rank + 1 ? s : s.length === rank ? [1, ...s] : null;
    if (!batched || inputShape.some((d, i) => batched[i + 1] !== d))
      throw new InputError(
        `${what} has shape ${shapeText(s)}; the model expects ${expected}${rank === 3 ? ' (channels-last)' : ''}`,
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
 * Labels or targets → what the engine trains on, for a model whose output
 * per example is outputShape ([k] flat, [h, w, k] a feature map; the loss runs
 * over the last axis k at each of the h*w positions): an Int32Array of
 * n*positions class indices (0/1 for a single output), or a Float32Array of
 * n*h*w*k float targets (one-hot or soft rows, binary 0/1, regression values).
 * Accepts integer typed arrays or plain arrays of indices, tensors [n, ...]
 * of indices ([n] or [n, 1] for a flat output, [n, h, w] for a map), tensors
 * [n, ...outputShape] (or flat float arrays of that many values) of targets.
 */
export function toLabels(y, n, outputShape, what = 'y') {
  const shape = Array.isArray(outputShape) ? outputShape : [outputShape];
  const classes = shape[shape.length - 1];
  const positions = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const indexRange = Math.max(classes, 2);
  const targetShape = shapeText([n, ...shape]);
  const labelShape = shapeText([n, ...shape.slice(0, -1)]);
  if (y == null)
    throw new InputError(
      `${what} is missing; expected ${labelShape} class indices or ${targetShape} targets`,
    );
  let values,
    rows = false;
  const labelCount = n * positions,
    targetCount = n * positions * classes;
  if (ArrayBuffer.isView(y) || Array.isArray(y)) {
    values = y;
    if (y.length === targetCount && classes > 1 && !isIntegerArray(y)) rows = true;
    else if (y.length !== labelCount)
      throw new InputError(
        `${what} has ${y.length} values for ${n} examples; expected ${labelCount} ` +
          `class indices (${labelShape}) or ${targetCount} targets (${targetShape})`,
      );
    else if (classes === 1 && !isIntegerArray(y)) rows = true;
  } else {
    const t = tensor(y);
    values = t.data;
    if (t.shape[0] !== n) throw new InputError(`${what} has ${t.shape[0]} rows for ${n} examples`);
    const rest = t.shape.slice(1);
    // size-1 axes aside: [n, k] targets fit a [1, 1, k] output
    const squeeze = (a) => a.filter((d) => d !== 1);
    const same = (a, b) => {
      const [p, q] = [squeeze(a), squeeze(b)];
      return p.length === q.length && p.every((d, i) => d === q[i]);
    };
    const asLabels = same(rest, shape.slice(0, -1));
    if (classes > 1 && same(rest, shape)) rows = true;
    else if (!asLabels)
      throw new InputError(
        `${what} has shape ${shapeText(t.shape)}; expected ${labelShape} class indices or ${targetShape} targets`,
      );
    else if (classes === 1 && !isIntegerArray(values)) rows = true;
  }
  const place = (i, per) => {
    const e = Math.floor(i / per);
    return positions > 1
      ? `example ${e}, position ${Math.floor((i % per) / (per / positions))}`
      : `example ${e}`;
  };
  if (rows) {
    const out = values instanceof Float32Array ? values : Float32Array.from(values);
    for (let i = 0; i < out.length; i++)
      if (!Number.isFinite(out[i]))
        throw new InputError(
          `${what}: target ${i % classes} of ${place(i, positions * classes)} is ${out[i]}; every target must be a finite number`,
          { option: what, index: Math.floor(i / (positions * classes)), value: out[i] },
        );
    return out;
  }
  const out = values instanceof Int32Array ? values : new Int32Array(labelCount);
  for (let i = 0; i < labelCount; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= indexRange)
      throw new InputError(
        `${what}: label ${v} of ${place(i, positions)} is not a class index 0..${indexRange - 1}`,
        { option: what, index: Math.floor(i / positions), value: v },
      );
    out[i] = v;
  }
  return out;
}

/** Throws InputError when x holds NaN or an infinity, naming where the first one is (before the model sees it). */
export function checkFinite(data, inputShape, what = 'x') {
  for (let i = 0; i < data.length; i++) {
    if (Number.isFinite(data[i])) continue;
    const per = inputShape.reduce((a, b) => a * b, 1);
    const r = i % per;
    const c = inputShape[inputShape.length - 1];
    const w = inputShape.length > 1 ? inputShape[inputShape.length - 2] : 1;
    const at =
      inputShape.length === 3
        ? `row ${Math.floor(r / (w * c))}, column ${Math.floor(r / c) % w}, channel ${r % c}`
        : inputShape.length === 2
          ? `row ${Math.floor(r / c)}, channel ${r % c}`
          : `value ${r}`;
    throw new InputError(
      `${what}: example ${Math.floor(i / per)}, ${at} is ${data[i]}; every value must be a finite number`,
    );
  }
}
