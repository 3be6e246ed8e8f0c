// The API of a Model, its Layers and a training Run, as one table: every
// method, how convolab/worker carries it across to the worker, and whether it
// may be called while the model trains. bindings/worker-thread.js answers
// from these rows and bindings/worker.js builds its proxies from them;
// tests/js/api-parity.test.js holds Model and the worker's proxy to the same
// methods and the same answers.
//
// Adding a Model method: write it in model.js, add its row here, declare it in
// convolab.d.ts and worker.d.ts (as a Promise there), and give it a sample call
// in tests/js/api-parity.test.js (the test fails until it has one).
//
// A row's fields (all optional):
//   args      how each argument crosses to the worker: DATA (an Input or Labels:
//             a Tensor goes as { data, shape }, an UploadedData by reference),
//             TENSORS (a list of those), PLAIN (structured clone, the default).
//             Results come back as plain data with their Tensors revived.
//   answer    'worker' (default: asked in the worker, the proxy returns a Promise),
//             'self' (asked in the worker; the proxy resolves to itself, as
//             Model.compile returns the model), 'local' (answered by the proxy
//             from what it already holds, synchronously), 'own' (written by hand
//             on both sides: fit, dispose), 'run' (the current Run's control,
//             kept on the model for the README's model.pause() and friends).
//   getter    Model has it as a property, the proxy as a method (compileConfig).
//   worker    false: main thread only (low level, flat arrays over wasm memory).
//   duringFit false: refused while a fit runs (ConvolabError).
export const DATA = 'data';
export const TENSORS = 'tensors';
export const PLAIN = 'plain';

export const MODEL_METHODS = {
  compile: { args: [PLAIN], answer: 'self' },
  setLearningRate: {},
  fit: { answer: 'own', duringFit: false },
  trainOnBatch: { args: [DATA, DATA] },
  predict: { args: [DATA] },
  evaluate: { args: [DATA, DATA] },
  activations: { args: [DATA] },
  gradients: {},
  activationGradients: {},
  compileConfig: { getter: true },
  timings: {},
  summary: {},
  summaryData: {},
  countParams: { answer: 'local' },
  toJSON: { answer: 'local' },
  getWeights: {},
  setWeights: { args: [TENSORS] },
  save: {},
  exportTfjs: {},
  exportOnnx: {},
  dispose: { answer: 'own' },
  pause: { answer: 'run' },
  resume: { answer: 'run' },
  step: { answer: 'run' },
  stop: { answer: 'run' },
  setBatchSize: { answer: 'run' },
  trainBatch: { worker: false },
  activation: { worker: false },
  getParams: { worker: false },
  setParams: { worker: false },
};

// Layer methods go to the worker with the layer's index.
export const LAYER_METHODS = {
  getWeights: {},
  setWeights: { args: [TENSORS] },
  getGradients: {},
  countParams: { answer: 'local' },
};

// What fit returns: the Run's controls. In the worker they reach the Run of
// that fit (one that has ended answers as an ended Run does); answer 'model':
// the model's own method, offered by the run too.
export const RUN_METHODS = {
  pause: {},
  resume: {},
  step: {},
  stop: {},
  setBatchSize: {},
  setLearningRate: { answer: 'model' },
};

// What a model and a layer tell about themselves when they are made: the
// proxy holds copies and answers these without asking the worker.
export const MODEL_FACTS = ['inputShape', 'numClasses', 'outputShape'];
export const LAYER_FACTS = ['index', 'name', 'type', 'config', 'inputShape', 'outputShape', 'weightSpecs'];

/** Every weight of these specs (trainable or not), as tfjs counts them. */
export function countWeights(weightSpecs) {
  return weightSpecs.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0);
}
