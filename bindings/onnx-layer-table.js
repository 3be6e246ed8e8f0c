// Convolab layer types → ONNX operators (opset 13): one row per Convolab
// type, `emit(g, spec, layer)` adding the layer's nodes to the graph builder
// g of onnx-export.js. A new layer type adds one row here.
//
// The graph keeps the tensor [N, ...shape] in Convolab's channels-last order
// (g.layout 'last': what Dense, Flatten and Reshape read, and the input and
// output), or an image as [N, C, H, W] ('nchw': what Conv, ConvTranspose,
// the pools, Resize and BatchNormalization take); g.nchw() and g.last()
// convert. g.shape is Convolab's per-example shape ([k], [a, b] or [h, w, c]).
import { fourSides } from './interop-sides.js';

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
function windowAttributes(padding, layer, k, s) {
  const [ih, iw] = layer.inputShape;
  const [oh, ow] = layer.outputShape;
  const [t, b] = axisPads(padding, ih, oh, k[0], s[0], 0);
  const [l, r] = axisPads(padding, iw, ow, k[1], s[1], 1);
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
      // over the channels (Convolab's last axis): axis 1 in NCHW
      return g.op('Softmax', [], { axis: g.layout === 'nchw' ? 1 : -1 });
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
      // ONNX Runtime's PadFusion folds a zero Pad that is MaxPool's only input into the pool's
      // pads, which MaxPool ignores: zeros from zeroPadding2d would drop out of the maximum (or
      // the session fails when the sum outgrows the window). Max(P, P) = P gives the Pad two
      // consumers, which that fusion leaves alone.
      if (op === 'MaxPool' && g.nodes.at(-1)?.op_type === 'Pad') g.op('Max', [g.current]);
      // MaxPool ignores padded cells, as Convolab's explicit padding for max pooling does
      g.op(op, [], { ...windowAttributes(spec.padding ?? 'valid', layer, k, s), ...extra });
    },
  };
}

function globalPool(op) {
  return {
    emit(g) {
      g.nchw();
      g.op(op); // [N, C, 1, 1]
      g.op('Flatten', [], { axis: 1 }); // [N, C], as Convolab's [C]
      g.layout = 'last';
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

// Convolab's depthwise [KH, KW, C, M] kernel as a grouped Conv's [C·M, 1, KH, KW]:
// output channel c·M + m of group c, as Convolab (and tfjs) order them.
function depthwiseKernel(kernel, [kh, kw, c, m]) {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < c; i++)
        for (let j = 0; j < m; j++)
          out[((i * m + j) * kh + y) * kw + x] = kernel[((y * kw + x) * c + i) * m + j];
  return out;
}

// Convolab's transposed-conv [KH, KW, F, C] kernel (tfjs's) as ConvTranspose's [C, F, KH, KW].
function transposeKernel(kernel, [kh, kw, f, c]) {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let o = 0; o < f; o++)
        for (let i = 0; i < c; i++)
          out[((i * f + o) * kh + y) * kw + x] = kernel[((y * kw + x) * f + o) * c + i];
  return out;
}

function biasInput(g, layer, bias, inputs) {
  if (bias) inputs.push(g.constant(`${g.name(layer)}/bias`, bias.data, bias.shape));
  return inputs;
}

// ConvTranspose pads of one axis for tfjs's output length: the full result
// s·(in − 1) + k, cropped by 'same''s floor(P/2) at the start and whatever
// is left over at the end; when the output is longer than the full result
// (k < s), output_padding adds the rows no window reaches (zero + bias).
function transposePads(inSize, outSize, k, s, same) {
  const begin = same ? Math.floor(Math.max(0, (inSize - 1) * s + k - outSize) / 2) : 0;
  const end = s * (inSize - 1) + k - begin - outSize;
  return end >= 0 ? { begin, end, extra: 0 } : { begin, end: 0, extra: -end };
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
      g.op('Conv', biasInput(g, layer, bias, [w]), {
        ...windowAttributes(spec.padding ?? 'valid', layer, k, s),
        dilations: [1, 1],
        group: 1,
      });
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  depthwiseConv2d: {
    emit(g, spec, layer) {
      const [kernel, bias] = g.weights(layer, ['depthwiseKernel', 'bias']);
      const [kh, kw, c, m] = kernel.shape;
      g.nchw();
      const w = g.constant(`${g.name(layer)}/depthwise_kernel`, depthwiseKernel(kernel.data, kernel.shape), [
        c * m,
        1,
        kh,
        kw,
      ]);
      g.op('Conv', biasInput(g, layer, bias, [w]), {
        ...windowAttributes(spec.padding ?? 'valid', layer, [kh, kw], pair(spec.strides ?? 1)),
        dilations: [1, 1],
        group: c,
      });
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  separableConv2d: {
    emit(g, spec, layer) {
      const [dk, pk, bias] = g.weights(layer, ['depthwiseKernel', 'pointwiseKernel', 'bias']);
      const [kh, kw, c, m] = dk.shape;
      const f = pk.shape[3];
      const n = g.name(layer);
      g.nchw();
      // depthwise (the window, strides and padding), then a 1x1 pointwise Conv with the bias
      g.op(
        'Conv',
        [g.constant(`${n}/depthwise_kernel`, depthwiseKernel(dk.data, dk.shape), [c * m, 1, kh, kw])],
        {
          ...windowAttributes(spec.padding ?? 'valid', layer, [kh, kw], pair(spec.strides ?? 1)),
          dilations: [1, 1],
          group: c,
        },
      );
      const pw = g.constant(`${n}/pointwise_kernel`, convKernel(pk.data, pk.shape), [f, c * m, 1, 1]);
      g.op('Conv', biasInput(g, layer, bias, [pw]), { kernel_shape: [1, 1], group: 1 });
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  conv2dTranspose: {
    emit(g, spec, layer) {
      const [kernel, bias] = g.weights(layer, ['kernel', 'bias']);
      const [kh, kw, f, c] = kernel.shape;
      const [sh, sw] = pair(spec.strides ?? 1);
      const same = spec.padding === 'same';
      const [ih, iw] = layer.inputShape;
      const [oh, ow] = layer.outputShape;
      const y = transposePads(ih, oh, kh, sh, same);
      const x = transposePads(iw, ow, kw, sw, same);
      g.nchw();
      const w = g.constant(`${g.name(layer)}/kernel`, transposeKernel(kernel.data, kernel.shape), [
        c,
        f,
        kh,
        kw,
      ]);
      g.op('ConvTranspose', biasInput(g, layer, bias, [w]), {
        kernel_shape: [kh, kw],
        strides: [sh, sw],
        pads: [y.begin, x.begin, y.end, x.end],
        output_padding: [y.extra, x.extra],
        dilations: [1, 1],
        group: 1,
      });
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  maxPooling2d: pool('MaxPool'),
  // count_include_pad 0: a window overlapping padding divides by its in-bounds cells, as Convolab
  averagePooling2d: pool('AveragePool', { count_include_pad: 0 }),
  globalAveragePooling2d: globalPool('GlobalAveragePool'),
  globalMaxPooling2d: globalPool('GlobalMaxPool'),
  zeroPadding2d: {
    emit(g, spec) {
      const [[t, b], [l, r]] = fourSides(spec.padding ?? 1);
      const a = g.axes();
      const begin = [0, 0, 0, 0];
      const end = [0, 0, 0, 0];
      [begin[a.h], begin[a.w], end[a.h], end[a.w]] = [t, l, b, r];
      g.op('Pad', [g.int64Constant(g.constantName('pads'), [...begin, ...end])], { mode: 'constant' });
    },
  },
  cropping2d: {
    emit(g, spec, layer) {
      const [[t, b], [l, r]] = fourSides(spec.cropping);
      const [h, w] = layer.inputShape;
      const a = g.axes();
      g.op('Slice', [
        g.int64Constant(g.constantName('starts'), [t, l]),
        g.int64Constant(g.constantName('ends'), [h - b, w - r]),
        g.int64Constant(g.constantName('axes'), [a.h, a.w]),
      ]);
    },
  },
  upSampling2d: {
    emit(g, spec) {
      const [sh, sw] = pair(spec.size ?? 2);
      g.nchw();
      // tfjs-layers samples source row y / sh (no half-pixel centres, no corner alignment):
      // ONNX's 'asymmetric' transform, nearest rounding down, linear clamped at the edge
      const bilinear = spec.interpolation === 'bilinear';
      g.op('Resize', ['', g.constant(g.constantName('scales'), [1, 1, sh, sw], [4])], {
        mode: bilinear ? 'linear' : 'nearest',
        coordinate_transformation_mode: 'asymmetric',
        ...(bilinear ? {} : { nearest_mode: 'floor' }),
      });
    },
  },
  reshape: {
    emit(g, spec, layer) {
      g.last(); // Convolab reshapes in channels-last order
      g.op('Reshape', [g.int64Constant(g.constantName('shape'), [-1, ...layer.outputShape])]);
    },
  },
  flatten: {
    emit(g) {
      g.last(); // channels-last order, as Convolab's (and Keras's) Flatten
      g.op('Flatten', [], { axis: 1 });
    },
  },
  dense: {
    emit(g, spec, layer) {
      const [kernel, bias] = g.weights(layer, ['kernel', 'bias']);
      g.last();
      const w = g.constant(`${g.name(layer)}/kernel`, kernel.data, kernel.shape);
      if (g.shape.length === 1) {
        g.op('Gemm', biasInput(g, layer, bias, [w]), {}); // [N, in] x [in, units] (+ bias)
      } else {
        // on the last axis of a map or sequence, as tfjs: [N, ..., in] x [in, units] (+ bias)
        g.op('MatMul', [w]);
        if (bias) g.op('Add', [g.constant(`${g.name(layer)}/bias`, bias.data, bias.shape)]);
      }
      emitActivation(g, spec.activation, spec.alpha);
    },
  },
  dropout: {
    emit() {}, // the identity at inference
  },
  batchNormalization: {
    emit(g, spec, layer) {
      const c = layer.outputShape.at(-1);
      const [gamma, beta, mean, variance] = g.weights(layer, [
        'gamma',
        'beta',
        'movingMean',
        'movingVariance',
      ]);
      const epsilon = spec.epsilon ?? 1e-3;
      const n = g.name(layer);
      const scale = gamma ? gamma.data : new Float32Array(c).fill(1);
      const shift = beta ? beta.data : new Float32Array(c);
      if (g.shape.length === 2) {
        // [N, a, c]: BatchNormalization would take a as the channels; the same affine map on the last axis
        const k = Float32Array.from(scale, (s, i) => s / Math.sqrt(variance.data[i] + epsilon));
        const b = Float32Array.from(shift, (s, i) => s - mean.data[i] * k[i]);
        g.op('Mul', [g.constant(`${n}/scale`, k, [c])]);
        g.op('Add', [g.constant(`${n}/offset`, b, [c])]);
        return;
      }
      if (g.shape.length === 3) g.nchw(); // channels on axis 1, as [N, C] already has them
      g.op(
        'BatchNormalization',
        [
          g.constant(`${n}/gamma`, scale, [c]),
          g.constant(`${n}/beta`, shift, [c]),
          g.constant(`${n}/moving_mean`, mean.data, [c]),
          g.constant(`${n}/moving_variance`, variance.data, [c]),
        ],
        { epsilon },
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
