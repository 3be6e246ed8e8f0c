// The networks every contender builds: the reference net (what the page
// trains), the two single-conv micro-benchmarks and the depthwise/separable
// training-step micro-benchmarks.
import { REFERENCE_SPEC, REFERENCE_TRAINING } from '../../web/src/reference-net.js';

export { REFERENCE_SPEC, REFERENCE_TRAINING };

// The reference net's parameters in Convolab's arena order (getParams()).
export const REFERENCE_PARAM_SHAPES = [
  [5, 5, 1, 8],
  [8], // conv 1 kernel (KH, KW, C, OC), bias
  [5, 5, 8, 16],
  [16], // conv 2
  [784, 10],
  [10], // dense (I, U)
];

// Conv forward micro-benchmarks. FLOPs count 2 per multiply-add.
export const CONV_BENCHES = [
  {
    key: 'conv3x3',
    title: 'conv 3x3 32x32x64→64 (batch 1)',
    h: 32,
    w: 32,
    c: 64,
    k: 3,
    filters: 64,
    batch: 1,
  },
  { key: 'conv5x5', title: 'conv 5x5 28x28x1→8 (batch 32)', h: 28, w: 28, c: 1, k: 5, filters: 8, batch: 32 },
];
for (const b of CONV_BENCHES) b.flops = 2 * b.batch * b.h * b.w * b.filters * b.k * b.k * b.c;

// A Convolab model needs a classifier head; global average pooling +
// dense(2) adds well under 1 % to the conv's work, and the micro-benchmark
// counts it (and the copies in and out of wasm) against Convolab.
export function convBenchSpec(b) {
  return {
    inputShape: [b.h, b.w, b.c],
    layers: [
      { type: 'conv2d', filters: b.filters, kernelSize: b.k, padding: 'same' },
      { type: 'globalAveragePooling2d' },
      { type: 'dense', units: 2 },
    ],
  };
}

export function syntheticInput(n) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = (i % 17) / 17 - 0.5;
  return x;
}

// Training-step micro-benchmarks: one forward + backward (input and weight
// gradients) of a MobileNet-style depthwise or separable 3x3 'same' block,
// in milliseconds per step. ConvNetJS has neither layer.
export const STEP_BENCHES = [
  {
    key: 'depthwise3x3',
    title: 'depthwise 3x3 28x28x32 fwd+bwd (batch 32)',
    h: 28,
    w: 28,
    c: 32,
    batch: 32,
    layer: { type: 'depthwiseConv2d', kernelSize: 3, padding: 'same' },
  },
  {
    key: 'separable3x3',
    title: 'separable 3x3 28x28x32→64 fwd+bwd (batch 32)',
    h: 28,
    w: 28,
    c: 32,
    batch: 32,
    layer: { type: 'separableConv2d', filters: 64, kernelSize: 3, padding: 'same' },
  },
];

// The first layer of a model computes no input gradient, so a parameter-free
// linear activation goes first: the block's backward then includes dL/dx.
// Global average pooling + dense(2) is the head, as for the conv benches.
export function stepBenchSpec(b) {
  return {
    inputShape: [b.h, b.w, b.c],
    layers: [
      { type: 'activation', activation: 'linear' },
      b.layer,
      { type: 'globalAveragePooling2d' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
  };
}
export const STEP_TRAINING = {
  optimizer: { type: 'sgd', learningRate: 0.01 },
  loss: 'categoricalCrossentropy',
};

export function syntheticLabels(n) {
  return Int32Array.from({ length: n }, (_, i) => i % 2);
}
