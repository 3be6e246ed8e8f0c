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

// One layer that keeps a [h, w, c] map spatial, for the shape it gets.
function spatialLayer(r, shape) {
  const [h, w] = shape;
  const kind = r.pick([
    'conv2d',
    'conv2d',
    'maxPooling2d',
    'averagePooling2d',
    'batchNormalization',
    'activation',
    'reLU',
    'leakyReLU',
    'softmax',
    'dropout',
  ]);
  const fits = (k, s, pad) => (pad === 'same' ? true : h >= k && w >= k);
  switch (kind) {
    case 'conv2d': {
      const k = r.int(1, 3);
      const padding = r.pick(['valid', 'same', r.int(0, 2)]);
      const strides = r.int(1, 2);
      if (!fits(k, strides, padding === 'same' ? 'same' : 'valid') && typeof padding !== 'number')
        return null;
      if (typeof padding === 'number' && (h + 2 * padding < k || w + 2 * padding < k)) return null;
      const spec = {
        type: 'conv2d',
        filters: r.int(1, 4),
        kernelSize: [k, r.int(1, 3)],
        strides: [strides, r.int(1, 2)],
        padding,
        activation: r.pick(ACTS),
        useBias: r.next() < 0.7,
      };
      if (spec.padding !== 'same' && typeof spec.padding !== 'number' && w < spec.kernelSize[1]) return null;
      if (typeof spec.padding === 'number' && w + 2 * spec.padding < spec.kernelSize[1]) return null;
      if (spec.activation === 'leakyRelu') spec.alpha = r.pick([0.1, 0.3]);
      return spec;
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const p = r.int(2, 3);
      const padding = r.pick(['valid', 'same']);
      if (padding === 'valid' && (h < p || w < p)) return null;
      return { type: kind, poolSize: p, strides: r.int(1, p), padding };
    }
    case 'batchNormalization':
      return { type: kind, epsilon: r.pick([1e-3, 1e-2]), center: r.next() < 0.8, scale: r.next() < 0.8 };
    case 'activation':
      return { type: kind, activation: r.pick(ACTS) };
    case 'leakyReLU':
      return { type: kind, alpha: r.pick([0.05, 0.3]) };
    case 'dropout':
      return { type: kind, rate: 0.25 };
    default:
      return { type: kind };
  }
}

function flatLayer(r) {
  const kind = r.pick(['dense', 'dense', 'batchNormalization', 'activation', 'reLU', 'leakyReLU', 'dropout']);
  if (kind === 'dense') {
    const spec = { type: 'dense', units: r.int(2, 6), activation: r.pick(ACTS), useBias: r.next() < 0.8 };
    if (spec.activation === 'leakyRelu') spec.alpha = 0.2;
    return spec;
  }
  if (kind === 'activation') return { type: kind, activation: r.pick(ACTS) };
  if (kind === 'batchNormalization') return { type: kind, epsilon: 1e-3 };
  if (kind === 'dropout') return { type: kind, rate: 0.5 };
  if (kind === 'leakyReLU') return { type: kind, alpha: 0.1 };
  return { type: kind };
}

/** A random valid stack over every layer type; ends on softmax so predict is the raw stack. */
export function randomStack(cl, seed) {
  const r = rng(seed);
  for (let attempt = 0; attempt < 50; attempt++) {
    const inputShape = [r.int(5, 9), r.int(5, 9), r.int(1, 3)];
    const layers = [];
    let shape = inputShape;
    for (let i = r.int(2, 5); i > 0; i--) {
      const l = spatialLayer(r, shape);
      if (!l) continue;
      try {
        // keep the layer only if the engine takes it here (a kernel can outgrow a shrunk map)
        const probe = cl.sequential({
          inputShape,
          layers: [...layers, l, { type: 'flatten' }, { type: 'dense', units: 2 }],
        });
        shape = probe.layers[layers.length].outputShape;
        probe.dispose();
        layers.push(l);
      } catch {
        /* draw another */
      }
    }
    layers.push(r.next() < 0.5 ? { type: 'flatten' } : { type: 'globalAveragePooling2d' });
    for (let i = r.int(0, 3); i > 0; i--) layers.push(flatLayer(r));
    if (r.next() < 0.5) layers.push({ type: 'dense', units: 3, activation: 'softmax' });
    else layers.push({ type: 'dense', units: 3 }, { type: 'softmax' });
    try {
      const model = cl.sequential({ inputShape, layers }, { seed });
      randomizeWeights(model, r);
      return model;
    } catch {
      // a random shape that does not fit; draw again
    }
  }
  throw new Error(`no valid stack from seed ${seed}`);
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
