// Type declarations for convolab/worker: the Model API, asynchronous, with
// the model in a Web Worker (browsers) or worker_threads worker (Node). The
// methods are those of bindings/methods.js (tests/js/api-parity.test.js).
import type {
  AugmentOptions,
  ConvolabDataset,
  DatasetSpec,
  Backend,
  CompileConfig,
  Evaluation,
  ExampleShape,
  FitOptions,
  History,
  Input,
  Labels,
  LayerSpec,
  LayerTiming,
  LoadOptions,
  MemoryStats,
  RunState,
  ModelSpec,
  SummaryData,
  Tensor,
  TensorLike,
  TfjsModelFiles,
  TfjsModelJSON,
  WeightSpec,
  WorkerError,
} from './convolab.js';

/** Inputs or labels kept in the worker by WorkerConvolab.upload(). */
export class UploadedData {
  readonly shape: number[];
  /** True when it holds a cl.dataset(): then fit(handle, options) and evaluate(handle). */
  readonly isDataset: boolean;
  /** Frees the worker's copy. */
  release(): Promise<void>;
}
export type WorkerInput = Input | UploadedData;
export type WorkerLabels = Labels | UploadedData;

/** Fit options in a worker: callbacks are notifications the worker does not wait for. */
export interface WorkerFitOptions extends Omit<FitOptions, 'validationData'> {
  validationData?: [WorkerInput, WorkerLabels];
}

/** What WorkerModel.fit returns: the Run of convolab, its controls answering as Promises. */
export class WorkerRun implements Promise<History> {
  readonly [Symbol.toStringTag]: string;
  /** As the worker's Run last reported it (startPaused, then each control's answer, then the end). */
  readonly state: RunState;
  readonly isPaused: boolean;
  readonly isLive: boolean;
  then<A = History, B = never>(
    onResolved?: ((history: History) => A | PromiseLike<A>) | null,
    onRejected?: ((error: any) => B | PromiseLike<B>) | null,
  ): Promise<A | B>;
  catch<B = never>(onRejected?: ((error: any) => B | PromiseLike<B>) | null): Promise<History | B>;
  finally(onSettled?: (() => void) | null): Promise<History>;
  /** Parks training between batches; predict, weights and inspection still answer. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Ends training after the current batch. */
  stop(): Promise<void>;
  /** While paused, runs exactly one batch; resolves true once it has ended (its onBatchEnd came first). */
  step(): Promise<boolean>;
  /** n examples per batch from the next batch on. */
  setBatchSize(n: number): Promise<void>;
  setLearningRate(learningRate: number): Promise<void>;
}

export class WorkerLayer {
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly config: LayerSpec;
  readonly inputShape: ExampleShape;
  readonly outputShape: ExampleShape;
  readonly weightSpecs: WeightSpec[];
  getWeights(): Promise<Tensor[]>;
  setWeights(weights: Array<TensorLike | Float32Array>): Promise<void>;
  getGradients(): Promise<Array<Tensor | null>>;
  /** Synchronous: every weight, as Layer.countParams. */
  countParams(): number;
}

export class WorkerModel {
  readonly inputShape: ExampleShape;
  /** The output of one example: [k], or [h, w, k] for a feature map. */
  readonly outputShape: ExampleShape;
  readonly numClasses: number;
  readonly layers: WorkerLayer[];
  readonly numLayers: number;
  readonly isDisposed: boolean;
  /** True while a fit runs (its WorkerRun is live). */
  readonly isTraining: boolean;
  readonly isPaused: boolean;
  compile(config?: CompileConfig): Promise<this>;
  setLearningRate(learningRate: number): Promise<void>;
  /** Trains in the worker; await the WorkerRun for the History (early stops set history.stopped). */
  fit(x: WorkerInput, y: WorkerLabels, options?: WorkerFitOptions): WorkerRun;
  /** On a dataset (or its upload handle), as Model.fit(ds, options). */
  fit(ds: ConvolabDataset | UploadedData, options?: WorkerFitOptions): WorkerRun;
  /** The running fit's run.pause() (no effect when not training); likewise resume, stop, step, setBatchSize. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
  step(): Promise<boolean>;
  setBatchSize(n: number): Promise<void>;
  trainOnBatch(x: WorkerInput, y: WorkerLabels): Promise<number>;
  predict(x: WorkerInput | ConvolabDataset): Promise<Tensor>;
  evaluate(x: WorkerInput, y: WorkerLabels): Promise<Evaluation>;
  evaluate(ds: ConvolabDataset | UploadedData): Promise<Evaluation>;
  activations(x: WorkerInput): Promise<Tensor[]>;
  gradients(): Promise<Array<Array<Tensor | null>>>;
  activationGradients(): Promise<Tensor[]>;
  compileConfig(): Promise<CompileConfig>;
  timings(): Promise<LayerTiming[]>;
  summary(): Promise<string>;
  summaryData(): Promise<SummaryData>;
  /** Synchronous: the architecture as created. */
  toJSON(): ModelSpec;
  /** Synchronous: every weight, as Model.countParams. */
  countParams(): number;
  getWeights(): Promise<Tensor[]>;
  setWeights(weights: Array<TensorLike | Float32Array>): Promise<void>;
  save(options?: { includeOptimizer?: boolean }): Promise<Uint8Array>;
  exportTfjs(): Promise<TfjsModelFiles>;
  exportOnnx(): Promise<Uint8Array>;
  /** After WorkerConvolab.importTfjs: what of the file's training config had no Convolab counterpart. */
  importNotes?: string[];
  /** Frees the model in the worker. */
  dispose(): Promise<void>;
}

export class WorkerConvolab {
  readonly backend: Backend;
  sequential(spec: ModelSpec | string, options?: { seed?: number }): Promise<WorkerModel>;
  load(bytes: Uint8Array | ArrayBuffer): Promise<WorkerModel>;
  importTfjs(
    modelJSON: TfjsModelJSON | string,
    weightData: ArrayBuffer | ArrayBufferView | Array<ArrayBuffer | ArrayBufferView>,
  ): Promise<WorkerModel>;
  memory(): Promise<MemoryStats>;
  /** Sends a dataset once; pass the handle as x or y. transfer: true hands the buffer over (no copy). */
  upload(data: Input | Labels, options?: { transfer?: boolean }): Promise<UploadedData>;
  /** A cl.dataset() upload: the handle goes wherever the dataset goes. */
  upload(data: ConvolabDataset): Promise<UploadedData>;
  /** As Convolab.dataset, made here synchronously; send it to fit/evaluate/predict or upload it once. */
  dataset(spec: DatasetSpec): ConvolabDataset;
  datasetFromBytes(bytes: Uint8Array | ArrayBuffer): ConvolabDataset;
  augment(
    images: Float32Array | Uint8Array,
    shape: ExampleShape,
    options: AugmentOptions,
    seed?: { seed?: number },
  ): Float32Array;
  /** Stops the worker; pending calls reject with DisposedError. */
  terminate(): void;
  /**
   * Resolves when the worker dies (an uncaught error, out of memory, closed or
   * killed from outside, exited), with the WorkerError every pending and later
   * call rejects with; never after terminate().
   */
  readonly died: Promise<WorkerError>;
}

export interface WorkerLoadOptions extends LoadOptions {
  /** The worker script (bindings/worker-thread.js) when a bundler moved it. */
  workerUrl?: string | URL;
}
export function loadConvolabWorker(options?: WorkerLoadOptions): Promise<WorkerConvolab>;
