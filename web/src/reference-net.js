// The default network: the reference net every Convolab test and benchmark
// uses, so what the page trains is what the tests prove.
export const REFERENCE_SPEC = {
  inputShape: [28, 28, 1],
  layers: [
    { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

export const REFERENCE_TRAINING = {
  optimizer: { type: 'sgd', learningRate: 0.01, momentum: 0.9 },
  loss: 'categoricalCrossentropy',
  batchSize: 32,
};
