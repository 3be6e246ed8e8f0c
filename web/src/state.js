// The one state object of the page: dataset, layer stack, hyperparameters.
// It round-trips through the URL hash, so a link reproduces the setup.
// Panels change it through update(); listeners re-render what they show.
import { cleanLayer, LAYER_TYPES } from './layer-catalog.js';
import { DEFAULT_PRESET, PRESETS } from './presets.js';

export const DATASETS = {
  mnist: { label: 'MNIST digits', url: 'data/mnist.cldata' },
  fashion: { label: 'Fashion-MNIST', url: 'data/fashion-mnist.cldata' },
};

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adadelta'];

export function defaultState() {
  const p = PRESETS[DEFAULT_PRESET];
  return { dataset: 'mnist', preset: DEFAULT_PRESET, layers: structuredClone(p.layers), hyper: { ...p.hyper } };
}

/** The engine spec for the current stack. */
export function specOf(state, inputShape) {
  return { inputShape, layers: state.layers.map(cleanLayer) };
}

/** The engine's compile config for the hyperparameters. */
export function compileConfigOf(hyper) {
  const optimizer = { type: hyper.optimizer, learningRate: Number(hyper.learningRate) };
  if (hyper.optimizer === 'momentum' || hyper.optimizer === 'rmsprop') optimizer.momentum = Number(hyper.momentum);
  if (Number(hyper.l2) > 0) optimizer.l2 = Number(hyper.l2);
  return { optimizer, loss: 'categoricalCrossentropy' };
}

export function toHash(state) {
  const compact = { d: state.dataset, p: state.preset, l: state.layers.map(cleanLayer), h: state.hyper };
  return '#' + encodeURIComponent(JSON.stringify(compact));
}

/** Parses a hash made by toHash; returns null (and the reason) when it is not one. */
export function fromHash(hash) {
  if (!hash || hash.length < 2) return { state: null };
  let raw;
  try {
    raw = JSON.parse(decodeURIComponent(hash.slice(1)));
  } catch {
    return { state: null, error: 'the link’s settings could not be read (the URL hash is not valid); using the defaults' };
  }
  const base = defaultState();
  if (!raw || !Array.isArray(raw.l)) return { state: null, error: 'the link has no layer stack; using the defaults' };
  const bad = raw.l.find((l) => !l || !LAYER_TYPES[l.type]);
  if (bad) return { state: null, error: `the link names an unknown layer type '${bad?.type}'; using the defaults` };
  return {
    state: {
      dataset: DATASETS[raw.d] ? raw.d : base.dataset,
      preset: PRESETS[raw.p] ? raw.p : '',
      layers: raw.l.map((l) => ({ ...l })),
      hyper: { ...base.hyper, ...(raw.h ?? {}) },
    },
  };
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
    subscribe(fn) { listeners.add(fn); return () => listeners.delete(fn); },
  };
}
