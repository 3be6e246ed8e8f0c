// CommonJS entry: `require('convolab')` gives the same API, loaded lazily.
'use strict';

let modulePromise;
const load = () => (modulePromise ??= import('./convolab.js'));

module.exports = {
  loadConvolab: async (options) => (await load()).loadConvolab(options),
  get ConvolabError() {
    throw new Error("require('convolab').ConvolabError is only available after loadConvolab(); use err.name === 'ConvolabError'");
  },
};
