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

const CLASSES = { ConvolabError, SpecError, InputError, TrainingError, DisposedError };

/** Rebuilds an error of the right class from {name, message} (e.g. sent by a worker). */
export function errorFromData({ name, message }) {
  const Kind = CLASSES[name] ?? ConvolabError;
  return new Kind(message);
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
