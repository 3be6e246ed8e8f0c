// Runs inside the threaded module's factory. Node treats dist/*.js as ES
// modules (package "type": "module") but the pthread worker script is
// CommonJS, so in Node the workers start from its .cjs copy (made by the
// build next to it). Browsers load the .worker.js as usual.
if (
  typeof process == 'object' &&
  typeof process.versions == 'object' &&
  typeof process.versions.node == 'string' &&
  !Module['locateFile']
) {
  Module['locateFile'] = function (path, dir) {
    return dir + (path.endsWith('.worker.js') ? path.replace(/\.js$/, '.cjs') : path);
  };
}

// The pre-started pthread workers would keep a Node process alive after its
// work is done; unref them so Node exits when the main thread has nothing
// left to do (a worker blocked waiting for tasks is idle by definition).
if (
  typeof process == 'object' &&
  typeof process.versions == 'object' &&
  typeof process.versions.node == 'string'
) {
  var convolabOnRuntimeInitialized = Module['onRuntimeInitialized'];
  Module['onRuntimeInitialized'] = function () {
    PThread.unusedWorkers.concat(PThread.runningWorkers).forEach(function (worker) {
      if (worker.unref) worker.unref();
    });
    if (convolabOnRuntimeInitialized) convolabOnRuntimeInitialized();
  };
}
