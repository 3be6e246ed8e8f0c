// CommonJS entry: `require('convolab')` gives the same API. The module is
// ESM inside, so it loads on the first loadConvolab(); the error classes and
// Tensor are then on the returned object (cl.ConvolabError, cl.Tensor).
'use strict';

let modulePromise;
const load = () => (modulePromise ??= import('./convolab.js'));

module.exports = {
  loadConvolab: async (options) => (await load()).loadConvolab(options),
};
