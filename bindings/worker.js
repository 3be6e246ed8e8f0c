// convolab/worker: the same model API, run in a Web Worker (browsers) or a
// worker_threads worker (Node), so training never blocks the page.
//
//   const cl = await loadConvolabWorker();
//   const model = await cl.sequential(spec);
//   await model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
//   const run = model.fit(x, y, { epochs: 2, onBatchEnd, signal });
//   await run.pause(); await run.step(); await run.resume(); await run.stop();
//   const history = await run;
//
// Every method returns a Promise (but toJSON and countParams, answered here);
// callbacks are notifications (the worker does not wait for them). Inputs are
// copied to the worker. The methods are the rows of methods.js.
import { ConvolabError, DisposedError, WorkerError, errorFromData } from './errors.js';
import {
  countWeights,
  LAYER_METHODS,
  MODEL_FACTS,
  MODEL_METHODS,
  PLAIN,
  RUN_METHODS,
  TENSORS,
} from './methods.js';
import { Tensor } from './tensor.js';
import { ConvolabDataset, dataset, datasetFromBytes, isDataset } from './dataset-object.js';
import { augmentImages } from './augment.js';
import { defineRunLifecycle, settleRun } from './run-lifecycle.js';

// Node built-ins are imported by name at run time so that bundlers for the
// browser leave them alone (the code paths using them never run there).
const importNodeBuiltin = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';
const FIT_CALLBACKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'];

function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object' && ArrayBuffer.isView(value.data) && Array.isArray(value.shape))
    return new Tensor(value.data, value.shape, value.name);
  return value;
}

export { ConvolabDataset };

/** Data kept in the worker by cl.upload(); pass it wherever x or y goes. */
export class UploadedData {
  constructor(channel, id, shape, isDataset = false) {
    this._channel = channel;
    this._id = id;
    this.shape = shape;
    this.isDataset = isDataset; // an uploaded cl.dataset(): fit(handle, options)
  }
  /** Frees the worker's copy. */
  release() {
    return this._channel.request('release', [this._id]);
  }
}

// What crosses the boundary: tensors as plain data, uploads by reference.
function portable(x) {
  if (x instanceof UploadedData) return { uploadRef: x._id };
  if (x instanceof Tensor) return { data: x.data, shape: x.shape };
  if (isDataset(x)) return x._portable();
  return x;
}
// fit(ds, options) has no y.
const holdsDataset = (x) => isDataset(x) || (x instanceof UploadedData && x.isDataset);

// One connection: numbered requests, their replies and streamed events.
// A worker that dies (an uncaught error, out of memory, closed or killed,
// exited) rejects every pending request, and every later one, with a
// WorkerError, and resolves died; terminate() rejects them with DisposedError.
class Channel {
  constructor(worker) {
    this.worker = worker;
    this.pending = new Map();
    this.nextId = 1;
    this.closed = null;
    this.died = new Promise((resolve) => (this._died = resolve));
    const onMessage = (msg) => this._receive(msg);
    const died = (what, cause) =>
      this._die(new WorkerError(`the Convolab worker ${what}`, { code: 'worker-died', cause }));
    if (isNode) {
      worker.on('message', onMessage);
      worker.on('error', (err) => died(`failed: ${err?.message ?? err}`, err));
      worker.on('exit', (code) => died(`exited (code ${code})`));
      worker.unref();
    } else {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault?.();
        died(`failed: ${e.message || 'could not start the worker script'}`, e);
      };
    }
  }

  // A browser tells the page nothing when a worker closes itself or is
  // killed: the worker holds a Web Lock for its lifetime (see init in
  // worker-thread.js), and the lock coming free here means it is gone.
  watchLock(name) {
    if (!name) return;
    navigator.locks
      .request(name, () =>
        this._die(new WorkerError('the Convolab worker stopped unexpectedly', { code: 'worker-died' })),
      )
      .catch(() => {});
  }
  static lockName() {
    if (isNode || typeof navigator === 'undefined' || !navigator.locks) return null;
    return `convolab-worker-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  }

  _die(error) {
    if (this.closed) return; // terminated or already dead
    this._fail(error);
    this._died(error);
    this.worker.terminate(); // a worker that threw or crashed may be half alive: end it
  }

  /** Sends a request; its reply resolves the promise. ids: the request's id is passed to it first. */
  request(op, args, { model, onEvent, transfer, ids } = {}) {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    ids?.(id);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      if (isNode && this.pending.size === 1) this.worker.ref(); // keep Node alive while waiting
      try {
        this.worker.postMessage({ id, op, model, args }, transfer ?? []);
      } catch (e) {
        this._settle(id);
        reject(new ConvolabError(`could not send to the worker: ${e.message}`, { cause: e }));
      }
    });
  }

  _settle(id) {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (isNode && this.pending.size === 0 && !this.closed) this.worker.unref();
    return p;
  }

  _receive(msg) {
    if (msg.crashed) {
      const { name, message } = msg.crashed;
      this._die(
        new WorkerError(`the Convolab engine crashed (${name}: ${message}) and its worker ended`, {
          code: 'engine-crashed',
        }),
      );
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.event) {
      try {
        p.onEvent?.(msg.event, revive(msg.args));
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
      return;
    }
    this._settle(msg.id);
    if (msg.error) p.reject(errorFromData(msg.error));
    else p.resolve(revive(msg.result));
  }

  _fail(error) {
    if (!this.closed) this.closed = error;
    for (const [id, p] of [...this.pending]) {
      this._settle(id);
      p.reject(this.closed);
    }
  }

  terminate() {
    this._fail(new DisposedError('the Convolab worker was terminated'));
    this.worker.terminate();
  }
}

/** A layer of a WorkerModel: shapes and options now, weights by request. */
export class WorkerLayer {
  constructor(model, info) {
    this._model = model;
    Object.assign(this, info); // LAYER_FACTS: index, name, type, config, inputShape, outputShape, weightSpecs
  }
  countParams() {
    return countWeights(this.weightSpecs);
  }
}

// How an argument crosses to the worker (see methods.js).
const carry = (kind, value) =>
  kind === TENSORS && Array.isArray(value) ? value.map(portable) : portable(value);
const carried = (row, args) => args.map((a, i) => carry(row.args?.[i] ?? PLAIN, a));

// The proxies' methods, one per row of the method table that the worker answers.
function proxyMethods(table, ask) {
  const methods = {};
  for (const [name, row] of Object.entries(table)) {
    const kind = row.answer ?? 'worker';
    if (row.worker === false || (kind !== 'worker' && kind !== 'self')) continue;
    methods[name] = {
      async [name](...args) {
        const result = await ask(this, name, carried(row, args));
        return kind === 'self' ? this : result;
      },
    }[name];
  }
  return methods;
}
Object.assign(
  WorkerLayer.prototype,
  proxyMethods(LAYER_METHODS, (layer, name, args) => layer._model._call('layer', layer.index, name, ...args)),
);

/**
 * What WorkerModel.fit returns: the Run of run.js, its training in the
 * worker. Awaiting it gives the History; the controls return Promises and
 * reach that fit's Run in the worker, whose state comes back with each answer.
 */
export class WorkerRun {
  #model;
  #id; // the fit request's id, which names its Run in the worker
  #state;
  #promise;
  constructor(model, start, { startPaused = false } = {}) {
    this.#model = model;
    this.#state = startPaused ? 'paused' : 'running';
    this.#promise = settleRun(
      start((id) => (this.#id = id)),
      (state) => (this.#state = state),
    );
  }
  /** A run that ended before it began: its controls answer as an ended Run's do. */
  static ended(model) {
    const run = new WorkerRun(model, () => Promise.resolve(null));
    run.#state = 'done';
    return run;
  }
  async #ask(method, args) {
    if (this.#model.isDisposed) return method === 'step' ? false : undefined; // disposing ended the run
    const { result, state } = await this.#model._call('run', this.#id ?? 0, method, ...args);
    if (this.isLive) this.#state = state;
    return result;
  }
  // state, isPaused, isLive, then, catch, finally; the controls, one per row of RUN_METHODS (methods.js).
  static {
    defineRunLifecycle(this, 'WorkerRun', { stateOf: (run) => run.#state, promiseOf: (run) => run.#promise });
    for (const [name, row] of Object.entries(RUN_METHODS)) {
      this.prototype[name] = {
        [name](...args) {
          if (row.answer === 'model') return this.#model[name](...args);
          return this.#ask(name, carried(row, args));
        },
      }[name];
    }
  }
}

// Frees, in the worker, the models whose WorkerModel was forgotten.
const forgotten =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry(({ channel, id }) => {
        channel.request('dispose', [], { model: id }).catch(() => {});
      })
    : null;

/** The Model API, asynchronous, with the model living in the worker. */
export class WorkerModel {
  constructor(channel, info) {
    this._channel = channel;
    this._id = info.model;
    forgotten?.register(this, { channel, id: info.model }, this);
    this._spec = info.spec;
    this._disposed = false;
    for (const k of MODEL_FACTS) this[k] = info[k];
    this.layers = info.layers.map((l) => new WorkerLayer(this, l));
    this._run = null; // the last fit's WorkerRun
  }

  _call(op, ...args) {
    if (this._disposed) return Promise.reject(new DisposedError('this model was disposed'));
    return this._channel.request(op, args, { model: this._id });
  }

  get isDisposed() {
    return this._disposed;
  }
  get numLayers() {
    return this.layers.length;
  }

  /** Synchronous: the spec as created (architecture only). */
  toJSON() {
    return structuredClone(this._spec);
  }
  /** Synchronous: every weight, as Layer.countParams counts them. */
  countParams() {
    return this.layers.reduce((s, l) => s + l.countParams(), 0);
  }
  // The running fit's controls, also offered here (see Run): no effect without one.
  pause() {
    return this._runControl('pause');
  }
  resume() {
    return this._runControl('resume');
  }
  stop() {
    return this._runControl('stop');
  }
  step() {
    return this._runControl('step');
  }
  setBatchSize(n) {
    return this._runControl('setBatchSize', n);
  }
  _runControl(method, ...args) {
    return (this._run ?? WorkerRun.ended(this))[method](...args);
  }

  /**
   * Trains in the worker; options and History as Model.fit, and like it
   * returns a Run (WorkerRun). onBatchEnd / onEpochEnd stream from the
   * worker; signal, run.stop() end training after the current batch and the
   * run resolves with history.stopped = true.
   */
  fit(x, y, options = {}) {
    if (holdsDataset(x)) [y, options] = [undefined, y ?? options ?? {}];
    const { signal, ...rest } = options ?? {};
    const start = (ids) => {
      if (this._disposed) return Promise.reject(new DisposedError('this model was disposed'));
      if (signal?.aborted)
        return Promise.resolve({ epoch: [], history: { loss: [], acc: [] }, stopped: true });
      const callbacks = FIT_CALLBACKS.filter((k) => typeof rest[k] === 'function');
      const sendable = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v !== 'function'));
      if (rest.validationData) sendable.validationData = rest.validationData.map(portable);
      const reply = this._channel.request('fit', [portable(x), portable(y), { ...sendable, callbacks }], {
        model: this._id,
        ids,
        onEvent: (name, args) => rest[name]?.(...args),
      });
      const onAbort = () => run.stop();
      signal?.addEventListener('abort', onAbort, { once: true });
      return reply.finally(() => signal?.removeEventListener('abort', onAbort));
    };
    const run = new WorkerRun(this, start, { startPaused: !!rest.startPaused });
    this._run = run;
    return run;
  }

  /** True while a fit runs (its Run is live). */
  get isTraining() {
    return !!this._run?.isLive;
  }
  get isPaused() {
    return !!this._run?.isPaused;
  }

  /** Frees the model in the worker (the worker itself stays for others). */
  async dispose() {
    if (this._disposed) return;
    this._disposed = true;
    forgotten?.unregister(this);
    await this._channel.request('dispose', [], { model: this._id }).catch(() => {});
  }
}

Object.assign(
  WorkerModel.prototype,
  proxyMethods(MODEL_METHODS, (model, name, args) => model._call('call', name, ...args)),
);

/** A Convolab engine in a worker: builds WorkerModels. */
export class WorkerConvolab {
  constructor(channel, backend) {
    this._channel = channel;
    this.backend = backend;
  }
  async sequential(spec, options) {
    return new WorkerModel(this._channel, await this._channel.request('sequential', [spec, options]));
  }
  async load(bytes) {
    return new WorkerModel(this._channel, await this._channel.request('load', [bytes]));
  }
  /** A TensorFlow.js LayersModel (model.json content, .bin bytes) as a model in the worker (see Convolab.importTfjs). */
  async importTfjs(modelJSON, weightData) {
    const described = await this._channel.request('importTfjs', [modelJSON, weightData]);
    const model = new WorkerModel(this._channel, described);
    model.importNotes = described.importNotes ?? [];
    return model;
  }
  memory() {
    return this._channel.request('memory', []);
  }
  /** As Convolab.dataset: made and checked here, synchronously; it goes wherever x and y go. */
  dataset(spec) {
    return dataset(spec);
  }
  datasetFromBytes(bytes) {
    return datasetFromBytes(bytes);
  }
  augment(images, shape, options, { seed } = {}) {
    return augmentImages(images, shape, options, { seed });
  }
  /**
   * Sends inputs or labels to the worker once; the returned handle goes
   * wherever x or y goes (fit, evaluate, predict, validationData), so a
   * dataset is not copied on every call. transfer: true hands the buffer over.
   */
  async upload(data, { transfer = false } = {}) {
    const value = portable(data);
    if (isDataset(data)) {
      const id = await this._channel.request('upload', [value]); // never transferred: the dataset keeps its arrays
      return new UploadedData(this._channel, id, [data.count, ...data.shape], true);
    }
    const shape = value?.shape ?? [value?.length];
    const id = await this._channel.request('upload', [value], {
      transfer: transfer ? [(value.data ?? value).buffer] : undefined,
    });
    return new UploadedData(this._channel, id, shape);
  }
  /** Stops the worker and every model in it. */
  terminate() {
    this._channel.terminate();
  }
  /** Resolves with the WorkerError when the worker dies; never after terminate(). */
  get died() {
    return this._channel.died;
  }
}

/**
 * Starts a worker and loads the engine in it. Options: those of loadConvolab
 * (threads, wasmUrl) plus workerUrl, the worker script's URL when a bundler
 * moved it (default: worker-thread.js beside this file).
 */
export async function loadConvolabWorker(options = {}) {
  const { workerUrl, ...engineOptions } = options;
  const url = workerUrl ?? new URL('./worker-thread.js', import.meta.url);
  let worker;
  if (isNode) {
    const { Worker } = await importNodeBuiltin('node:worker_threads');
    worker = new Worker(url instanceof URL ? url : new URL(String(url), `file://${process.cwd()}/`));
  } else {
    worker = new Worker(url, { type: 'module' });
  }
  const channel = new Channel(worker);
  try {
    if (engineOptions.wasmUrl) engineOptions.wasmUrl = String(engineOptions.wasmUrl);
    const lock = Channel.lockName();
    const { backend } = await channel.request('init', [engineOptions, { lock }]);
    channel.watchLock(lock); // the worker holds it now
    return new WorkerConvolab(channel, backend);
  } catch (e) {
    channel.terminate();
    throw e;
  }
}
