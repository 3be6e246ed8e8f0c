// Error classes of the convolab module. Every failure a caller can cause is
// a ConvolabError subclass whose message is the engine's text, intact.

export class ConvolabError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ConvolabError';
  }
}

/** The model spec, a layer option, the compile config or a saved file is invalid. */
export class SpecError extends ConvolabError {
  constructor(message, options) {
    super(message, options);
    this.name = 'SpecError';
  }
}

/** Inputs, labels or weights do not have the shape or values the model needs. */
export class InputError extends ConvolabError {
  constructor(message, options) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** Training diverged (non-finite loss); fit restores its last checkpoint of the weights first. */
export class TrainingError extends ConvolabError {
  constructor(message, options) {
    super(message, options);
    this.name = 'TrainingError';
  }
}

/** The model (or worker) was disposed and can no longer be used. */
export class DisposedError extends ConvolabError {
  constructor(message, options) {
    super(message, options);
    this.name = 'DisposedError';
  }
}

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

const CLASSES = { ConvolabError, SpecError, InputError, TrainingError, DisposedError, InteropError };

/** Rebuilds an error of the right class from {name, message, fields} (e.g. sent by a worker). */
export function errorFromData({ name, message, fields }) {
  const Kind = CLASSES[name] ?? ConvolabError;
  const err = new Kind(message);
  if (fields && typeof fields === 'object') Object.assign(err, fields);
  return err;
}

/** Runs fn, re-raising an engine Error as Kind (TrainingError when the engine says it diverged). */
export function engineCall(Kind, fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConvolabError) throw e;
    const message = e?.message ?? String(e);
    const Chosen = /^training diverged/.test(message) ? TrainingError : Kind;
    throw new Chosen(message, { cause: e });
  }
}
