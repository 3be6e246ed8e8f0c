// Type declarations for the convolab npm module (hand-written; checked by
// tests/js/package-pack.test.js with tsc --noEmit on tests/types/usage.ts).

/**
 * Shape of one example, without the batch axis, as tfjs: [height, width,
 * channels] for an image or feature map, [features] for a flat vector
 * (Flatten, Dense on a flat input, the global pools), [steps, features] (Reshape).
 */
export type ExampleShape = [number, number, number] | [number] | [number, number];

export type Activation = 'linear' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'softmax';
export type Padding = 'valid' | 'same' | number | [number, number];
export type Initializer = 'glorotUniform' | 'heNormal' | 'zeros' | 'ones';
export type Size2 = number | [number, number];

export interface Conv2DSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: Size2;
  strides?: Size2;
  padding?: Padding;
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}
export interface DenseSpec {
  type: 'dense';
  units: number;
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}
export interface MaxPooling2DSpec {
  type: 'maxPooling2d';
  poolSize?: Size2;
  strides?: Size2;
  padding?: Padding;
}
export interface AveragePooling2DSpec {
  type: 'averagePooling2d';
  poolSize?: Size2;
  strides?: Size2;
  padding?: Padding;
}
export interface GlobalAveragePooling2DSpec {
  type: 'globalAveragePooling2d';
}
export interface FlattenSpec {
  type: 'flatten';
}
export interface DropoutSpec {
  type: 'dropout';
  rate: number;
}
export interface BatchNormalizationSpec {
  type: 'batchNormalization';
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  axis?: -1 | 3;
}
export interface ActivationSpec {
  type: 'activation';
  activation: Activation;
}
export interface ReLUSpec {
  type: 'reLU';
}
export interface LeakyReLUSpec {
  type: 'leakyReLU';
  alpha?: number;
}
export interface SoftmaxSpec {
  type: 'softmax';
}

export interface GlobalMaxPooling2DSpec {
  type: 'globalMaxPooling2d';
}
/** n (every side), [h, w] (top = bottom, left = right) or [[top, bottom], [left, right]]. */
export type Sides = number | [number, number] | [[number, number], [number, number]];
export interface ZeroPadding2DSpec {
  type: 'zeroPadding2d';
  padding?: Sides;
}
export interface Cropping2DSpec {
  type: 'cropping2d' | 'cropping2D';
  cropping: Sides;
}
export interface UpSampling2DSpec {
  type: 'upSampling2d';
  size?: Size2;
  /** As tfjs-layers samples (no half-pixel centres). */
  interpolation?: 'nearest' | 'bilinear';
}
export interface ReshapeSpec {
  type: 'reshape';
  /** 1 to 3 axes per example; one of them may be -1 (inferred). */
  targetShape: number[];
}
export interface DepthwiseConv2DSpec {
  type: 'depthwiseConv2d';
  kernelSize: Size2;
  depthMultiplier?: number;
  strides?: Size2;
  padding?: 'valid' | 'same';
  activation?: Activation;
  useBias?: boolean;
  depthwiseInitializer?: Initializer;
  biasInitializer?: Initializer;
}
export interface SeparableConv2DSpec {
  type: 'separableConv2d';
  filters: number;
  kernelSize: Size2;
  depthMultiplier?: number;
  strides?: Size2;
  padding?: 'valid' | 'same';
  activation?: Activation;
  useBias?: boolean;
  depthwiseInitializer?: Initializer;
  pointwiseInitializer?: Initializer;
  biasInitializer?: Initializer;
}
export interface Conv2DTransposeSpec {
  type: 'conv2dTranspose';
  filters: number;
  kernelSize: Size2;
  strides?: Size2;
  padding?: 'valid' | 'same';
  activation?: Activation;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  biasInitializer?: Initializer;
}

/** One layer of a spec: tfjs-layers type names (lowerCamelCase) and option names. */
export type LayerSpec =
  | Conv2DSpec
  | DenseSpec
  | MaxPooling2DSpec
  | AveragePooling2DSpec
  | GlobalAveragePooling2DSpec
  | FlattenSpec
  | DropoutSpec
  | BatchNormalizationSpec
  | ActivationSpec
  | ReLUSpec
  | LeakyReLUSpec
  | SoftmaxSpec
  | GlobalMaxPooling2DSpec
  | ZeroPadding2DSpec
  | Cropping2DSpec
  | UpSampling2DSpec
  | ReshapeSpec
  | DepthwiseConv2DSpec
  | SeparableConv2DSpec
  | Conv2DTransposeSpec;

/** A model spec, plain JSON: what toJSON() returns and the page keeps in its URL. */
export interface ModelSpec {
  inputShape: ExampleShape;
  layers: LayerSpec[];
}

export type OptimizerType = 'sgd' | 'momentum' | 'adam' | 'rmsprop' | 'adadelta';
export interface OptimizerConfig {
  type: OptimizerType;
  learningRate?: number;
  momentum?: number;
  useNesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  rho?: number;
  decay?: number;
  centered?: boolean;
  l2?: number;
}
export type Loss =
  'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError';
export interface CompileConfig {
  optimizer?: OptimizerType | OptimizerConfig;
  loss?: Loss;
  /**
   * Cross-entropies only, as Keras's `from_logits`: true reads the model's
   * outputs as logits (the loss applies softmax / sigmoid itself, over the
   * last axis), false as probabilities (the last layer must end in softmax /
   * sigmoid). Default: true when the last activation is linear, false when it
   * is softmax / sigmoid. It never changes what predict returns.
   */
  fromLogits?: boolean;
  /** Accepted for tfjs compatibility and ignored: fit and evaluate always report loss and accuracy. */
  metrics?: string[];
}

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array;

/** A flat typed array and its shape (row-major, channels-last). */
export class Tensor {
  constructor(data: TypedArray | number[], shape: number[], name?: string);
  readonly data: TypedArray;
  readonly shape: number[];
  /** Set on weights and gradients: 'kernel', 'bias', ... */
  readonly name?: string;
  readonly size: number;
  readonly rank: number;
  /** Index of the largest value in each row of the last dimension. */
  argMax(): Int32Array;
  /** Examples [start, start + count) along the first dimension, as a view. */
  slice(start: number, count: number): Tensor;
  toJSON(): { shape: number[]; data: number[] };
}
export function tensor(data: TypedArray | number[] | TensorLike, shape?: number[]): Tensor;

/** Anything with data and a shape: a Tensor or a plain { data, shape } object. */
export interface TensorLike {
  data: TypedArray | number[];
  shape: number[];
}
/** Model input: [n, h, w, c] (or one [h, w, c] example), or a flat Float32Array of whole examples. */
export type Input = TensorLike | Float32Array;
/**
 * Labels: class indices (integer typed array or number[] of length n; 0/1 for a
 * single output), or float target rows: a [n, K] tensor or a Float32Array of
 * n*K (one-hot, soft, binary or regression targets).
 */
export type Labels = Uint8Array | Int32Array | Float32Array | number[] | TensorLike;

export interface BatchLogs {
  batch: number;
  size: number;
  loss: number;
  acc: number;
  epoch: number;
  /** The current estimate: it changes when setBatchSize() changes the batch size mid-epoch. */
  batchesPerEpoch: number;
}
export interface EpochLogs {
  loss: number;
  acc: number;
  val_loss?: number;
  val_acc?: number;
}
export interface History {
  epoch: number[];
  history: { loss: number[]; acc: number[]; val_loss?: number[]; val_acc?: number[] };
  /** True when training ended early (signal, stop(), model.stopTraining). */
  stopped: boolean;
}
/**
 * Random changes fit makes to each training batch (never to the stored
 * images), drawn from fit's seed: the same seed gives the same batches.
 * Geometry is one affine map about the image centre, bilinear, black outside.
 */
export interface AugmentOptions {
  /** Shift by a whole number of pixels drawn from -shift..shift, horizontally and vertically. Default 0. */
  shift?: number;
  /** Rotate by an angle drawn from -rotate..rotate degrees (0..180). Default 0. */
  rotate?: number;
  /** Scale by a factor drawn from [min, max] (0 < min ≤ max). Default [1, 1]. */
  scale?: [number, number];
  /** Mirror left–right half of the time. Default false. */
  flipHorizontal?: boolean;
  /** Add Gaussian noise of this standard deviation to every pixel (0..1 scale), clamped to 0..1. Default 0. */
  noise?: number;
}
export interface FitOptions {
  /** Augment each training batch (off by default). */
  augment?: AugmentOptions;
  /** Default 1. */ epochs?: number;
  /** Default 32. */ batchSize?: number;
  /** Fraction taken from the END of x, y for validation (as Keras), before shuffling. Default 0. */
  validationSplit?: number;
  validationData?: [Input, Labels];
  /** Shuffle the training examples every epoch. Default true. */ shuffle?: boolean;
  /** Seed for the shuffle, for repeatable runs. */ seed?: number;
  initialEpoch?: number;
  /** How often fit hands the event loop a turn (ms). Default 16. */ yieldEveryMs?: number;
  /** Start paused: no batch runs until resume() or step(). Default false. */ startPaused?: boolean;
  /**
   * When the loss diverges (NaN or infinite), put back the last checkpoint
   * (weights, BatchNormalization statistics, optimizer state) before
   * rejecting with TrainingError. Default true.
   */
  restoreOnDivergence?: boolean;
  /** How often the divergence checkpoint snapshots the model (ms); also at every epoch start. Default 1000. */
  checkpointEveryMs?: number;
  /** Aborting stops after the current batch; fit resolves with history.stopped = true. */
  signal?: AbortSignal;
  onTrainBegin?: () => void | Promise<void>;
  onEpochBegin?: (epoch: number) => void | Promise<void>;
  onBatchEnd?: (batch: number, logs: BatchLogs) => void | Promise<void>;
  onEpochEnd?: (epoch: number, logs: EpochLogs) => void | Promise<void>;
  onTrainEnd?: (history: History) => void | Promise<void>;
}
export interface Evaluation {
  loss: number;
  accuracy: number;
}
export interface LayerTiming {
  forwardMs: number;
  backwardMs: number;
}
export interface WeightSpec {
  name: string;
  shape: number[];
  /** false for BatchNormalization's moving statistics */ trainable: boolean;
}
export interface SummaryRow {
  index: number;
  type: string;
  options: string;
  outputShape: ExampleShape;
  weights: number;
  biases: number;
  /** trainable */ params: number;
  nonTrainable: number;
  macs: number;
  /** Bytes of kernel scratch memory (packed panels, padded copies, per-thread pieces) the layer holds at totals.workspaceBatch. */
  workspaceBytes: number;
}
export interface SummaryData {
  layers: SummaryRow[];
  /** maxBatch: the largest training batch whose memory estimate fits the limit (cl.memory().limitBytes). */
  totals: {
    weights: number;
    biases: number;
    params: number;
    nonTrainable: number;
    macs: number;
    maxBatch: number;
    /** All layers' kernel workspace, in bytes, at workspaceBatch. */
    workspaceBytes: number;
    /** The batch the model has room for (the largest it has run), or 32 before its first step. */
    workspaceBatch: number;
  };
}
export interface MemoryStats {
  /** malloc'd and live */ allocatedBytes: number;
  /** wasm memory size */ heapBytes: number;
  /** the most the wasm memory may grow to (1 GiB) */ heapMaxBytes: number;
  /** what one model's estimate may reach (the maximum less room for the runtime); MemoryError's bytesLimit */
  limitBytes: number;
}
/** Which engine build runs: its threads and kernel implementation (e.g. 'wasm_simd'). */
export interface Backend {
  build: 'single-thread' | 'threaded';
  threads: number;
  kernels: string;
}

export type RunState = 'running' | 'paused' | 'done' | 'failed';

/**
 * What fit returns: awaitable for the History (a thenable), and the controls
 * of that training, acting between batches while the run is live.
 */
export class Run implements Promise<History> {
  readonly [Symbol.toStringTag]: string;
  /** 'done' once resolved (stopped or not), 'failed' once rejected. */
  readonly state: RunState;
  readonly isPaused: boolean;
  /** True until the run has resolved or rejected. */
  readonly isLive: boolean;
  then<A = History, B = never>(
    onResolved?: ((history: History) => A | PromiseLike<A>) | null,
    onRejected?: ((error: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B>;
  catch<B = never>(onRejected?: ((error: any) => B | PromiseLike<B>) | null): Promise<History | B>;
  finally(onSettled?: (() => void) | null): Promise<History>;
  /** Parks training after the current batch (predict and inspection still work). */
  pause(): void;
  resume(): void;
  /** Ends training after the current batch; the run resolves with history.stopped = true. */
  stop(): void;
  /**
   * While paused, lets exactly one batch run, then it is paused again.
   * Resolves true once that batch has ended; false when the run is not paused.
   */
  step(): Promise<boolean>;
  /** n examples per batch from the next batch on; the epoch continues where it is. InputError unless n is whole ≥ 1. */
  setBatchSize(n: number): void;
  /** The model's learning rate, from the next batch on. */
  setLearningRate(learningRate: number): void;
}

export class Layer {
  /** 0-based position in model.layers. */ readonly index: number;
  /** e.g. 'conv2d_1'. */ readonly name: string;
  /** Engine type name, e.g. 'Conv2D'. */ readonly type: string;
  readonly config: LayerSpec;
  readonly inputShape: ExampleShape;
  readonly outputShape: ExampleShape;
  readonly weightSpecs: WeightSpec[];
  /** Copies of the weights, kernel then bias (conv kernel [KH, KW, C, OC], dense kernel [I, U]). */
  getWeights(): Tensor[];
  /** Checks every tensor first: a bad one changes nothing. */
  setWeights(weights: Array<TensorLike | Float32Array>): void;
  /** Gradients of the loss for the last training batch, shaped like getWeights(); null for non-trainable state. */
  getGradients(): Array<Tensor | null>;
  /** Every weight, trainable or not (BatchNormalization's moving statistics too), as tfjs counts them. */
  countParams(): number;
}

export class Model {
  readonly inputShape: ExampleShape;
  /** The output of one example: [k], or [h, w, k] for a feature map. */
  readonly outputShape: ExampleShape;
  /** k, the output's last axis (the classes of a cross-entropy, at every position). */
  readonly numClasses: number;
  readonly layers: Layer[];
  readonly numLayers: number;
  readonly isDisposed: boolean;
  /** Set true (e.g. from a callback) to end fit after the current batch. */
  stopTraining: boolean;
  /** True while a fit runs (its Run is live). */
  readonly isTraining: boolean;
  readonly isPaused: boolean;
  /** The running fit's run.pause() (no effect when not training); likewise resume, stop, step, setBatchSize. */
  pause(): void;
  resume(): void;
  stop(): void;
  step(): Promise<boolean>;
  /** InputError unless n is a whole number ≥ 1, even when not training. */
  setBatchSize(n: number): void;
  compile(config?: CompileConfig): this;
  setLearningRate(learningRate: number): void;
  /**
   * Trains; await the Run for the History. The Run rejects with ConvolabError
   * when this model is already training, InputError for bad options or data.
   */
  fit(x: Input, y: Labels, options?: FitOptions): Run;
  /**
   * Trains on a cl.dataset(): validationSplit holds out that fraction of each
   * class; without it the examples from ds.trainCount on validate.
   */
  fit(ds: ConvolabDataset, options?: FitOptions): Run;
  /** One training step; returns the batch's mean loss. */
  trainOnBatch(x: Input, y: Labels): number;
  /**
   * Low level: one step on n examples, flat NHWC floats and Int32 class
   * indices (n*h*w for a feature map) or Float32 targets shaped like the output.
   */
  trainBatch(x: Float32Array, labels: Int32Array | Float32Array, n: number): number;
  /** Exactly what the layers compute, [n, ...outputShape] (a linear last layer gives raw outputs). */
  predict(x: Input | ConvolabDataset): Tensor;
  /** Low level: n examples as a flat NHWC Float32Array in, a flat Float32Array (n × output size) out. */
  predict(x: Float32Array, n: number): Float32Array;
  evaluate(x: Input, y: Labels): Evaluation;
  /** Every example of the dataset. */
  evaluate(ds: ConvolabDataset): Evaluation;
  /**
   * Runs x forward; every layer's output as [n, h, w, c] (n up to the largest
   * batch trained on, at least 64). The last is predict's output.
   */
  activations(x: Input, n?: number): Tensor[];
  /** Weight gradients of the last training batch, per layer (null for state blocks). */
  gradients(): Array<Array<Tensor | null>>;
  /** Low level: layer i's output for the last forward batch, flat NHWC. */
  activation(i: number): Float32Array;
  /** Low level: every trainable parameter as one flat copy, in layer order. */
  getParams(): Float32Array;
  /** Low level: replaces every trainable parameter (length as getParams returns). */
  setParams(values: Float32Array): void;
  /** dL/d(output) of each layer for the last training batch, [n, h, w, c]; [] before training. */
  activationGradients(): Tensor[];
  /** The compile config in force, with the current learning rate. */
  readonly compileConfig: CompileConfig;
  /** Per layer, the last step's forward and backward time. */
  timings(): LayerTiming[];
  /** Text table: layers, output shapes, parameters, MACs. */
  summary(): string;
  summaryData(): SummaryData;
  /** Every weight of every layer, as tfjs counts them; summaryData() keeps trainable and non-trainable apart. */
  countParams(): number;
  toJSON(): ModelSpec;
  getWeights(): Tensor[];
  setWeights(weights: Array<TensorLike | Float32Array>): void;
  /**
   * The model in the engine's .clmodel format: spec, compile config, weights, state, optimizer state (unless
   * includeOptimizer: false).
   */
  save(options?: { includeOptimizer?: boolean }): Uint8Array;
  /** The model as TensorFlow.js LayersModel files (model.json's content and weights.bin's bytes). */
  exportTfjs(): TfjsModelFiles;
  /**
   * The model as ONNX bytes: opset 13, input 'input' [N, ...inputShape] float32 (NHWC for images), output
   * 'output' [N, ...outputShape] (channels-last for a feature map): what predict returns.
   */
  exportOnnx(): Promise<Uint8Array>;
  /** After cl.importTfjs: what of the file's training config had no Convolab counterpart (else empty). */
  importNotes?: string[];
  /** Frees the wasm memory; later calls throw DisposedError. Safe to call twice. */
  dispose(): void;
}

/** A tfjs-layers model.json, as exportTfjs writes it (and importTfjs reads it, with Keras converters' variants). */
export interface TfjsModelJSON {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology:
    | { class_name: string; config: unknown; keras_version?: string; backend?: string }
    | Record<string, unknown>;
  weightsManifest: Array<{
    paths: string[];
    weights: Array<{ name: string; shape: number[]; dtype: string }>;
  }>;
  trainingConfig?: Record<string, unknown>;
}
export interface TfjsModelFiles {
  modelJSON: TfjsModelJSON;
  /** The weights, float32, concatenated in manifest order (the weights.bin file). */
  weightData: ArrayBuffer;
}

/**
 * What an error is about, as data (decide by these, never by the message):
 * 'spec' a model spec or layer option; 'config' the compile config or a
 * hyperparameter; 'input' examples, labels, targets, a batch or an option of
 * fit/predict/evaluate; 'weights' setWeights' values; 'training' the loss
 * diverged; 'file' a saved model file; 'memory' a model or batch larger than
 * Convolab allows (refused before allocating); 'disposed' a disposed model or
 * worker; 'worker' the worker running the engine died (code 'worker-died' or 'engine-crashed');
 * 'error' anything else.
 */
export type ErrorKind =
  'spec' | 'config' | 'input' | 'weights' | 'training' | 'file' | 'memory' | 'disposed' | 'worker' | 'error';

export interface ErrorFields {
  kind?: ErrorKind;
  /** A finer name than kind where one helps ('diverged', 'truncated', 'checksum', 'json', ...); else the kind. */
  code?: string;
  /** The layer at fault, counted from 0 (model.layers[layerIndex]). */
  layerIndex?: number;
  /** The option, hyperparameter or argument at fault ('units', 'learningRate', 'labels', 'x', ...). */
  option?: string;
  /** The example, value, entry or block at fault, from 0. */
  index?: number;
  /** Where fit was when training diverged, from 0 as the callbacks count. */
  epoch?: number;
  batch?: number;
  /** The offending value (for a divergence: the loss, NaN or ±Infinity). */
  value?: number | string;
  /** A MemoryError's estimate of what the model or batch needs, in bytes. */
  bytesNeeded?: number;
  /** A MemoryError's limit, in bytes (cl.memory().limitBytes for a model). */
  bytesLimit?: number;
}

export class ConvolabError extends Error {
  constructor(message: string, options?: ErrorFields & { cause?: unknown });
  readonly kind: ErrorKind;
  readonly code: string;
  readonly layerIndex?: number;
  readonly option?: string;
  readonly index?: number;
  readonly epoch?: number;
  readonly batch?: number;
  readonly value?: number | string;
  readonly bytesNeeded?: number;
  readonly bytesLimit?: number;
}
/** Invalid spec, layer option, compile config or saved file. */
export class SpecError extends ConvolabError {}
/** Inputs, labels or weights of the wrong shape or values. */
export class InputError extends ConvolabError {}
/**
 * The loss became NaN/Inf. From fit: the message names the epoch and batch,
 * and the weights are the last checkpoint's (restoreOnDivergence); from
 * trainOnBatch: the weights are those of the last step.
 */
export class TrainingError extends ConvolabError {}
/**
 * A model or batch larger than the engine's memory limit, refused before
 * anything was allocated: the model (or, from sequential, its absence) keeps
 * its last good state. The message gives both numbers in MB / GB.
 */
export class MemoryError extends ConvolabError {
  readonly kind: 'memory';
  /**
   * 'model-too-large': the model itself (at sequential / load) or with its
   * optimizer's slots (at compile); 'batch-too-large': a training batch (the
   * message names the largest that fits); 'input-too-large': one predict /
   * evaluate call's data; 'layer-output-too-large': one layer's output per
   * example; 'heap-full': the wasm heap is at its maximum (other models hold part of it).
   */
  readonly code:
    'model-too-large' | 'batch-too-large' | 'input-too-large' | 'layer-output-too-large' | 'heap-full';
  /** The estimate in bytes (absent for 'heap-full'). */
  readonly bytesNeeded?: number;
  /** The limit the estimate is over, in bytes. */
  readonly bytesLimit: number;
  /** The layer holding at least half of the estimate, when one does (from 0). */
  readonly layerIndex?: number;
}
/** The model or worker was disposed. */
export class DisposedError extends ConvolabError {}
/**
 * The worker running the engine died (crashed, ran out of memory, was closed
 * or exited: code 'worker-died'), or the engine in it trapped and the worker
 * ended itself (code 'engine-crashed'): every pending and later call of
 * convolab/worker rejects with it.
 */
export class WorkerError extends ConvolabError {
  readonly kind: 'worker';
  readonly code: 'worker-died' | 'engine-crashed';
}
/** A model file for or from another framework that Convolab cannot represent; the fields say what and where. */
export class InteropError extends SpecError {
  readonly code:
    | 'unsupported-layer'
    | 'unsupported-option'
    | 'functional-model'
    | 'weights-short'
    | 'weights-long'
    | 'weight-shape'
    | 'weight-missing'
    | 'weight-unused'
    | 'bad-file';
  /** 0-based position in the file's layer list (InputLayer included). */
  readonly layerIndex?: number;
  readonly layerName?: string;
  readonly className?: string;
  readonly option?: string;
  readonly weightName?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

/** What cl.dataset() takes. */
export interface DatasetSpec {
  /** (N, H, W, C), channels-last: bytes 0–255 or floats 0–1. */
  images: Uint8Array | Uint8ClampedArray | Float32Array;
  /** N class indices 0..K-1. */
  labels: ArrayLike<number>;
  shape: ExampleShape;
  /** K ≥ 2 unique, non-empty names. */
  classNames: string[];
  /** Examples [0, trainCount) train, the rest validate. Default: all train. */
  trainCount?: number;
  name?: string;
}
/** A checked, self-contained dataset: its own copies of the images and labels. */
export class ConvolabDataset {
  readonly name: string;
  readonly classNames: readonly string[];
  readonly shape: readonly [number, number, number];
  readonly count: number;
  readonly classes: number;
  readonly trainCount: number;
  readonly images: Uint8Array | Float32Array;
  readonly labels: Uint8Array;
  /** Examples per class. */
  classCounts(): number[];
  /** The images as floats in 0..1, (N, H, W, C); cached, do not modify. */
  inputs(): Float32Array;
  labelIndices(): Int32Array;
  /** The .cldata file (float pixels rounded to bytes). */
  toBytes(): Uint8Array;
}
/** An InputError from cl.dataset/augment also says which field is wrong. */
export interface FieldError extends InputError {
  /** e.g. 'labels', 'shape', 'classNames', 'images', 'bytes', 'augment.rotate'. */
  option?: string;
  /** The example or class index, when one is at fault. */
  index?: number;
}
export function dataset(spec: DatasetSpec): ConvolabDataset;
export function datasetFromBytes(bytes: Uint8Array | ArrayBuffer): ConvolabDataset;
export function augmentImages(
  images: Float32Array | Uint8Array,
  shape: ExampleShape,
  options: AugmentOptions,
  seed?: { seed?: number },
): Float32Array;

export class Convolab {
  readonly backend: Backend;
  /** Checks every field (each problem its own InputError with err.option); nothing half-built. */
  dataset(spec: DatasetSpec): ConvolabDataset;
  /** A .cldata file back into a dataset; a truncated, corrupted or lying file throws InputError (option 'bytes'). */
  datasetFromBytes(bytes: Uint8Array | ArrayBuffer): ConvolabDataset;
  /** Augmented copies of images (floats 0..1), as fit's augment option makes them with that seed. */
  augment(
    images: Float32Array | Uint8Array,
    shape: ExampleShape,
    options: AugmentOptions,
    seed?: { seed?: number },
  ): Float32Array;
  sequential(spec: ModelSpec | string, options?: { seed?: number }): Model;
  /** @deprecated use sequential */
  createModel(spec: ModelSpec | string, options?: { seed?: number }): Model;
  /** Rebuilds a model from save()'s bytes. */
  load(bytes: Uint8Array | ArrayBuffer): Model;
  /** Builds a model from a TensorFlow.js LayersModel (model.json content, and the .bin bytes, one buffer per shard). */
  importTfjs(
    modelJSON: TfjsModelJSON | string,
    weightData: ArrayBuffer | ArrayBufferView | Array<ArrayBuffer | ArrayBufferView>,
  ): Model;
  tensor(data: TypedArray | number[] | TensorLike, shape?: number[]): Tensor;
  memory(): MemoryStats;
  readonly ConvolabError: typeof ConvolabError;
  readonly SpecError: typeof SpecError;
  readonly InputError: typeof InputError;
  readonly TrainingError: typeof TrainingError;
  readonly MemoryError: typeof MemoryError;
  readonly DisposedError: typeof DisposedError;
  readonly WorkerError: typeof WorkerError;
  readonly InteropError: typeof InteropError;
  readonly Tensor: typeof Tensor;
}

export interface LoadOptions {
  /** 1 forces the single-thread build; in Node, > 1 asks for the threaded build when it exists. */
  threads?: number;
  /** Where the .wasm is served from, when a bundler moved this module. */
  wasmUrl?: string | URL;
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where the threaded build's glue (convolab-core-mt.js) is. */
  threadedUrl?: string | URL;
}
export function loadConvolab(options?: LoadOptions): Promise<Convolab>;
