// The convolab npm module: loads the WebAssembly engine in Node, browsers
// and workers, and wraps the raw Embind classes with JS conveniences and a
// ConvolabError that carries the engine's message intact.
//
// Ownership: every Model holds wasm memory; call dispose() when done.
import createConvolabCore from '../dist/convolab-core.js';

export class ConvolabError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ConvolabError';
  }
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

// Calls into the engine, re-raising its JS Error as a ConvolabError.
function call(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConvolabError) throw e;
    throw new ConvolabError(e?.message ?? String(e), { cause: e });
  }
}

export class Model {
  /** @internal use Convolab.createModel */
  constructor(raw) {
    this._raw = raw;
  }

  get _handle() {
    if (!this._raw) throw new ConvolabError('this model was disposed');
    return this._raw;
  }

  compile(config = {}) {
    call(() => this._handle.compile(JSON.stringify(config)));
    return this;
  }

  setLearningRate(lr) { call(() => this._handle.setLearningRate(lr)); }

  /** One training step on x (Float32Array, n*H*W*C, NHWC) and labels (n class indices). */
  trainBatch(x, labels, n) { return call(() => this._handle.trainBatch(x, labels, n)); }

  /** Class probabilities, Float32Array (n * classes). */
  predict(x, n) { return call(() => this._handle.predict(x, n)); }

  /** { loss, accuracy } over n examples. */
  evaluate(x, labels, n) { return call(() => this._handle.evaluate(x, labels, n)); }

  summary() { return this._handle.summary(); }
  summaryData() { return JSON.parse(this._handle.summaryJSON()); }
  toJSON() { return JSON.parse(this._handle.specJSON()); }
  get numClasses() { return this._handle.numClasses(); }
  get numLayers() { return this._handle.numLayers(); }
  /** Output of layer i (0-based) for the last forward batch, NHWC. */
  activation(i) { return call(() => this._handle.activation(i)); }
  /** Per layer { forwardMs, backwardMs } of the last step. */
  timings() { return this._handle.timings(); }
  getParams() { return this._handle.getParams(); }
  setParams(values) { call(() => this._handle.setParams(values)); }

  dispose() {
    if (this._raw) {
      this._raw.delete();
      this._raw = null;
    }
  }
}

export class Convolab {
  /** @internal use loadConvolab */
  constructor(core) {
    this._core = core;
  }

  /** Builds a model from a spec { inputShape: [H, W, C], layers: [...] }. */
  createModel(spec, { seed = 42 } = {}) {
    const raw = call(() => new this._core.Model(typeof spec === 'string' ? spec : JSON.stringify(spec), seed));
    return new Model(raw);
  }
}

/** Loads the engine. In Node the .wasm beside the glue is read from disk. */
export async function loadConvolab(options = {}) {
  const moduleArg = {};
  if (options.wasmBinary) {
    moduleArg.wasmBinary = options.wasmBinary;
  } else if (isNode) {
    const { readFile } = await import('node:fs/promises');
    moduleArg.wasmBinary = await readFile(new URL('../dist/convolab-core.wasm', import.meta.url));
  }
  const core = await createConvolabCore(moduleArg);
  return new Convolab(core);
}
