// Shared by the interop tests: seeded random stacks over every layer type,
// random weights for them, and the tolerance the exports are held to.
import assert from 'node:assert/strict';

/** A seeded generator (32-bit LCG): next() in [0, 1). */
export function rng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    floats: (n, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next()),
  };
}

/** |actual - expected| <= 1e-5 + 1e-4·|expected| for every element. */
export function assertAgrees(actual, expected, what) {
  assert.equal(
    actual.length,
    expected.length,
    `${what}: ${actual.length} values, expected ${expected.length}`,
  );
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (!(Math.abs(actual[i] - e) <= 1e-5 + 1e-4 * Math.abs(e)))
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${e}`);
  }
}

const ACTS = ['linear', 'relu', 'leakyRelu', 'sigmoid', 'tanh', 'softmax'];
const size = (shape) => shape.reduce((a, b) => a * b, 1);

// One layer for an image [h, w, c] (the engine refuses what does not fit; the draw goes on).
function imageLayer(r, shape) {
  const padding = () => r.pick(['valid', 'same']);
  const act = (spec) => {
    spec.activation = r.pick(ACTS);
    if (spec.activation === 'leakyRelu') spec.alpha = r.pick([0.1, 0.3]);
    return spec;
  };
  // mostly [[top, bottom], [left, right]], where the sides differ
  const sides = (hi) =>
    r.pick([
      r.int(0, hi),
      [r.int(0, hi), r.int(0, hi)],
      [
        [r.int(0, hi), r.int(0, hi)],
        [r.int(0, hi), r.int(0, hi)],
      ],
      [
        [r.int(0, hi), r.int(0, hi)],
        [r.int(0, hi), r.int(0, hi)],
      ],
    ]);
  const kind = r.pick([
    'conv2d',
    'conv2d',
    'depthwiseConv2d',
    'separableConv2d',
    'conv2dTranspose',
    'conv2dTranspose',
    'maxPooling2d',
    'averagePooling2d',
    'globalAveragePooling2d',
    'globalMaxPooling2d',
    'flatten',
    'zeroPadding2d',
    'cropping2d',
    'upSampling2d',
    'upSampling2d',
    'dense',
    'batchNormalization',
  ]);
  switch (kind) {
    case 'conv2d':
      return act({
        type: kind,
        filters: r.int(1, 4),
        kernelSize: [r.int(1, 3), r.int(1, 3)],
        strides: [r.int(1, 2), r.int(1, 2)],
        padding: r.pick(['valid', 'same', r.int(0, 2), [r.int(0, 2), r.int(0, 2)]]),
        useBias: r.next() < 0.7,
      });
    case 'depthwiseConv2d':
      return act({
        type: kind,
        kernelSize: [r.int(1, 3), r.int(1, 3)],
        depthMultiplier: r.int(1, 2),
        strides: [r.int(1, 2), r.int(1, 2)],
        padding: padding(),
        useBias: r.next() < 0.7,
      });
    case 'separableConv2d':
      return act({
        type: kind,
        filters: r.int(1, 3),
        kernelSize: [r.int(1, 3), r.int(1, 3)],
        depthMultiplier: r.int(1, 2),
        strides: r.int(1, 2),
        padding: padding(),
        useBias: r.next() < 0.7,
      });
    case 'conv2dTranspose':
      // strides up to 3 so that k < s happens (tfjs's output length then has rows no window reaches)
      return act({
        type: kind,
        filters: r.int(1, 3),
        kernelSize: [r.int(1, 3), r.int(1, 3)],
        strides: [r.int(1, 3), r.int(1, 2)],
        padding: padding(),
        useBias: r.next() < 0.7,
      });
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const p = r.int(2, 3);
      // explicit padding (max pooling only) is rare: tfjs cannot express it, the tfjs tests expect a refusal
      const pad = kind === 'maxPooling2d' && r.next() < 0.2 ? 1 : padding();
      return { type: kind, poolSize: p, strides: r.int(1, p), padding: pad };
    }
    case 'flatten':
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      return { type: kind };
    case 'zeroPadding2d':
      return { type: kind, padding: sides(2) };
    case 'cropping2d':
      return { type: kind, cropping: sides(1) };
    case 'upSampling2d':
      return {
        type: kind,
        size: r.pick([2, [r.int(1, 3), r.int(1, 2)]]),
        interpolation: r.pick(['nearest', 'bilinear']),
      };
    default:
      return anyLayer(r, shape);
  }
}

// One layer for any shape ([k], [a, b] or an image): the ones that read the last axis or every value.
function anyLayer(r, shape) {
  const kind = r.pick([
    'dense',
    'dense',
    'batchNormalization',
    'activation',
    'reLU',
    'leakyReLU',
    'softmax',
    'dropout',
    'reshape',
  ]);
  switch (kind) {
    case 'dense': {
      const spec = { type: 'dense', units: r.int(1, 5), activation: r.pick(ACTS), useBias: r.next() < 0.8 };
      if (spec.activation === 'leakyRelu') spec.alpha = 0.2;
      return spec;
    }
    case 'batchNormalization':
      return { type: kind, epsilon: r.pick([1e-3, 1e-2]), center: r.next() < 0.8, scale: r.next() < 0.8 };
    case 'activation':
      return { type: kind, activation: r.pick(ACTS), ...(r.next() < 0.3 ? { alpha: 0.05 } : {}) };
    case 'leakyReLU':
      return { type: kind, alpha: r.pick([0.05, 0.3]) };
    case 'dropout':
      return { type: kind, rate: r.pick([0.25, 0.5]) };
    case 'reshape':
      return shape ? reshapeFor(r, shape) : { type: 'flatten' };
    default:
      return { type: kind };
  }
}

// A reshape of shape's values: flat, two axes, or an image (with a -1 now and then).
function reshapeFor(r, shape) {
  const total = size(shape);
  const divisors = [];
  for (let d = 1; d <= total; d++) if (total % d === 0) divisors.push(d);
  const a = r.pick(divisors.filter((d) => d <= 8));
  const rest = total / a;
  const b = r.pick(divisors.filter((d) => rest % d === 0 && d <= 8));
  const target = r.pick([[total], [a, rest], [a, b, rest / b]]);
  if (r.next() < 0.3) target[r.int(0, target.length - 1)] = -1;
  return { type: 'reshape', targetShape: target };
}

// Neighbouring seeds give the LCG nearly the same first draws; hash them apart.
function mix(seed) {
  let h = Math.imul(seed ^ (seed >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A random valid stack over every layer type (all 20, of any output shape:
 * an image, [a, b] or [k]), with random weights. Mostly image inputs, now and
 * then a vector or [a, b]; each layer is kept when the engine builds it there and its
 * output stays small.
 */
export function randomStack(cl, seed) {
  const r = rng(mix(seed));
  const kind = r.next();
  const inputShape =
    kind < 0.08
      ? [r.int(3, 8)]
      : kind < 0.14
        ? [r.int(2, 5), r.int(2, 4)]
        : [r.int(4, 8), r.int(4, 8), r.int(1, 3)];
  const layers = [];
  let shape = inputShape;
  for (let tries = 0, want = r.int(2, 6); layers.length < want && tries < 60; tries++) {
    const l = shape.length === 3 && r.next() < 0.8 ? imageLayer(r, shape) : anyLayer(r, shape);
    try {
      const probe = cl.sequential({ inputShape, layers: [...layers, l] });
      const out = probe.layers.at(-1).outputShape;
      probe.dispose();
      if (size(out) > 800 || (out.length === 3 && (out[0] > 16 || out[1] > 16))) continue;
      layers.push(l);
      shape = out;
    } catch {
      /* does not fit here: draw another */
    }
  }
  const model = cl.sequential({ inputShape, layers }, { seed });
  randomizeWeights(model, r);
  return model;
}

/** What a stack exercises beyond its layer types, for the random tests' coverage checks. */
export function stackFeatures(model) {
  const spec = model.toJSON();
  const tags = new Set([`output rank ${model.outputShape.length}`, `input rank ${model.inputShape.length}`]);
  spec.layers.forEach((l, i) => {
    const { inputShape, outputShape } = model.layers[i];
    if (l.type === 'upSampling2d') tags.add(`upSampling2d ${l.interpolation ?? 'nearest'}`);
    if (l.type === 'dense' && inputShape.length > 1) tags.add(`dense on rank ${inputShape.length}`);
    if (l.type === 'reshape') tags.add(`reshape to rank ${outputShape.length}`);
    if (l.type === 'conv2d' && typeof l.padding !== 'string') tags.add('conv2d explicit padding');
    const sides = l.type === 'zeroPadding2d' ? l.padding : l.type === 'cropping2d' ? l.cropping : null;
    if (Array.isArray(sides?.[0]) && (sides[0][0] !== sides[0][1] || sides[1][0] !== sides[1][1]))
      tags.add(`${l.type} uneven sides`);
    if (l.type === 'maxPooling2d' && typeof l.padding !== 'string') tags.add('maxPooling2d explicit padding');
    if (l.type === 'batchNormalization') tags.add(`batchNormalization on rank ${inputShape.length}`);
    if (['conv2dTranspose', 'depthwiseConv2d', 'separableConv2d'].includes(l.type))
      tags.add(`${l.type} ${l.padding}`);
    if (l.type === 'conv2dTranspose') {
      const [kh] = l.kernelSize;
      const [sh] = l.strides;
      if (kh < sh) tags.add('conv2dTranspose kernel < stride');
    }
    if (l.type === 'depthwiseConv2d' && l.depthMultiplier > 1)
      tags.add('depthwiseConv2d depthMultiplier > 1');
  });
  return tags;
}

/** Weights away from the initializers' special values, BatchNormalization's statistics included. */
export function randomizeWeights(model, r) {
  for (const layer of model.layers) {
    layer.setWeights(
      layer.weightSpecs.map((ws) => {
        const n = ws.shape.reduce((a, b) => a * b, 1);
        if (ws.name === 'gamma' || ws.name === 'movingVariance') return r.floats(n, 0.5, 1.5);
        return r.floats(n, -0.6, 0.6);
      }),
    );
  }
}
