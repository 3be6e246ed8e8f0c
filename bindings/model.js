// Model and Layer: the idiomatic API over one raw Embind Model handle.
//
// Ownership: a Model owns wasm memory (its engine model and buffers).
// dispose() frees it at once; a FinalizationRegistry frees the models a
// caller forgot, some time after they become unreachable.
import { ConvolabError, DisposedError, InputError, SpecError, engineCall } from './errors.js';
import { checkWholeNumber, planFit } from './fit.js';
import { countWeights } from './methods.js';
import { Run } from './run.js';
import { Tensor, toInput, toLabels } from './tensor.js';
import { datasetInputs, isDataset } from './dataset-object.js';
import { exportTfjs } from './tfjs-export.js';

const forgotten =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((raw) => {
        try {
          raw.delete();
        } catch {
          /* already freed */
        }
      })
    : null;

/** One layer of a Model: its shapes and options, and its weights as tensors. */
export class Layer {
  /** @internal */
  constructor(model, index, info, config) {
    this._model = model;
    this.index = index; // 0-based position in model.layers
    this.type = info.type; // engine display name, e.g. "Conv2D"
    this.name = `${config.type ?? info.type}_${index + 1}`;
    this.config = config; // the spec entry, as given
    this.inputShape = info.inputShape;
    this.outputShape = info.outputShape;
    this.weightSpecs = info.params; // [{ name, shape, trainable }]
  }

  /** The layer's weights as tensors (kernel then bias, as tfjs), copies. */
  getWeights() {
    const raw = this._model._handle;
    return this.weightSpecs.map((p, j) => new Tensor(raw.getParam(this.index, j), p.shape, p.name));
  }

  /** Replaces the weights; every tensor is checked before any changes. */
  setWeights(weights) {
    if (!Array.isArray(weights) || weights.length !== this.weightSpecs.length)
      throw new InputError(
        `layer ${this.index + 1} (${this.type}): setWeights needs ${this.weightSpecs.length} tensors, got ` +
          `${Array.isArray(weights) ? weights.length : typeof weights}`,
      );
    const arrays = weights.map((w, j) => {
      const spec = this.weightSpecs[j];
      const data = ArrayBuffer.isView(w) || Array.isArray(w) ? w : w?.data;
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (w?.shape && w.shape.join() !== spec.shape.join())
        throw new InputError(
          `layer ${this.index + 1} (${this.type}): ${spec.name} has shape [${spec.shape}], got [${w.shape}]`,
        );
      if (!data || data.length !== size)
        throw new InputError(
          `layer ${this.index + 1} (${this.type}): ${spec.name} needs ${size} values, got ${data?.length}`,
        );
      for (let i = 0; i < data.length; i++)
        if (!Number.isFinite(data[i]))
          throw new InputError(
            `layer ${this.index + 1} (${this.type}): ${spec.name} value ${i} is ${data[i]}`,
          );
      return data;
    });
    const raw = this._model._handle;
    arrays.forEach((data, j) => engineCall(InputError, () => raw.setParam(this.index, j, data)));
  }

  /**
   * Gradients of the loss for the last training batch, shaped like
   * getWeights(); null for non-trainable state (BatchNormalization's moving statistics).
   */
  getGradients() {
    const raw = this._model._handle;
    return this.weightSpecs.map((p, j) => {
      if (p.trainable === false) return null;
      const g = raw.getGrad(this.index, j);
      return g ? new Tensor(g, p.shape, p.name) : null;
    });
  }

  /** Every weight, trainable or not (BatchNormalization's moving statistics too), as tfjs counts them. */
  countParams() {
    return countWeights(this.weightSpecs);
  }
}

// Throws Kind naming the first NaN or infinite number in a config object;
// fields (kind, layerIndex) go on the error with the option's name and value.
export function rejectNonFinite(value, where, Kind, fields = {}, path = '') {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // 'kernelSize.1' is the option kernelSize at index 1
    const parts = path.split('.');
    const index = /^\d+$/.test(parts.at(-1)) && parts.length > 1 ? Number(parts.pop()) : undefined;
    throw new Kind(`${where}: '${path}' is ${value}; it must be a finite number`, {
      ...fields,
      option: parts.at(-1),
      index,
      value,
    });
  }
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      rejectNonFinite(v, where, Kind, fields, path ? `${path}.${k}` : k);
}

export class Model {
  /** @internal use cl.sequential(), cl.load() */
  constructor(raw, core) {
    this._raw = raw;
    this._core = core;
    this._compileConfig = null;
    this.stopTraining = false;
    this._run = null; // the last fit's Run
    forgotten?.register(this, raw, this);
    this.inputShape = raw.inputShape();
    this.numClasses = raw.numClasses(); // the output's last axis
    this._outputShape = raw.outputShape(); // per example: [k], or [h, w, k] for a feature map
    const spec = JSON.parse(raw.specJSON());
    this.layers = Array.from(
      { length: raw.numLayers() },
      (_, i) => new Layer(this, i, raw.layerInfo(i), spec.layers[i] ?? {}),
    );
  }

  get _handle() {
    if (!this._raw) throw new DisposedError('this model was disposed');
    return this._raw;
  }
  get isDisposed() {
    return this._raw === null;
  }
  get numLayers() {
    return this.layers.length;
  }
  /** The output of one example, as tfjs without the batch axis: [k], or [h, w, k] for a feature map. */
  get outputShape() {
    return this._outputShape.slice();
  }

  /** { optimizer: 'adam' | { type, learningRate, ... }, loss, fromLogits }. */
  compile(config = {}) {
    if (config === null || typeof config !== 'object' || Array.isArray(config))
      throw new SpecError('compile: the config must be an object like { optimizer, loss }', {
        kind: 'config',
      });
    const c = { ...config };
    if (typeof c.optimizer === 'string') c.optimizer = { type: c.optimizer };
    // JSON would turn NaN and infinities into null, which reads as "default"
    rejectNonFinite(c, 'compile', SpecError, { kind: 'config' });
    engineCall(SpecError, () => this._handle.compile(JSON.stringify(c)));
    this._compileConfig = c;
    return this;
  }

  setLearningRate(lr) {
    // embind would read a string as NaN: name what was given
    if (typeof lr !== 'number')
      throw new InputError(`setLearningRate: the learning rate must be a number, got ${typeof lr}`, {
        kind: 'config',
        option: 'learningRate',
        value: lr,
      });
    engineCall(InputError, () => this._handle.setLearningRate(lr));
  }

  /**
   * Trains on x, y (options: see fit.js). Returns a Run: await it for the
   * History; it pauses, resumes, steps and stops this training (run.js).
   */
  fit(x, y, options) {
    let train;
    try {
      this._handle; // a disposed model fails
      if (this.isTraining)
        throw new ConvolabError('fit: this model is already training; await the running fit or stop() it');
      // what the loop needs of the wasm model beyond the public methods
      const engine = {
        lastBatchCorrect: () => this._handle.lastBatchCorrect(),
        takeSnapshot: (slot) => engineCall(ConvolabError, () => this._handle.takeSnapshot(slot)),
        restoreSnapshot: (slot) => engineCall(ConvolabError, () => this._handle.restoreSnapshot(slot)),
        checkBatchMemory: (n) => engineCall(InputError, () => this._handle.checkBatchMemory(n)),
      };
      train = planFit(this, engine, x, y, options);
    } catch (e) {
      return Run.failed(e);
    }
    this._run = new Run(train, {
      startPaused: !!options?.startPaused,
      setLearningRate: (lr) => this.setLearningRate(lr),
    });
    return this._run;
  }

  /** True while a fit runs (its Run is live). */
  get isTraining() {
    return !!this._run?.isLive;
  }
  get isPaused() {
    return !!this._run?.isPaused;
  }

  // The running fit's controls, also offered here (see Run): no effect without one.
  pause() {
    this._run?.pause();
  }
  resume() {
    this._run?.resume();
  }
  stop() {
    this._run?.stop();
  }
  step() {
    return this._run ? this._run.step() : Promise.resolve(false);
  }
  setBatchSize(n) {
    checkWholeNumber('setBatchSize', 'batchSize', n, 1);
    this._run?.setBatchSize(n);
  }

  /** One step on a batch; returns its mean loss. */
  trainOnBatch(x, y) {
    const { data, n } = toInput(x, this.inputShape);
    return this.trainBatch(data, toLabels(y, n, this._outputShape), n);
  }

  /**
   * Low level: one step on n examples (flat NHWC Float32Array) and either
   * Int32Array class indices (n per flat output, n*h*w for a feature map) or a
   * Float32Array of targets shaped like the output (n*h*w*k).
   */
  trainBatch(x, labels, n) {
    const raw = this._handle;
    if (labels instanceof Float32Array) return engineCall(InputError, () => raw.trainTargets(x, labels, n));
    return engineCall(InputError, () => raw.trainBatch(x, labels, n));
  }

  /**
   * Exactly what the layer stack computes, a Tensor [n, ...outputShape]: a
   * final softmax gives probabilities, a linear last layer its raw outputs
   * (logits; how a loss reads them is the loss's business, see fromLogits).
   * Low level: predict(flatFloat32Array, n) returns a flat Float32Array.
   */
  predict(x, n) {
    if (isDataset(x)) x = datasetInputs(x, this, 'predict').x;
    const input = this._input(x, n);
    const out = engineCall(InputError, () => this._handle.predict(input.data, input.n));
    return n !== undefined && ArrayBuffer.isView(x) ? out : new Tensor(out, [input.n, ...this._outputShape]);
  }

  /** { loss, accuracy } over all examples. */
  evaluate(x, y) {
    if (isDataset(x)) ({ x, y } = datasetInputs(x, this, 'evaluate'));
    const { data, n } = toInput(x, this.inputShape);
    const labels = toLabels(y, n, this._outputShape);
    const raw = this._handle;
    if (labels instanceof Float32Array)
      return engineCall(InputError, () => raw.evaluateTargets(data, labels, n));
    return engineCall(InputError, () => raw.evaluate(data, labels, n));
  }

  /**
   * Runs x forward and returns every layer's output, a Tensor [n, ...outputShape]
   * each; the last one is what predict returns. At most 64 examples (or the
   * largest batch trained on).
   */
  activations(x, n) {
    const input = this._input(x, n);
    const raw = this._handle;
    const output = engineCall(InputError, () => raw.predict(input.data, input.n));
    const batch = raw.lastBatchSize();
    if (batch !== input.n)
      throw new InputError(`activations: at most ${batch} examples at a time, got ${input.n}`);
    const last = this.layers.length - 1;
    return this.layers.map(
      (l, i) => new Tensor(i === last ? output : raw.activation(i), [batch, ...l.outputShape], l.name),
    );
  }

  /** Low level: layer i's output for the last forward batch, flat NHWC (see activations()). */
  activation(i) {
    return engineCall(InputError, () => this._handle.activation(i));
  }

  /** Low level: every trainable parameter as one flat copy, layer order (kernel, bias, ...). */
  getParams() {
    return this._handle.getParams();
  }

  /** Low level: replaces every trainable parameter from one flat array (as getParams returns). */
  setParams(values) {
    engineCall(InputError, () => this._handle.setParams(values));
  }

  /** Gradients of the weights for the last training batch, per layer (see Layer.getGradients). */
  gradients() {
    return this.layers.map((l) => l.getGradients());
  }

  /**
   * dL/d(output) of every layer for the last training batch, a Tensor
   * [n, h, w, c] each (for the last layer with a fused softmax/sigmoid:
   * dL/dlogits); empty before any training.
   */
  activationGradients() {
    const raw = this._handle;
    const n = raw.lastTrainBatchSize();
    if (n < 1) return [];
    return this.layers.map((l, i) => new Tensor(raw.activationGradient(i), [n, ...l.outputShape], l.name));
  }

  /** The compile config in force (optimizer with its current learning rate, loss). */
  get compileConfig() {
    return JSON.parse(this._handle.compileJSON());
  }

  /** Per layer { forwardMs, backwardMs } of the last step. */
  timings() {
    return this._handle.timings();
  }

  /** A table of layers, output shapes, parameters and MACs. */
  summary() {
    return this._handle.summary();
  }

  /**
   * The summary as data: { layers: [{ index, type, options, outputShape, weights, biases, params, macs }],
   * totals }.
   */
  summaryData() {
    return JSON.parse(this._handle.summaryJSON());
  }

  /** Every weight of every layer, as tfjs counts them (summaryData keeps trainable and non-trainable apart). */
  countParams() {
    return this.layers.reduce((s, l) => s + l.countParams(), 0);
  }

  /** The spec as plain JSON: cl.sequential(model.toJSON()) rebuilds the architecture. */
  toJSON() {
    return JSON.parse(this._handle.specJSON());
  }

  /** Every weight of every layer, in layer order. */
  getWeights() {
    return this.layers.flatMap((l) => l.getWeights());
  }

  setWeights(weights) {
    if (!Array.isArray(weights))
      throw new InputError('setWeights: expected a list of tensors (as getWeights returns)');
    let k = 0;
    const perLayer = this.layers.map((l) => weights.slice(k, (k += l.weightSpecs.length)));
    if (k !== weights.length)
      throw new InputError(`setWeights: the model has ${k} weight tensors, got ${weights.length}`);
    // check every layer's tensors first, so a bad one changes nothing
    this.layers.forEach((l, i) =>
      perLayer[i].forEach((w, j) => {
        const size = l.weightSpecs[j].shape.reduce((a, b) => a * b, 1);
        const data = ArrayBuffer.isView(w) || Array.isArray(w) ? w : w?.data;
        if (!data || data.length !== size)
          throw new InputError(
            `layer ${i + 1} (${l.type}): ${l.weightSpecs[j].name} needs ${size} values, got ${data?.length}`,
          );
      }),
    );
    this.layers.forEach((l, i) => l.setWeights(perLayer[i]));
  }

  /**
   * The model in the engine's versioned .clmodel format: spec, compile
   * config, weights, state and (unless includeOptimizer is false) the
   * optimizer's state, so training resumes where it stopped.
   */
  save({ includeOptimizer = true } = {}) {
    const raw = this._handle;
    return engineCall(ConvolabError, () => raw.save(!!includeOptimizer));
  }

  /** The model as TensorFlow.js LayersModel files: { modelJSON (model.json's content), weightData (weights.bin) }. */
  exportTfjs() {
    return exportTfjs(this);
  }

  /** The model as ONNX bytes (opset 13; input 'input' [N, H, W, C], output 'output'); loads protobufjs on first use. */
  async exportOnnx() {
    const { exportOnnx } = await import('./onnx-export.js');
    return exportOnnx(this);
  }

  /** Frees the wasm memory now. Safe to call twice. */
  dispose() {
    if (!this._raw) return;
    this.stop();
    forgotten?.unregister(this);
    this._raw.delete();
    this._raw = null;
  }

  _input(x, n) {
    if ((ArrayBuffer.isView(x) || Array.isArray(x)) && n !== undefined) {
      const per = this.inputShape.reduce((a, b) => a * b, 1);
      if (!Number.isInteger(n) || n < 1 || x.length !== n * per)
        throw new InputError(
          `x has ${x.length} values; ${n} examples of ${this.inputShape.join('x')} need ${n * per}`,
        );
    }
    return toInput(x, this.inputShape);
  }
}
