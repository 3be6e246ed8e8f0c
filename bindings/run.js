// Run: what fit returns. Awaiting it gives the History (it is a thenable);
// its methods steer the training it stands for, between batches: pause,
// resume, step, stop, setBatchSize, setLearningRate. It owns that state; the
// training loop (fit.js) only consults it through the control it is handed.
import { checkWholeNumber } from './fit.js';
import { defineRunLifecycle, settleRun } from './run-lifecycle.js';

/**
 * state: 'running' | 'paused' | 'done' (resolved, stopped or not) | 'failed' (rejected).
 * Controls act while the run is live and do nothing once it has ended.
 */
export class Run {
  #state = 'running';
  #stopRequested = false;
  #wakeUps = []; // the loop, parked at a pause
  #stepsAllowed = 0; // batches step() lets through a pause
  #stepWaiters = []; // step() promises, settled when their batch ends
  #batchSize = null; // setBatchSize's request, taken at the next batch
  #setLearningRate;
  #promise;

  /**
   * train(control) runs the loop and resolves with the History. control:
   * gate() before each batch (a promise while paused), batchDone() after it,
   * takeBatchSize() (a requested size or null), stopRequested.
   * setLearningRate(lr) is the model's.
   */
  constructor(train, { startPaused = false, setLearningRate } = {}) {
    this.#setLearningRate = setLearningRate;
    if (startPaused) this.#state = 'paused';
    const run = this;
    const control = {
      gate: () => run.#gate(),
      batchDone: () => run.#stepWaiters.shift()?.(true),
      takeBatchSize() {
        const n = run.#batchSize;
        run.#batchSize = null;
        return n;
      },
      get stopRequested() {
        return run.#stopRequested;
      },
    };
    let started;
    try {
      started = Promise.resolve(train(control));
    } catch (e) {
      started = Promise.reject(e);
    }
    this.#promise = settleRun(started, (state) => this.#end(state));
  }

  /** A run that never trained: it fails with error (bad options, a model already training). */
  static failed(error) {
    return new Run(() => Promise.reject(error));
  }
  /** A run that ended before its first batch with this History (an aborted signal). */
  static finished(history) {
    return new Run(() => Promise.resolve(history));
  }

  // state, isPaused, isLive, then, catch, finally
  static {
    defineRunLifecycle(this, 'Run', { stateOf: (run) => run.#state, promiseOf: (run) => run.#promise });
  }

  /** Parks training after the current batch; the model still answers predict and inspection. */
  pause() {
    if (this.#state === 'running') this.#state = 'paused';
  }
  resume() {
    if (this.#state === 'paused') this.#state = 'running';
    this.#stepsAllowed = 0;
    this.#wake();
  }
  /** Ends training after the current batch; the run resolves with history.stopped = true. */
  stop() {
    if (!this.isLive) return;
    this.#stopRequested = true;
    this.resume();
  }
  /**
   * While paused, lets exactly one batch run, then it is paused again.
   * Resolves true once that batch has ended (false when the run is not
   * paused, or ends first).
   */
  step() {
    if (this.#state !== 'paused') return Promise.resolve(false);
    this.#stepsAllowed++;
    const done = new Promise((resolve) => this.#stepWaiters.push(resolve));
    this.#wake();
    return done;
  }
  /** n examples per batch from the next batch on; the epoch goes on where it is. */
  setBatchSize(n) {
    checkWholeNumber('setBatchSize', 'batchSize', n, 1);
    if (this.isLive) this.#batchSize = n;
  }
  /** The model's learning rate, from the next batch on. */
  setLearningRate(lr) {
    this.#setLearningRate?.(lr);
  }

  #gate() {
    if (this.#state !== 'paused') return undefined;
    if (this.#stepsAllowed > 0) {
      this.#stepsAllowed--;
      return undefined;
    }
    return new Promise((resolve) => this.#wakeUps.push(resolve)).then(() => this.#gate());
  }
  #wake() {
    this.#wakeUps.splice(0).forEach((f) => f());
  }
  #end(state) {
    this.#state = state;
    this.#batchSize = null;
    this.#stepsAllowed = 0;
    this.#stepWaiters.splice(0).forEach((f) => f(false));
    this.#wake();
  }
}
