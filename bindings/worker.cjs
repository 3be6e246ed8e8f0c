// CommonJS entry of convolab/worker: loads the ESM helper on first use.
'use strict';

let modulePromise;
const load = () => (modulePromise ??= import('./worker.js'));

module.exports = {
  loadConvolabWorker: async (options) => (await load()).loadConvolabWorker(options),
};
