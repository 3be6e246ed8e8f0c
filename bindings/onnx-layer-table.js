// Convolab layer types → ONNX operators (opset 13): one row per Convolab
// type, `emit(g, spec, layer)` adding the layer's nodes to the graph builder
// g of onnx-export.js. A new layer type adds one row here.
//
// The graph keeps the tensor in one of three layouts (g.layout): 'nhwc'
// (the input as given), 'nchw' (what Conv, pools and BatchNormalization
// take) or 'flat' [N, C]; g.nchw() and g.flat() convert, the latter in
// channels-last order, as Convolab's Flatten. Shapes are Convolab's [h, w, c].

// Begin/end pads of one axis, the way Convolab (and tfjs) place them:
// 'same' puts floor(P/2) before and the rest after; explicit pads are symmetric.
function axisPads(padding, inSize, outSize, k, s, axis) {
  if (padding === 'same') {
    const total = Math.max(0, (outSize - 1) * s + k - inSize);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  }
  if (typeof padding === 'number') return [padding, padding];
  if (Array.isArray(padding)) return [padding[axis], padding[axis]];
  return [0, 0]; // valid
}

const pair = (v) => (Array.isArray(v) ? [v[0], v[1]] : [v, v]);

// Window attributes: kernel_shape, strides, pads [top, left, bottom, right].
function windowAttributes(spec, layer, k, s) {
  const [ih, iw] = layer.inputShape;
  const [oh, ow] = layer.outputShape;
  const [t, b] = axisPads(spec.padding, ih, oh, k[0], s[0], 0);
  const [l, r] = axisPads(spec.padding, iw, ow, k[1], s[1], 1);
  return { kernel_shape: k, strides: s, pads: [t, l, b, r] };
}

/** A fused activation, after a layer's linear part (or as the layer). */
export function emitActivation(g, activation, alpha) {
  switch (activation ?? 'linear') {
    case 'linear':
      return;
    case 'relu':
      return g.op('Relu');
    case 'leakyRelu':
      return g.op('LeakyRelu', [], { alpha: alpha ?? 0.3 });
    case 'sigmoid':
      return g.op('Sigmoid');
    case 'tanh':
      return g.op('Tanh');
    case 'softmax':
      // over the channels: axis 1 in NCHW and [N, C], the last in NHWC
      return g.op('Softmax', [], { axis: g.layout === 'nhwc' ? 3 : 1 });
    default:
      throw new Error(`exportOnnx: no ONNX form for activation '${activation}'`);
  }
}

function pool(op, extra = {}) {
  return {
    emit(g, spec, layer) {
      const k = pair(spec.poolSize ?? 2);
      const s = pair(spec.strides ?? k);
      g.nchw();
      g.op(op, [], {
        ...windowAttributes({ ...spec, padding: spec.padding ?? 'valid' }, layer, k, s),
        ...extra,
      });
    },
  };
}

// Convolab's [KH, KW, C, F] kernel as ONNX Conv's [F, C, KH, KW].
function convKernel(kernel, [kh, kw, c, f]) {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let o = 0; o < f; o++)
          out[((o * c + i) * kh + y) * kw + x] = kernel[((y * kw + x) * c + i) * f + o];
  return out;
}

/** Convolab spec type → row. */
export const ONNX_LAYERS = {
  conv2d: {
    emit(g, spec, layer) {
      const [kernel, bias] = g.weights(layer, ['kernel', 'bias']);
      const shape = kernel.shape;
      const k = [shape[0], shape[1]];
      const s = pair(spec.strides ?? 1);
      g.nchw();
      const w = g.constant(`${g.name(layer)}/kernel`, convKernel(kernel.data, shape), [
        shape[3],
        shape[2],
        shape[0],
        shape[1],
      ]);
      const inputs = [w];
      if (bias) inputs.push(g.constant(`${g.name(layer)}/bias`, bias.data, bias.shape));
      g.op('Conv', inputs, {
        ...windowAttributes({ ...spec, padding: spec.padding ?? 'valid' }, layer, k, s),
        dilations: [1, 1],
        group: 1,
      });
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  maxPooling2d: pool('MaxPool'),
  // count_include_pad 0: a window overlapping padding divides by its in-bounds cells, as Convolab
  averagePooling2d: pool('AveragePool', { count_include_pad: 0 }),
  globalAveragePooling2d: {
    emit(g) {
      g.nchw();
      g.op('GlobalAveragePool'); // [N, C, 1, 1]
    },
  },
  flatten: {
    emit(g) {
      g.flat();
    },
  },
  dense: {
    emit(g, spec, layer) {
      const [kernel, bias] = g.weights(layer, ['kernel', 'bias']);
      g.flat();
      const inputs = [g.constant(`${g.name(layer)}/kernel`, kernel.data, kernel.shape)];
      if (bias) inputs.push(g.constant(`${g.name(layer)}/bias`, bias.data, bias.shape));
      g.op('Gemm', inputs, {}); // [N, in] x [in, units] (+ bias)
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  dropout: {
    emit() {}, // the identity at inference
  },
  batchNormalization: {
    emit(g, spec, layer) {
      const c = layer.outputShape[2];
      const [gamma, beta, mean, variance] = g.weights(layer, [
        'gamma',
        'beta',
        'movingMean',
        'movingVariance',
      ]);
      if (g.layout === 'nhwc') g.nchw(); // channels on axis 1, as [N, C] already has them
      const n = g.name(layer);
      g.op(
        'BatchNormalization',
        [
          g.constant(`${n}/gamma`, gamma ? gamma.data : new Float32Array(c).fill(1), [c]),
          g.constant(`${n}/beta`, beta ? beta.data : new Float32Array(c), [c]),
          g.constant(`${n}/moving_mean`, mean.data, [c]),
          g.constant(`${n}/moving_variance`, variance.data, [c]),
        ],
        { epsilon: spec.epsilon ?? 1e-3 },
      );
    },
  },
  activation: {
    emit(g, spec) {
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  reLU: {
    emit(g) {
      emitActivation(g, 'relu');
    },
  },
  leakyReLU: {
    emit(g, spec) {
      emitActivation(g, 'leakyRelu', spec.alpha ?? 0.3);
    },
  },
  softmax: {
    emit(g) {
      emitActivation(g, 'softmax');
    },
  },
};
