// What Run (run.js) and WorkerRun (worker.js) both are: a state that ends
// 'done' or 'failed' as the training's promise settles, and a thenable over
// that promise. Each class keeps its state and promise private; these
// helpers reach them through the accessors the class hands over.

/** started, calling end('done') before it resolves and end('failed') before it rejects. */
export function settleRun(started, end) {
  return started.then(
    (history) => {
      end('done');
      return history;
    },
    (error) => {
      end('failed');
      throw error;
    },
  );
}

/**
 * Gives Class, as its prototype's own members (as if written in its body),
 * the getters state, isPaused, isLive and Symbol.toStringTag (tag), and then,
 * catch and finally over the promise. stateOf(run) and promiseOf(run) read an
 * instance's private fields.
 */
export function defineRunLifecycle(Class, tag, { stateOf, promiseOf }) {
  const members = {
    get state() {
      return stateOf(this);
    },
    get isPaused() {
      return stateOf(this) === 'paused';
    },
    /** True until the run has resolved or rejected. */
    get isLive() {
      const state = stateOf(this);
      return state === 'running' || state === 'paused';
    },
    get [Symbol.toStringTag]() {
      return tag;
    },
    then(onResolved, onRejected) {
      return promiseOf(this).then(onResolved, onRejected);
    },
    catch(onRejected) {
      return promiseOf(this).catch(onRejected);
    },
    finally(onSettled) {
      return promiseOf(this).finally(onSettled);
    },
  };
  // a class body's members are not enumerable; Reflect.ownKeys includes the symbol
  for (const key of Reflect.ownKeys(members))
    Object.defineProperty(Class.prototype, key, {
      ...Object.getOwnPropertyDescriptor(members, key),
      enumerable: false,
    });
}
