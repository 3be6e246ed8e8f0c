// The catalogue's interop rows (tests/support/catalogue.js runs them): what
// a TensorFlow.js file or export cannot carry is refused with an
// InteropError whose fields say what (code, layerIndex, option), never
// read or written as a different model.

// A tfjs-layers model.json of weightless layers (or layers whose config is
// refused before any weight is read), and no weights.
function tfjsFile(...layers) {
  return {
    format: 'layers-model',
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 6, 2], name: 'input' } },
          ...layers.map(([className, config], i) => ({
            class_name: className,
            config: { name: `layer_${i + 1}`, trainable: true, dtype: 'float32', ...config },
          })),
        ],
      },
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
  };
}
const CONV = { kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'linear', use_bias: true };
const L2 = (l2) => ({ class_name: 'L1L2', config: { l1: 0, l2 } });

export function addInteropRows(row) {
  const import_ = (name, json, fields) =>
    row('importTfjs', name, ({ cl }) => cl.importTfjs(json, new ArrayBuffer(0)), {
      name: 'InteropError',
      kind: 'spec',
      ...fields,
    });
  const option = (layerIndex, opt) => ({ code: 'unsupported-option', layerIndex, option: opt });
  import_(
    'UpSampling2D bicubic',
    tfjsFile(['UpSampling2D', { size: [2, 2], interpolation: 'bicubic' }]),
    option(1, 'interpolation'),
  );
  import_(
    'Conv2DTranspose with output_padding',
    tfjsFile(['Conv2DTranspose', { ...CONV, filters: 2, output_padding: [1, 1] }]),
    option(1, 'output_padding'),
  );
  import_(
    'DepthwiseConv2D dilated',
    tfjsFile(['DepthwiseConv2D', { ...CONV, depth_multiplier: 1, dilation_rate: [2, 2] }]),
    option(1, 'dilation_rate'),
  );
  import_(
    'SeparableConv2D with two different regularizers',
    tfjsFile([
      'SeparableConv2D',
      { ...CONV, filters: 2, depthwise_regularizer: L2(0.01), pointwise_regularizer: L2(0.02) },
    ]),
    option(1, 'pointwise_regularizer'),
  );
  import_(
    'a depthwise regularizer unlike the Conv2D one',
    tfjsFile(
      ['Conv2D', { ...CONV, filters: 2, kernel_regularizer: L2(0.01) }],
      ['DepthwiseConv2D', { ...CONV, depth_multiplier: 1, depthwise_regularizer: L2(0.03) }],
    ),
    option(2, 'depthwise_regularizer'),
  );
  import_(
    'Reshape to four axes',
    tfjsFile(['Reshape', { target_shape: [1, 2, 3, 12] }]),
    option(1, 'target_shape'),
  );
  import_('Cropping2D by text', tfjsFile(['Cropping2D', { cropping: 'all' }]), option(1, 'cropping'));
  import_(
    'ZeroPadding2D channels_first',
    tfjsFile([
      'ZeroPadding2D',
      {
        padding: [
          [1, 1],
          [1, 1],
        ],
        data_format: 'channels_first',
      },
    ]),
    option(1, 'data_format'),
  );
  import_(
    'GlobalMaxPooling2D keepdims',
    tfjsFile(['GlobalMaxPooling2D', { keepdims: true }]),
    option(1, 'keepdims'),
  );
  import_('Conv2D on a vector', tfjsFile(['Flatten', {}], ['Conv2D', { ...CONV, filters: 2 }]), {
    code: 'unsupported-layer',
    layerIndex: 2,
    className: 'Conv2D',
  });
  import_('Conv3D', tfjsFile(['Conv3D', { ...CONV, filters: 2 }]), {
    code: 'unsupported-layer',
    layerIndex: 1,
    className: 'Conv3D',
  });

  // tfjs pools pad 'valid' or 'same' only; Convolab's explicit max-pool padding is ignored cells, not zeros
  const export_ = (name, layers, fields) =>
    row(
      'exportTfjs',
      name,
      async ({ cl }) => {
        const model = await cl.sequential({ inputShape: [6, 6, 1], layers });
        try {
          return await model.exportTfjs();
        } finally {
          await model.dispose();
        }
      },
      { name: 'InteropError', kind: 'spec', ...fields },
    );
  export_(
    'maxPooling2d with padding 1',
    [{ type: 'maxPooling2d', poolSize: 3, padding: 1 }],
    option(0, 'padding'),
  );
  export_(
    'maxPooling2d with padding [1, 0] after a conv',
    [
      { type: 'conv2d', filters: 2, kernelSize: 1 },
      { type: 'maxPooling2d', poolSize: 2, padding: [1, 0] },
    ],
    option(1, 'padding'),
  );
}
