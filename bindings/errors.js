// Error classes of the convolab module. Every failure a caller can cause is
// a ConvolabError subclass whose message is the engine's text, intact, and
// whose fields say the same as data: callers decide by err.kind / err.code,
// err.layerIndex, err.option, err.index, err.epoch, err.batch, err.value and
// (a MemoryError's) err.bytesNeeded / err.bytesLimit, never by reading the
// message (a test holds bindings/ and web/ to that).

// The fields an error may carry besides its message (see convolab.d.ts).
const FIELDS = [
  'code',
  'layerIndex',
  'option',
  'index',
  'epoch',
  'batch',
  'value',
  'bytesNeeded',
  'bytesLimit',
];

export class ConvolabError extends Error {
  /**
   * options: { cause, kind, code, layerIndex, option, index, epoch, batch, value, bytesNeeded, bytesLimit };
   * kind defaults to the class's own, code to the kind.
   */
  constructor(message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConvolabError';
    this.kind = options.kind ?? new.target.kind;
    this.code = this.kind;
    for (const f of FIELDS) if (options[f] !== undefined) this[f] = options[f];
  }
}
ConvolabError.kind = 'error';

/**
 * A ConvolabError subclass called `name` whose errors are of `kind`: a real
 * class (instanceof, err.name, Class.kind), so each kind below is one line.
 */
function errorClass(name, kind) {
  // a computed key names the class, whatever a minifier does to identifiers
  const Class = {
    [name]: class extends ConvolabError {
      constructor(message, options) {
        super(message, options);
        this.name = name;
      }
    },
  }[name];
  Class.kind = kind;
  return Class;
}

/** The model spec, a layer option, the compile config or a saved file is invalid. */
export const SpecError = errorClass('SpecError', 'spec');

/** Inputs, labels or weights do not have the shape or values the model needs. */
export const InputError = errorClass('InputError', 'input');

/** Training diverged (non-finite loss); fit restores its last checkpoint of the weights first. */
export const TrainingError = errorClass('TrainingError', 'training');

/**
 * A model or batch larger than the engine's memory limit, refused before
 * anything was allocated (the model keeps its last good state). code:
 * 'model-too-large' (the model itself, or its optimizer's slots at compile),
 * 'batch-too-large' (a training batch; the message names the largest that
 * fits), 'input-too-large' (the data of one predict / evaluate call),
 * 'layer-output-too-large' (one layer's output per example), 'heap-full' (the
 * wasm heap is at its maximum, other models holding part of it). bytesNeeded:
 * the estimate (absent for 'heap-full'), bytesLimit: the limit it is over;
 * layerIndex: the layer that holds at least half of it, when one does.
 */
export const MemoryError = errorClass('MemoryError', 'memory');

/** The model (or worker) was disposed and can no longer be used. */
export const DisposedError = errorClass('DisposedError', 'disposed');

/**
 * The worker that runs the engine died: it crashed (an uncaught error, out of
 * memory), was closed or killed from outside, or exited (code 'worker-died'),
 * or the engine inside it trapped and the worker ended itself (code
 * 'engine-crashed'). Every call pending on it, and every later call, rejects
 * with this; the models in it are gone, and a new worker (loadConvolabWorker)
 * starts afresh.
 */
export const WorkerError = errorClass('WorkerError', 'worker');

/**
 * A model file from (or for) another framework that Convolab cannot read or
 * write faithfully. Fields say what, for code to act on without reading the
 * message: code ('unsupported-layer', 'unsupported-option', 'functional-model',
 * 'weights-short', 'weights-long', 'weight-shape', 'weight-missing',
 * 'weight-unused', 'bad-file'), and where known layerIndex (0-based, in the
 * file's layer list), layerName, className, option, expected, actual.
 */
export class InteropError extends SpecError {
  constructor(message, fields = {}, options) {
    super(message, options);
    this.name = 'InteropError';
    Object.assign(this, fields);
  }
}

/** Every error class by its name, as the package exports them. */
export const ERROR_CLASSES = {
  ConvolabError,
  SpecError,
  InputError,
  TrainingError,
  MemoryError,
  DisposedError,
  WorkerError,
  InteropError,
};

/** The plain data of an error, to send to another thread (errorFromData rebuilds it). */
export function errorToData(err) {
  const data = { name: err?.name ?? 'Error', message: err?.message ?? String(err) };
  if (err && typeof err === 'object') {
    // every plain field travels: kind and FIELDS, and an InteropError's layerName, className, ...
    const plain = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v);
    for (const [k, v] of Object.entries(err)) if (k !== 'cause' && k !== 'stack' && plain(v)) data[k] = v;
  }
  return data;
}

/**
 * Whether e is a WebAssembly trap (unreachable, an out-of-bounds access, an
 * abort): after one the engine's memory may be half-written, so nothing more may run in it.
 */
export function isEngineCrash(e) {
  return typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError;
}

/** Rebuilds an error of the right class, fields included, from errorToData's {name, message, ...}. */
export function errorFromData(data) {
  const Kind = ERROR_CLASSES[data.name] ?? ConvolabError;
  const { name, message, ...fields } = data;
  return Object.assign(new Kind(message, fields), fields);
}

/** The fields the engine put on a JS Error it threw (bindings/embind.cpp). */
function engineFields(e) {
  const fields = { cause: e };
  if (typeof e?.kind === 'string') fields.kind = e.kind;
  for (const f of FIELDS) if (e?.[f] !== undefined) fields[f] = e[f];
  return fields;
}

// The engine's kinds that have their own class, whatever the call expected.
const KIND_CLASSES = { training: TrainingError, memory: MemoryError };

/**
 * Runs fn, re-raising an engine Error as Kind (TrainingError when the engine
 * says training diverged, MemoryError when it refused a model or batch as too large).
 */
export function engineCall(Kind, fn) {
  try {
    return fn();
  } catch (e) {
    // a trap is the runtime failing, not an engine error: the module can no longer be trusted
    if (e instanceof ConvolabError || isEngineCrash(e)) throw e;
    const fields = engineFields(e);
    const Chosen = KIND_CLASSES[fields.kind] ?? Kind;
    if (fields.kind === undefined) fields.kind = Chosen.kind;
    throw new Chosen(e?.message ?? String(e), fields);
  }
}
