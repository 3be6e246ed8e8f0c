// The convolutions' rows of the TensorFlow.js layer table (tfjs-layer-table.js
// explains the row fields): Conv2D, DepthwiseConv2D, SeparableConv2D and
// Conv2DTranspose, with their weights named and shaped as tfjs stores them.
import {
  activationLayers,
  convConfig,
  initializer,
  l2Regularizer,
  pair,
  readConv,
  readCount,
  readInitializer,
  readRegularizer,
} from './tfjs-config.js';

const DEFAULTS = { strides: 1, padding: 'valid', useBias: true, activation: 'linear', alpha: 0.3 };

export const conv2d = {
  className: 'Conv2D',
  aliases: ['Convolution2D'],
  input: 'spatial',
  weights: [
    ['kernel', 'kernel'],
    ['bias', 'bias'],
  ],
  defaults: DEFAULTS,
  toTfjs(spec, { l2 }) {
    const { activation, after } = activationLayers(spec, DEFAULTS);
    const padding = spec.padding ?? DEFAULTS.padding;
    // Explicit padding (a number or [h, w]) is a ZeroPadding2D before a 'valid' conv in tfjs.
    const before =
      typeof padding === 'string'
        ? []
        : [
            {
              className: 'ZeroPadding2D',
              config: { padding: pair(padding).map((p) => [p, p]), data_format: 'channels_last' },
            },
          ];
    return [
      ...before,
      {
        className: 'Conv2D',
        weights: true,
        config: {
          filters: spec.filters,
          ...convConfig(spec, typeof padding === 'string' ? padding : 'valid', activation),
          kernel_initializer: initializer(spec.kernelInitializer ?? 'glorotUniform'),
          kernel_regularizer: l2Regularizer(l2),
          kernel_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r) {
    const spec = { ...readConv(r, 'conv2d'), filters: readCount(r, 'filters') };
    readInitializer(r, 'kernel_initializer', 'kernelInitializer', spec);
    return { spec, l2: readRegularizer(r) };
  },
};

export const depthwiseConv2d = {
  className: 'DepthwiseConv2D',
  aliases: [],
  input: 'spatial',
  weights: [
    ['depthwise_kernel', 'depthwiseKernel'],
    ['bias', 'bias'],
  ],
  defaults: DEFAULTS,
  toTfjs(spec, { l2 }) {
    const { activation, after } = activationLayers(spec, DEFAULTS);
    return [
      {
        className: 'DepthwiseConv2D',
        weights: true,
        config: {
          ...convConfig(spec, spec.padding ?? 'valid', activation),
          depth_multiplier: spec.depthMultiplier ?? 1,
          depthwise_initializer: initializer(spec.depthwiseInitializer ?? 'glorotUniform'),
          depthwise_regularizer: l2Regularizer(l2),
          depthwise_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r) {
    r.absent('depthwise_constraint');
    const spec = {
      ...readConv(r, 'depthwiseConv2d'),
      depthMultiplier: readCount(r, 'depth_multiplier'),
    };
    readInitializer(r, 'depthwise_initializer', 'depthwiseInitializer', spec);
    return { spec, l2: readRegularizer(r, 'depthwise_regularizer'), l2Option: 'depthwise_regularizer' };
  },
};

export const separableConv2d = {
  className: 'SeparableConv2D',
  aliases: ['SeparableConvolution2D'],
  input: 'spatial',
  weights: [
    ['depthwise_kernel', 'depthwiseKernel'],
    ['pointwise_kernel', 'pointwiseKernel'],
    ['bias', 'bias'],
  ],
  defaults: DEFAULTS,
  toTfjs(spec, { l2 }) {
    const { activation, after } = activationLayers(spec, DEFAULTS);
    return [
      {
        className: 'SeparableConv2D',
        weights: true,
        config: {
          filters: spec.filters,
          ...convConfig(spec, spec.padding ?? 'valid', activation),
          // tfjs 4.22's own getConfig() leaves depth_multiplier out; its constructor reads it
          depth_multiplier: spec.depthMultiplier ?? 1,
          depthwise_initializer: initializer(spec.depthwiseInitializer ?? 'glorotUniform'),
          pointwise_initializer: initializer(spec.pointwiseInitializer ?? 'glorotUniform'),
          depthwise_regularizer: l2Regularizer(l2),
          pointwise_regularizer: l2Regularizer(l2),
          depthwise_constraint: null,
          pointwise_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r, { weightShape }) {
    r.absent('depthwise_constraint', 'pointwise_constraint');
    // a file tfjs 4.22 saved has no depth_multiplier (see toTfjs): the depthwise kernel's last axis is it
    const depthMultiplier = r.has('depth_multiplier')
      ? readCount(r, 'depth_multiplier')
      : (weightShape('depthwise_kernel')?.[3] ?? 1);
    const spec = {
      ...readConv(r, 'separableConv2d'),
      filters: readCount(r, 'filters'),
      depthMultiplier,
    };
    readInitializer(r, 'depthwise_initializer', 'depthwiseInitializer', spec);
    readInitializer(r, 'pointwise_initializer', 'pointwiseInitializer', spec);
    const l2 = readRegularizer(r, 'depthwise_regularizer');
    const pointwise = readRegularizer(r, 'pointwise_regularizer');
    if (pointwise !== l2)
      throw r.fail(
        'pointwise_regularizer',
        `(${pointwise}) differs from depthwise_regularizer (${l2}); Convolab has one L2 penalty for every kernel`,
        { actual: pointwise },
      );
    return { spec, l2, l2Option: 'depthwise_regularizer' };
  },
};

export const conv2dTranspose = {
  className: 'Conv2DTranspose',
  aliases: ['Convolution2DTranspose'],
  input: 'spatial',
  // kernel [KH, KW, filters, C], as tfjs stores it (and Convolab)
  weights: [
    ['kernel', 'kernel'],
    ['bias', 'bias'],
  ],
  defaults: DEFAULTS,
  toTfjs(spec, { l2 }) {
    const { activation, after } = activationLayers(spec, DEFAULTS);
    const { dilation_rate, ...config } = convConfig(spec, spec.padding ?? 'valid', activation);
    return [
      {
        className: 'Conv2DTranspose',
        weights: true,
        config: {
          filters: spec.filters,
          ...config, // tfjs writes no dilation_rate for it
          kernel_initializer: initializer(spec.kernelInitializer ?? 'glorotUniform'),
          kernel_regularizer: l2Regularizer(l2),
          kernel_constraint: null,
        },
      },
      ...after,
    ];
  },
  fromTfjs(r) {
    r.absent('output_padding'); // Keras's; the output size is then tfjs's deconvLength, as Convolab's
    const spec = { ...readConv(r, 'conv2dTranspose'), filters: readCount(r, 'filters') };
    readInitializer(r, 'kernel_initializer', 'kernelInitializer', spec);
    return { spec, l2: readRegularizer(r) };
  },
};
