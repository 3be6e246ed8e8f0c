// Ready-made stacks, each teaching something. Hyperparameters are the ones
// each net trains well with here.
const conv = (filters, kernelSize, extra = {}) => ({
  type: 'conv2d',
  filters,
  kernelSize,
  strides: 1,
  padding: 'same',
  activation: 'relu',
  kernelInitializer: 'glorotUniform',
  ...extra,
});
const maxPool = (poolSize = 2, strides = poolSize) => ({
  type: 'maxPooling2d',
  poolSize,
  strides,
  padding: 'valid',
});
const avgPool = (poolSize = 2) => ({
  type: 'averagePooling2d',
  poolSize,
  strides: poolSize,
  padding: 'valid',
});
const dense = (units, activation = 'relu') => ({
  type: 'dense',
  units,
  activation,
  kernelInitializer: 'glorotUniform',
});
const flatten = { type: 'flatten' };
const SGD = { optimizer: 'momentum', learningRate: 0.01, momentum: 0.9, batchSize: 32, epochs: 1, l2: 0 };

export const PRESETS = {
  reference: {
    name: 'Convolab reference net',
    note: 'two 5×5 conv + max-pool blocks',
    // a figure measured on one dataset is shown only with it
    figures: { mnist: '~95 % after one epoch on MNIST' },
    layers: [conv(8, 5), maxPool(), conv(16, 5), maxPool(), flatten, dense(10, 'softmax')],
    hyper: SGD,
  },
  convnetjs: {
    name: 'ConvNetJS MNIST net',
    note: "Karpathy's browser demo: 8 and 16 filters of 5×5, pools of 2 and 3",
    layers: [conv(8, 5), maxPool(2), conv(16, 5), maxPool(3), flatten, dense(10, 'softmax')],
    hyper: { ...SGD, batchSize: 20, l2: 0.001 },
  },
  lenet: {
    name: 'LeNet-5-like',
    note: 'LeCun 1998: tanh, average pooling, 120-84-10 head',
    layers: [
      conv(6, 5, { activation: 'tanh' }),
      avgPool(),
      conv(16, 5, { padding: 'valid', activation: 'tanh' }),
      avgPool(),
      flatten,
      dense(120, 'tanh'),
      dense(84, 'tanh'),
      dense(10, 'softmax'),
    ],
    hyper: SGD,
  },
  tiny: {
    name: 'Tiny fast net',
    note: 'four 5×5 filters and one dense layer: trains in seconds',
    layers: [conv(4, 5, { padding: 'valid' }), maxPool(), flatten, dense(10, 'softmax')],
    hyper: { ...SGD, learningRate: 0.02 },
  },
  bottleneck: {
    name: '1×1 bottleneck net',
    note: 'a 1×1 conv squeezes 16 channels to 4 before the next 3×3',
    layers: [conv(16, 3), maxPool(), conv(4, 1), conv(16, 3), maxPool(), flatten, dense(10, 'softmax')],
    hyper: SGD,
  },
  denoise: {
    name: 'Denoising autoencoder',
    note:
      'noisy digit in, clean digit out: conv and pooling squeeze it to 7×7×8, two transposed convs bring it ' +
      'back to 28×28; mean squared error against the clean image',
    task: 'denoise',
    layers: [
      conv(16, 3),
      maxPool(),
      conv(8, 3),
      maxPool(),
      { type: 'conv2dTranspose', filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
      {
        type: 'conv2dTranspose',
        filters: 16,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      },
      // linear: a sigmoid here sinks to all-black under mean squared error before it learns the strokes
      conv(1, 3, { activation: 'linear' }),
    ],
    hyper: { ...SGD, optimizer: 'adam', learningRate: 0.002 },
  },
  dense: {
    name: 'Dense-only net',
    note: 'no convolutions: many more weights, no notion of nearby pixels',
    layers: [flatten, dense(128), dense(10, 'softmax')],
    hyper: SGD,
  },
};

export const DEFAULT_PRESET = 'reference';
