// The worker side of convolab/worker: owns the engine and the models, answers
// requests from bindings/worker.js, streams fit progress, and passes the
// controls of each fit's Run (pause / resume / step / stop / setBatchSize)
// to it. A running fit yields to the event loop between batches, so any
// request (predict, evaluate, timings, save, setLearningRate...) is answered
// while it trains.
// Runs as a Web Worker (module) or a Node worker_threads worker.
//
// Messages in:  { id, op, model?, args }   ops: init, sequential, load, memory, upload, release, dispose,
//                                            call [method, ...args], layer [index, method, ...args] (methods.js),
//                                            fit, run [fit's id, method, ...args] (its Run's controls)
// Messages out: { id, result } | { id, error: { name, message, kind, ...fields } } | { id, event, args }
//               | { crashed: { name, message } }: the engine trapped, and this worker ends
import { loadConvolab } from './convolab.js';
import { errorToData, isEngineCrash } from './errors.js';
import { LAYER_FACTS, LAYER_METHODS, MODEL_FACTS, MODEL_METHODS, RUN_METHODS } from './methods.js';
import { Run } from './run.js';
import { Tensor } from './tensor.js';
import { revivePortableDataset } from './dataset-object.js';

// Node built-ins are imported by name at run time so that bundlers for the
// browser leave them alone (the code paths using them never run there).
const importNodeBuiltin = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);

const port =
  typeof self === 'object' &&
  typeof self.postMessage === 'function' &&
  typeof WorkerGlobalScope !== 'undefined'
    ? {
        post: (m, t) => self.postMessage(m, t),
        listen: (f) => {
          self.onmessage = (e) => f(e.data);
        },
      }
    : await (async () => {
        const { parentPort } = await importNodeBuiltin('node:worker_threads');
        return { post: (m, t) => parentPort.postMessage(m, t), listen: (f) => parentPort.on('message', f) };
      })();

let cl = null;
const models = new Map(); // id → { model }
let nextModelId = 1;
const uploads = new Map(); // id → data sent once with cl.upload(), used by reference
let nextUploadId = 1;
const runs = new Map(); // fit request id → its Run, while it is live
const ENDED = Run.finished(null);

// Replaces { uploadRef: id } anywhere in the arguments by the uploaded data.
function resolveUploads(value) {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    if ('uploadRef' in value) {
      if (!uploads.has(value.uploadRef))
        throw Object.assign(new Error('this uploaded tensor was released'), { name: 'DisposedError' });
      return uploads.get(value.uploadRef);
    }
    if ('convolabDataset' in value) return revivePortableDataset(value);
    if (Array.isArray(value)) return value.map(resolveUploads);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveUploads(v)]));
  }
  return value;
}

// Typed arrays in results are copies: transfer their buffers instead of cloning.
// (A Set: a buffer listed twice would make postMessage throw.)
function transferables(value, out = new Set()) {
  if (ArrayBuffer.isView(value)) out.add(value.buffer);
  else if (Array.isArray(value)) value.forEach((v) => transferables(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => transferables(v, out));
  return out;
}
const plainTensor = (t) => ({ data: t.data, shape: t.shape, ...(t.name ? { name: t.name } : {}) });
function plain(value) {
  if (value instanceof Tensor) return plainTensor(value);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

// Held until this worker ends, however it ends: the page waits for the lock
// to come free to learn that the worker is gone (bindings/worker.js).
function holdLock(name) {
  if (!name || typeof navigator === 'undefined' || !navigator.locks) return;
  return new Promise((held) => {
    navigator.locks.request(name, () => {
      held();
      return new Promise(() => {});
    });
  });
}

function describe(id, model) {
  const facts = (object, names) => Object.fromEntries(names.map((k) => [k, object[k]]));
  return {
    model: id,
    ...facts(model, MODEL_FACTS),
    spec: model.toJSON(),
    layers: model.layers.map((l) => facts(l, LAYER_FACTS)),
  };
}

function entry(id) {
  const e = models.get(id);
  if (!e) throw Object.assign(new Error('this model was disposed'), { name: 'DisposedError' });
  return e;
}

// Answers a row of the method table (methods.js) that the worker answers.
function answer(table, target, model, method, args) {
  const row = Object.hasOwn(table, method) ? table[method] : null;
  if (!row || row.worker === false || !['worker', 'self'].includes(row.answer ?? 'worker'))
    throw new Error(`unknown method ${method}`);
  if (row.duringFit === false && model.isTraining)
    throw Object.assign(new Error(`${method}: not while the model trains`), { name: 'ConvolabError' });
  const result = row.getter ? target[method] : target[method](...args);
  return row.answer === 'self' ? undefined : plain(result);
}

const OPS = {
  async init(msg) {
    cl = await loadConvolab(msg.args?.[0] ?? {});
    await holdLock(msg.args?.[1]?.lock);
    return { backend: cl.backend };
  },
  sequential(msg) {
    const [spec, options] = msg.args;
    const id = nextModelId++;
    const model = cl.sequential(spec, options);
    models.set(id, { model });
    return describe(id, model);
  },
  load(msg) {
    const id = nextModelId++;
    const model = cl.load(msg.args[0]);
    models.set(id, { model });
    return describe(id, model);
  },
  importTfjs(msg) {
    const id = nextModelId++;
    const model = cl.importTfjs(msg.args[0], msg.args[1]);
    models.set(id, { model });
    return { ...describe(id, model), importNotes: model.importNotes };
  },
  memory() {
    return cl.memory();
  },
  upload(msg) {
    const id = nextUploadId++;
    uploads.set(id, resolveUploads(msg.args[0])); // a dataset is rebuilt (and checked) once, here
    return id;
  },
  release(msg) {
    uploads.delete(msg.args[0]);
  },
  call(msg) {
    const { model } = entry(msg.model);
    const [method, ...args] = resolveUploads(msg.args);
    return answer(MODEL_METHODS, model, model, method, args);
  },
  layer(msg) {
    const { model } = entry(msg.model);
    const [index, method, ...args] = resolveUploads(msg.args);
    const layer = model.layers[index];
    if (!layer) throw new Error(`there is no layer ${index}`);
    return answer(LAYER_METHODS, layer, model, method, args);
  },
  dispose(msg) {
    const e = models.get(msg.model);
    if (!e) return;
    e.model.dispose(); // stops a running fit first
    models.delete(msg.model);
  },
  // Answers once the fit ends; meanwhile its Run takes 'run' requests under this request's id.
  async fit(msg) {
    const e = entry(msg.model);
    const [x, y, options] = resolveUploads(msg.args);
    const { callbacks = [], ...rest } = options ?? {};
    const send =
      (event) =>
      (...args) =>
        port.post({ id: msg.id, event, args });
    const hooks = Object.fromEntries(callbacks.map((name) => [name, send(name)]));
    const run = e.model.fit(x, y, { ...rest, ...hooks });
    runs.set(msg.id, run);
    try {
      return await run;
    } finally {
      runs.delete(msg.id);
    }
  },
  // A control of a fit's Run (RUN_METHODS); a Run that has ended answers as ENDED does.
  async run(msg) {
    const [runId, method, ...args] = resolveUploads(msg.args);
    if (!Object.hasOwn(RUN_METHODS, method) || RUN_METHODS[method].answer === 'model')
      throw new Error(`unknown run method ${method}`);
    const run = runs.get(runId) ?? ENDED;
    const result = await run[method](...args);
    return { result, state: run.state };
  },
};

port.listen(async (msg) => {
  try {
    if (!Object.hasOwn(OPS, msg.op)) throw new Error(`unknown request ${msg.op}`);
    if (!cl && msg.op !== 'init') throw new Error('the worker is not initialised');
    const result = await OPS[msg.op](msg);
    port.post({ id: msg.id, result }, [...transferables(result)]);
  } catch (err) {
    if (isEngineCrash(err)) return crash(err);
    port.post({ id: msg.id, error: errorToData(err) });
  }
});

// A trap leaves the engine's memory as it was mid-call: no later answer from
// it could be trusted, so the worker says why and ends (the page restarts one).
async function crash(err) {
  port.post({ crashed: errorToData(err) });
  if (typeof WorkerGlobalScope !== 'undefined') self.close();
  else (await importNodeBuiltin('node:process')).exit(1);
}
