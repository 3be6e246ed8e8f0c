// The one state object of the page: dataset, layer stack, hyperparameters.
// It round-trips through the URL hash, so a link reproduces the setup.
// Panels change it through update(); listeners re-render what they show.
import { cleanLayer, LAYER_TYPES } from './layer-catalog.js';
import { DEFAULT_PRESET, PRESETS } from './presets.js';
import { DEFAULT_TASK, TASKS, taskOf } from './tasks.js';

export const DATASETS = {
  mnist: { label: 'MNIST digits', url: 'data/mnist.cldata' },
  fashion: { label: 'Fashion-MNIST', url: 'data/fashion-mnist.cldata' },
  // the learner's own classes, kept in this browser (IndexedDB): a link says "my data" but cannot carry it
  mine: { label: 'My data (draw, upload, camera)', url: null },
};

/**
 * Validation share of the data in percent (the split slider); null keeps a
 * built-in dataset's own split (its file's trainCount) and gives My data 20 %.
 */
export const DEFAULT_VAL_SPLIT = 20;
const VAL_SPLITS = { min: 5, max: 50 };

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adadelta'];
export const BATCH_SIZES = [1, 8, 16, 20, 32, 64, 128, 256];

// Options of one optimizer that the presets leave at tfjs's defaults.
const OPTIMIZER_DEFAULTS = { beta1: 0.9, beta2: 0.999 };

export function defaultState() {
  const p = PRESETS[DEFAULT_PRESET];
  return {
    dataset: 'mnist',
    task: p.task ?? DEFAULT_TASK,
    valSplit: null,
    preset: DEFAULT_PRESET,
    layers: structuredClone(p.layers),
    hyper: { ...OPTIMIZER_DEFAULTS, ...p.hyper },
  };
}

/** The engine spec for the current stack. */
export function specOf(state, inputShape) {
  return { inputShape, layers: state.layers.map(cleanLayer) };
}

/** The engine's compile config for the hyperparameters; the task (tasks.js) gives the loss. */
export function compileConfigOf(hyper, task = DEFAULT_TASK) {
  const optimizer = { type: hyper.optimizer, learningRate: Number(hyper.learningRate) };
  if (hyper.optimizer === 'momentum' || hyper.optimizer === 'rmsprop')
    optimizer.momentum = Number(hyper.momentum);
  if (hyper.optimizer === 'adam') {
    optimizer.beta1 = Number(hyper.beta1 ?? OPTIMIZER_DEFAULTS.beta1);
    optimizer.beta2 = Number(hyper.beta2 ?? OPTIMIZER_DEFAULTS.beta2);
  }
  if (Number(hyper.l2) > 0) optimizer.l2 = Number(hyper.l2);
  return { optimizer, loss: taskOf(task).loss };
}

// The hash reads like the stack it holds, e.g.
//   #data=mnist&net=conv2d(filters:8,kernelSize:5,padding:same)+maxPooling2d(poolSize:2)
//                  +flatten+dense(units:10)&opt=momentum&lr=0.01&…   (one line)
// Every character used is allowed in a URL fragment, so links stay readable.
const HYPER_KEYS = {
  opt: 'optimizer',
  lr: 'learningRate',
  momentum: 'momentum',
  b1: 'beta1',
  b2: 'beta2',
  batch: 'batchSize',
  epochs: 'epochs',
  l2: 'l2',
};

const layerText = (l) => {
  const { type, ...opts } = cleanLayer(l);
  const parts = Object.entries(opts).map(([k, v]) => `${k}:${Array.isArray(v) ? v.flat().join('x') : v}`);
  return parts.length ? `${type}(${parts.join(',')})` : type;
};

function parseValue(v) {
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(v)) return Number(v);
  if (/^-?\d+(x-?\d+)+$/.test(v)) return v.split('x').map(Number);
  if (v === 'true' || v === 'false') return v === 'true';
  return v;
}

function parseLayer(text) {
  const m = /^([A-Za-z0-9]+)(?:\((.*)\))?$/.exec(text);
  if (!m) throw new Error(`the layer '${text}' is not written as type(option:value,…)`);
  const layer = { type: m[1] };
  if (!Object.hasOwn(LAYER_TYPES, layer.type)) throw new Error(`unknown layer type '${layer.type}'`);
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split(':');
    if (!k || v === undefined)
      throw new Error(`the option '${pair}' of ${layer.type} is not written as name:value`);
    layer[k] = parseValue(v);
    // four sides travel as 1x2x3x4 and are [[top, bottom], [left, right]]
    const rule = LAYER_TYPES[layer.type].options.find((o) => o.key === k);
    if (rule?.pairs && Array.isArray(layer[k]) && layer[k].length === 4)
      layer[k] = [layer[k].slice(0, 2), layer[k].slice(2)];
    if (rule?.alwaysList && typeof layer[k] === 'number') layer[k] = [layer[k]];
  }
  return layer;
}

export function toHash(state) {
  const parts = [`data=${state.dataset}`];
  if (state.task && state.task !== DEFAULT_TASK) parts.push(`task=${state.task}`);
  if (state.valSplit != null) parts.push(`val=${state.valSplit}`);
  if (state.preset) parts.push(`preset=${state.preset}`);
  parts.push(`net=${state.layers.map(layerText).join('+')}`);
  for (const [short, key] of Object.entries(HYPER_KEYS))
    if (state.hyper[key] !== undefined) parts.push(`${short}=${state.hyper[key]}`);
  return '#' + parts.join('&');
}

// What a hyperparameter from a link may be; anything else keeps the default.
const HYPER_CHECKS = {
  optimizer: (v) => OPTIMIZERS.includes(v),
  learningRate: (v) => v > 0 && v <= 10,
  momentum: (v) => v >= 0 && v < 1,
  beta1: (v) => v >= 0 && v < 1,
  beta2: (v) => v >= 0 && v < 1,
  batchSize: (v) => BATCH_SIZES.includes(v),
  epochs: (v) => Number.isInteger(v) && v >= 1 && v <= 50,
  l2: (v) => v >= 0 && v <= 1,
};

/** The most layers a stack may have: enough for any net a learner builds, few enough to edit fast. */
export const MAX_LAYERS = 200;

const KNOWN_KEYS = new Set(['data', 'task', 'val', 'preset', 'net', ...Object.keys(HYPER_KEYS)]);

/**
 * Reads a link: every valid key is applied on top of the defaults (a link may
 * hold only `data=fashion`, or `batch=64&lr=0.05` with no `net=`), and the
 * keys it could not use are named. Returns { state } (null for no link) and,
 * when something was ignored, error: a sentence naming each ignored key.
 */
export function fromHash(hash) {
  if (!hash || hash.length < 2) return { state: null };
  const fields = {};
  const ignored = []; // sentences, one per ignored key
  for (const part of hash.slice(1).split('&')) {
    if (!part) continue;
    let text;
    try {
      text = decodeURIComponent(part);
    } catch {
      ignored.push(`“${part.slice(0, 40)}” is garbled (a broken %-escape)`);
      continue;
    }
    const at = text.indexOf('=');
    const key = at > 0 ? text.slice(0, at) : text;
    if (!KNOWN_KEYS.has(key)) ignored.push(`“${key.slice(0, 40)}” is not a setting`);
    else if (at < 0) ignored.push(`${key} has no value`);
    else fields[key] = text.slice(at + 1);
  }
  const base = defaultState();
  const state = { ...base, hyper: { ...base.hyper } };
  let accepted = 0; // keys taken from the link
  if (fields.data !== undefined) {
    if (Object.hasOwn(DATASETS, fields.data)) {
      state.dataset = fields.data;
      accepted++;
    } else ignored.push(`data=${fields.data.slice(0, 40)} is not a dataset`);
  }
  if (fields.preset !== undefined) {
    if (Object.hasOwn(PRESETS, fields.preset)) {
      state.preset = fields.preset;
      accepted++;
      // a preset with no stack of its own in the link brings its stack and settings
      if (fields.net === undefined) {
        state.layers = structuredClone(PRESETS[fields.preset].layers);
        state.hyper = { ...state.hyper, ...PRESETS[fields.preset].hyper };
      }
      state.task = PRESETS[fields.preset].task ?? DEFAULT_TASK;
    } else if (fields.preset !== '') ignored.push(`preset=${fields.preset.slice(0, 40)} is not a preset`);
  }
  if (fields.task !== undefined) {
    if (Object.hasOwn(TASKS, fields.task)) {
      state.task = fields.task;
      accepted++;
    } else ignored.push(`task=${fields.task.slice(0, 40)} is not a task`);
  }
  if (fields.net !== undefined) {
    const parts = fields.net.split('+');
    try {
      // refused before any parsing: a huge stack would freeze the page
      if (parts.length > MAX_LAYERS)
        throw new Error(
          `it has ${parts.length.toLocaleString('en')} layers, more than the ${MAX_LAYERS} a stack may have`,
        );
      state.layers = parts.map(parseLayer);
      accepted++;
      if (fields.preset === undefined || !Object.hasOwn(PRESETS, fields.preset)) state.preset = '';
    } catch (e) {
      ignored.push(`the layer stack (net=…) could not be used: ${e.message}`);
    }
  }
  for (const [short, key] of Object.entries(HYPER_KEYS)) {
    if (fields[short] === undefined) continue;
    const value = key === 'optimizer' ? fields[short] : Number(fields[short]);
    if (fields[short] !== '' && HYPER_CHECKS[key](value)) {
      state.hyper[key] = value;
      accepted++;
    } else ignored.push(`${short}=${fields[short].slice(0, 40)} is not valid`);
  }
  if (fields.val !== undefined) {
    const v = Number(fields.val);
    if (fields.val !== '' && Number.isInteger(v) && v >= VAL_SPLITS.min && v <= VAL_SPLITS.max) {
      state.valSplit = v;
      accepted++;
    } else
      ignored.push(
        `val=${fields.val.slice(0, 40)} is not valid (a validation share is ${VAL_SPLITS.min}–${VAL_SPLITS.max} %)`,
      );
  }
  // a link with nothing usable changes nothing: the page keeps what it shows
  if (!accepted)
    return {
      state: null,
      error: `The link could not be used (${ignored.join('; ')}); the page keeps its setup.`,
    };
  return ignored.length
    ? {
        state,
        error:
          `Part of the link was ignored, the defaults stand in for it: ${ignored.join('; ')}. The rest of the ` +
          `link is applied.`,
      }
    : { state };
}

/** A tiny store: get(), update(fn or partial), subscribe(fn). */
export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  return {
    get: () => state,
    update(change, reason = '') {
      state = typeof change === 'function' ? change(structuredClone(state)) : { ...state, ...change };
      for (const fn of listeners) fn(state, reason);
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
