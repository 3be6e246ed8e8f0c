// A typed use of the whole public API; tests/js/package-pack.test.js runs
// `tsc --noEmit` on it, so the hand-written .d.ts files must describe it.
// The @ts-expect-error lines prove the typings reject misuse.
import { loadConvolab, ConvolabError, MemoryError, SpecError, Tensor, WorkerError } from 'convolab';
import type {
  Convolab,
  History,
  Model,
  ModelSpec,
  SummaryData,
  LayerSpec,
  FitOptions,
  Run,
  RunState,
  ConvolabDataset,
  ExampleShape,
} from 'convolab';
import { loadConvolabWorker } from 'convolab/worker';
import type { WorkerModel, WorkerRun } from 'convolab/worker';
import { decodeDataset, imagesAsFloat } from 'convolab/dataset';

export async function main(bytes: Uint8Array): Promise<number> {
  const cl: Convolab = await loadConvolab({ threads: 2 });
  const spec: ModelSpec = {
    inputShape: [28, 28, 1],
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'batchNormalization' },
      { type: 'leakyReLU', alpha: 0.2 },
      { type: 'dropout', rate: 0.25 },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  };
  const model: Model = cl.sequential(spec, { seed: 1 });
  model.compile({ optimizer: { type: 'adam', learningRate: 1e-3 }, loss: 'categoricalCrossentropy' });
  model.compile({ optimizer: 'sgd', metrics: ['accuracy'] });
  // a denoising autoencoder: ends in a feature map, trains with MSE on images
  const autoencoder: Model = cl.sequential({
    inputShape: [28, 28, 1],
    layers: [
      {
        type: 'zeroPadding2d',
        padding: [
          [1, 1],
          [2, 2],
        ],
      },
      { type: 'separableConv2d', filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' },
      { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' },
      { type: 'conv2dTranspose', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
      {
        type: 'cropping2d',
        cropping: [
          [1, 1],
          [2, 2],
        ],
      },
      { type: 'upSampling2d', size: [1, 1], interpolation: 'bilinear' },
      { type: 'conv2d', filters: 1, kernelSize: 1, activation: 'sigmoid' },
    ],
  });
  autoencoder.compile({ loss: 'meanSquaredError' });
  const mapShape: ExampleShape = autoencoder.outputShape;
  autoencoder.dispose();
  void mapShape;
  model.compile({ loss: 'categoricalCrossentropy', fromLogits: false });
  cl.sequential({
    inputShape: [4, 4, 1],
    layers: [{ type: 'globalMaxPooling2d' }, { type: 'reshape', targetShape: [1, -1] }],
  }).dispose();

  const ds = decodeDataset(bytes);
  const x = { data: imagesAsFloat(ds, 0, 100), shape: [100, 28, 28, 1] };
  const ctrl = new AbortController();
  const options: FitOptions = {
    epochs: 2,
    batchSize: 32,
    validationSplit: 0.1,
    signal: ctrl.signal,
    onBatchEnd: (batch: number, logs) => {
      const l: number = logs.loss;
      void batch;
      void l;
    },
    onEpochEnd: (epoch, logs) => {
      const v: number | undefined = logs.val_acc;
      void epoch;
      void v;
    },
  };
  const history: History = await model.fit(x, ds.labels.subarray(0, 100), options);
  const paused = model.fit(x, ds.labels.subarray(0, 100), { startPaused: true, checkpointEveryMs: 500 });
  const steppedHere: boolean = await model.step();
  model.setBatchSize(8);
  model.stop();
  await paused;
  const run1: Run = model.fit(x, ds.labels.subarray(0, 100), { startPaused: true });
  const state: RunState = run1.state;
  const one: boolean = await run1.step();
  run1.setBatchSize(4);
  run1.setLearningRate(0.001);
  run1.pause();
  run1.resume();
  run1.stop();
  const h1: History = await run1;
  const live: boolean = run1.isLive;
  const losses: number[] = history.history.loss;

  const mine: ConvolabDataset = cl.dataset({
    images: new Uint8Array(2 * 784),
    labels: [0, 1],
    shape: [28, 28, 1],
    classNames: ['circle', 'cross'],
  });
  const fromFile: ConvolabDataset = cl.datasetFromBytes(mine.toBytes());
  const dsHistory: History = await model.fit(fromFile, {
    epochs: 1,
    validationSplit: 0.5,
    augment: { shift: 2, rotate: 10, scale: [0.9, 1.1], flipHorizontal: false, noise: 0.05 },
  });
  const dsEval: number = model.evaluate(mine).accuracy;
  const preview: Float32Array = cl.augment(mine.images, [28, 28, 1], { shift: 1 }, { seed: 3 });
  // @ts-expect-error scale is [min, max]
  const badAugment: FitOptions = { augment: { scale: 1.1 } };
  void [dsHistory, dsEval, preview, badAugment];

  const probs: Tensor = model.predict(x);
  const classes: Int32Array = probs.argMax();
  const { loss, accuracy } = model.evaluate(new Tensor(x.data, x.shape), ds.labels.subarray(0, 100));
  const text: string = model.summary();
  const data: SummaryData = model.summaryData();
  const [kernel, bias] = model.layers[0].getWeights();
  model.layers[0].setWeights([kernel, bias]);
  const grads: Array<Array<Tensor | null>> = model.gradients();
  const outGrads: Tensor[] = model.activationGradients();
  const lr: number | undefined =
    typeof model.compileConfig.optimizer === 'object'
      ? model.compileConfig.optimizer.learningRate
      : undefined;
  const acts: Tensor[] = model.activations(x);
  const ms: number = model.timings()[0].forwardMs;
  const json: ModelSpec = model.toJSON();
  const layer: LayerSpec = json.layers[0];
  const saved: Uint8Array = model.save({ includeOptimizer: false });
  const again: Model = cl.load(saved);
  const heap: number = cl.memory().allocatedBytes;
  const limit: number = cl.memory().limitBytes + cl.memory().heapMaxBytes;
  try {
    cl.sequential({
      inputShape: [16, 16, 1],
      layers: [{ type: 'flatten' }, { type: 'dense', units: 1000000 }],
    });
  } catch (e) {
    if (e instanceof MemoryError && e.code === 'model-too-large') {
      const over: number = (e.bytesNeeded ?? 0) - e.bytesLimit;
      const kind: 'memory' = e.kind;
      void [over, kind, e.layerIndex];
    }
    // @ts-expect-error a MemoryError's code is one of its documented codes
    if (e instanceof cl.MemoryError && e.code === 'too-big') console.log(e.code);
  }
  void limit;
  model.dispose();
  again.dispose();

  try {
    cl.sequential({ inputShape: [3, 3, 1], layers: [{ type: 'conv2d', filters: 1, kernelSize: 5 }] });
  } catch (e) {
    if (e instanceof SpecError) console.log(e.message);
    if (e instanceof ConvolabError) console.log(e.name);
    if (e instanceof ConvolabError && e.kind === 'spec') {
      const at: number | undefined = e.layerIndex;
      const option: string | undefined = e.option;
      const value: number | string | undefined = e.value;
      const where: [number | undefined, number | undefined, number | undefined] = [e.epoch, e.batch, e.index];
      const code: string = e.code;
      void [at, option, value, where, code];
      // @ts-expect-error kind is one of the documented kinds
      if (e.kind === 'layer') console.log(e.kind);
    }
  }

  const wcl = await loadConvolabWorker({ workerUrl: '/worker-thread.js' });
  const wm: WorkerModel = await wcl.sequential(spec);
  await wm.compile({ optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 } });
  const run: Promise<History> = wm.fit(x, ds.labels.subarray(0, 100), {
    epochs: 1,
    startPaused: true,
    restoreOnDivergence: true,
    onBatchEnd: (b, l) => console.log(b, l.loss),
  });
  const stepped: boolean = await wm.step();
  await wm.setBatchSize(16);
  await wm.pause();
  await wm.resume();
  await wm.stop();
  await run;
  const wrun: WorkerRun = wm.fit(x, ds.labels.subarray(0, 100), { startPaused: true });
  const wone: boolean = await wrun.step();
  await wrun.setLearningRate(0.01);
  await wrun.stop();
  const wh: History = await wrun;
  const up = await wcl.upload(x, { transfer: true });
  const wp: Tensor = await wm.predict(up);
  const wds = await wcl.upload(
    wcl.dataset({
      images: new Float32Array(784 * 2),
      labels: [1, 0],
      shape: [28, 28, 1],
      classNames: ['a', 'b'],
    }),
  );
  const whDs: History = await wm.fit(wds, { epochs: 1, augment: { noise: 0.1 } });
  void whDs;
  await up.release();
  const ww: Tensor[] = await wm.layers[0].getWeights();
  await wm.dispose();
  // a worker that dies: died resolves with the WorkerError every pending call rejects with
  void wcl.died.then((e: WorkerError) => {
    const code: 'worker-died' | 'engine-crashed' = e.code;
    const kind: 'worker' = e.kind;
    void [code, kind, e instanceof WorkerError];
  });
  wcl.terminate();

  // @ts-expect-error an unknown layer type is a type error
  const bad: LayerSpec = { type: 'conv3d', filters: 2 };
  // @ts-expect-error predict is synchronous on a Model
  await model.predict(x).then(() => 0);
  void [
    state,
    one,
    h1,
    live,
    wone,
    wh,
    stepped,
    steppedHere,
    outGrads,
    lr,
    losses,
    classes,
    loss,
    accuracy,
    text,
    data,
    grads,
    acts,
    ms,
    layer,
    heap,
    wp,
    ww,
    bad,
  ];
  return accuracy;
}

// Interop: out to TensorFlow.js and ONNX, and back from TensorFlow.js.
export async function interop(cl: Convolab, model: Model): Promise<number> {
  const { modelJSON, weightData } = model.exportTfjs();
  const names: string[] = modelJSON.weightsManifest[0].weights.map((w) => w.name);
  const bytes: ArrayBuffer = weightData;
  const back: Model = cl.importTfjs(JSON.stringify(modelJSON), [bytes]);
  const onnx: Uint8Array = await model.exportOnnx();
  try {
    cl.importTfjs(modelJSON, new ArrayBuffer(0));
  } catch (e) {
    if (e instanceof cl.InteropError && e.code === 'weights-short') return e.layerIndex ?? -1;
  }
  // @ts-expect-error the weights are bytes, not a list of numbers
  cl.importTfjs(modelJSON, [1, 2, 3]);
  back.dispose();
  return names.length + onnx.length;
}
