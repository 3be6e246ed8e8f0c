// The convolab npm module: loads the WebAssembly engine in Node, browsers
// and workers, and builds models with a tfjs-layers-like API.
//
//   const cl = await loadConvolab();
//   const model = cl.sequential({ inputShape: [28, 28, 1], layers: [...] });
//
// Ownership: every Model holds wasm memory; call dispose() when done (a
// FinalizationRegistry frees forgotten ones eventually).
import createConvolabCore from '../dist/convolab-core.js';
import { ERROR_CLASSES, SpecError, engineCall } from './errors.js';
import { Layer, Model, rejectNonFinite } from './model.js';
import { Run } from './run.js';
import { Tensor, tensor } from './tensor.js';
import { ConvolabDataset, dataset, datasetFromBytes } from './dataset-object.js';
import { augmentImages } from './augment.js';
import { importTfjs } from './tfjs-import.js';

export {
  ConvolabError,
  DisposedError,
  InputError,
  InteropError,
  MemoryError,
  SpecError,
  TrainingError,
  WorkerError,
} from './errors.js';
export { Layer, Model, Run, Tensor, tensor };
export { ConvolabDataset, dataset, datasetFromBytes, augmentImages };

// Node built-ins are imported by name at run time so that bundlers for the
// browser leave them alone (the code paths using them never run there).
const importNodeBuiltin = (name) => import(/* webpackIgnore: true */ /* @vite-ignore */ name);
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

// URLs of the builds beside this file. import.meta.url may be missing when a
// bundler rewrote this module; then the caller passes wasmUrl (see load options).
function besideThisModule(path) {
  try {
    return new URL(path, import.meta.url);
  } catch {
    return null;
  }
}

export class Convolab {
  /** @internal use loadConvolab */
  constructor(core, info) {
    this._core = core;
    /** Which build runs: { threads, build: 'single-thread' | 'threaded' }. */
    this.backend = info;
    Object.assign(this, ERROR_CLASSES, { Tensor });
  }

  /** Builds a model from a spec { inputShape: [h, w, c], layers: [...] } (object or JSON text). */
  sequential(spec, { seed = 42 } = {}) {
    let text = spec;
    if (typeof spec !== 'string') {
      if (!spec || typeof spec !== 'object')
        throw new SpecError('sequential: the spec must be { inputShape, layers }');
      // JSON would turn NaN and infinities into null, which reads as "default"
      rejectNonFinite(spec.inputShape, 'sequential', SpecError, {}, 'inputShape');
      if (Array.isArray(spec.layers))
        spec.layers.forEach((l, i) =>
          rejectNonFinite(l, `layer ${i + 1} (${l?.type})`, SpecError, { layerIndex: i }),
        );
      text = JSON.stringify(spec);
    }
    if (!Number.isFinite(seed) || seed < 0)
      throw new SpecError(`sequential: seed must be a number ≥ 0, got ${seed}`);
    const raw = engineCall(SpecError, () => new this._core.Model(text, seed));
    return new Model(raw, this._core);
  }

  /** Rebuilds a model from Model.save()'s bytes (.clmodel). */
  load(bytes) {
    if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer))
      throw new SpecError('load: expected the bytes of a .clmodel file (Uint8Array)');
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const raw = engineCall(SpecError, () => this._core.loadModel(data));
    return new Model(raw, this._core);
  }

  /**
   * Builds a model from a TensorFlow.js LayersModel: model.json's content
   * (object or text) and the weight bytes (an ArrayBuffer, or one per .bin
   * shard in manifest order). Refuses what it cannot represent with an
   * InteropError naming the layer and option (err.code, err.layerIndex, err.option).
   */
  importTfjs(modelJSON, weightData) {
    return importTfjs(this, modelJSON, weightData);
  }

  /** @deprecated another name for sequential(), kept for code that calls it */
  createModel(spec, options) {
    return this.sequential(spec, options);
  }

  /** Makes a Tensor: cl.tensor(float32Array, [n, h, w, c]). */
  tensor(data, shape) {
    return tensor(data, shape);
  }

  /**
   * A dataset from arrays: { images: Uint8Array (0–255) or Float32Array (0–1),
   * (N, H, W, C); labels: class indices (N); shape: [H, W, C]; classNames;
   * trainCount?; name? }. Every problem throws its own InputError; fit,
   * evaluate and predict take the result wherever x and y go.
   */
  dataset(spec) {
    return dataset(spec);
  }

  /** A .cldata file (ds.toBytes()) back into a dataset. */
  datasetFromBytes(bytes) {
    return datasetFromBytes(bytes);
  }

  /** Augmented copies of images, as fit's augment option makes them (for previews). */
  augment(images, shape, options, { seed } = {}) {
    return augmentImages(images, shape, options, { seed });
  }

  /**
   * Wasm heap use: { allocatedBytes (malloc'd, live), heapBytes (wasm memory
   * size), heapMaxBytes (its maximum), limitBytes (what one model may hold) }.
   */
  memory() {
    return this._core.heapStats();
  }
}

/**
 * Loads the engine. Options:
 *  - threads: 1 forces the single-thread build; in Node, a number > 1 asks for
 *    the threaded build. In browsers it is used when crossOriginIsolated.
 *  - wasmUrl / wasmBinary: where the .wasm is, for bundled apps.
 */
export async function loadConvolab(options = {}) {
  const wantThreads =
    options.threads !== undefined
      ? options.threads > 1
      : !isNode && globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  if (wantThreads && !options.wasmBinary) {
    const threaded = await loadThreaded(options).catch(() => null);
    if (threaded) return threaded;
  }
  const moduleArg = await wasmSource(options, 'convolab-core.wasm');
  const core = await createConvolabCore(moduleArg);
  return new Convolab(core, backendOf(core, 'single-thread'));
}

async function wasmSource(options, fileName) {
  const moduleArg = {};
  if (options.wasmBinary) {
    moduleArg.wasmBinary = options.wasmBinary;
  } else if (options.wasmUrl) {
    moduleArg.locateFile = (path) => (path.endsWith('.wasm') ? String(options.wasmUrl) : path);
  } else if (isNode) {
    const { readFile } = await importNodeBuiltin('node:fs/promises');
    moduleArg.wasmBinary = await readFile(besideThisModule(`../dist/${fileName}`));
  }
  return moduleArg;
}

// The threaded build (made by the speed work) is optional: its absence means
// the single-thread build runs. Loaded by URL so bundlers leave it alone.
// Only probed where this file still sits in the package layout (beside
// dist/); a bundle passes threadedUrl, so no 404 probes in bundled apps.
const inPackageLayout = /\/bindings\/convolab\.js$/.test(besideThisModule('./')?.pathname + 'convolab.js');

async function loadThreaded(options) {
  const url =
    options.threadedUrl ?? (inPackageLayout ? besideThisModule('../dist/convolab-core-mt.js') : null);
  if (!url) return null;
  if (isNode) {
    const { existsSync } = await importNodeBuiltin('node:fs');
    if (!existsSync(url)) return null;
  }
  const factory = (await import(/* @vite-ignore */ /* webpackIgnore: true */ String(url))).default;
  const moduleArg = await wasmSource({ ...options, wasmUrl: undefined }, 'convolab-core-mt.wasm');
  const core = await factory(moduleArg);
  core.setNumThreads(options.threads ?? globalThis.navigator?.hardwareConcurrency ?? 2); // clamped to the build's pool
  return new Convolab(core, backendOf(core, 'threaded'));
}

function backendOf(core, build) {
  return { build, threads: core.numThreads(), kernels: core.kernelImplementation() };
}
