// cl.importTfjs(modelJSON, weightData): a TensorFlow.js LayersModel (as
// tfjs-layers' model.save writes it, or tensorflowjs_converter from Keras)
// into a Convolab model. The file is untrusted input: its structure, every
// size and shape, and the byte count are checked before the engine
// allocates anything; whatever it cannot represent is refused by name.
import { InteropError, SpecError } from './errors.js';
import { LayerConfigReader } from './interop-options.js';
import { TFJS_CLASSES, unsupportedLayer } from './tfjs-layer-table.js';

const MAX_LAYERS = 1000;
const MAX_WEIGHTS = 4096; // weight tensors in the manifest
const MAX_VALUES = 16_777_216; // the engine's own parameter limit, and so the most a file can carry

const bad = (message, fields = {}) => new InteropError(message, { code: 'bad-file', ...fields });

function parseJSON(modelJSON) {
  if (typeof modelJSON === 'string') {
    try {
      return JSON.parse(modelJSON);
    } catch (e) {
      throw bad(`importTfjs: model.json is not JSON (${e.message})`);
    }
  }
  if (!modelJSON || typeof modelJSON !== 'object')
    throw bad('importTfjs: expected the content of a model.json (object or text)');
  return modelJSON;
}

// The Sequential layer list, from either file layout (modelTopology itself,
// or the older { model_config } wrapper), or a refusal that says why.
function sequentialLayers(json) {
  let topology = json.modelTopology;
  if (!topology || typeof topology !== 'object')
    throw bad(
      "importTfjs: model.json has no 'modelTopology' (is this a graph model? Convolab reads layers models)",
    );
  if (topology.model_config) topology = topology.model_config;
  const className = topology.class_name;
  if (className !== 'Sequential') {
    if (['Model', 'Functional'].includes(className))
      throw new InteropError(
        `importTfjs: this is a functional (non-sequential) model ('${className}'); ` +
          `Convolab builds only a straight stack of layers (Sequential)`,
        { code: 'functional-model', className },
      );
    throw bad(`importTfjs: modelTopology.class_name is ${JSON.stringify(className)}; expected 'Sequential'`, {
      className,
    });
  }
  const layers = Array.isArray(topology.config) ? topology.config : topology.config?.layers;
  if (!Array.isArray(layers) || layers.length === 0)
    throw bad('importTfjs: the Sequential model has no layers');
  if (layers.length > MAX_LAYERS) throw bad(`importTfjs: ${layers.length} layers; at most ${MAX_LAYERS}`);
  return layers;
}

// The per-example input shape from a batch shape: [null, h, w, c], [null, n] or [null, a, b].
function inputShapeFrom(batchShape, where) {
  const dims = batchShape.slice(1);
  const ok = (d) => Number.isInteger(d) && d >= 1 && d <= 4096 * 4096;
  if (!dims.every(ok) || dims.length < 1 || dims.length > 3)
    throw new InteropError(
      `importTfjs: the input shape ${JSON.stringify(batchShape)} is not [null, height, width, channels] ` +
        `(or [null, n], [null, a, b]) with whole sizes`,
      { code: 'unsupported-option', option: 'batch_input_shape', actual: batchShape, ...where },
    );
  return dims;
}

function batchShapeOf(config) {
  const s = config?.batch_input_shape ?? config?.batch_shape;
  return Array.isArray(s) ? s : null;
}

// The manifest's weights, checked, with their place in the concatenated bytes.
function readManifest(json) {
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw bad("importTfjs: 'weightsManifest' must be a list");
  const entries = new Map();
  let offset = 0;
  let optimizerEntries = 0;
  for (const group of manifest) {
    if (!Array.isArray(group?.weights))
      throw bad("importTfjs: a weightsManifest group has no 'weights' list");
    for (const w of group.weights) {
      if (entries.size >= MAX_WEIGHTS) throw bad(`importTfjs: more than ${MAX_WEIGHTS} weight tensors`);
      if (typeof w?.name !== 'string' || !w.name)
        throw bad('importTfjs: a weight in weightsManifest has no name', { code: 'weight-missing' });
      // tfjs's includeOptimizer state (Adam's moments, its step count): counted for the byte offsets, not read
      const optimizerState =
        w.group === 'optimizer' && (w.dtype === 'float32' || w.dtype === 'int32') && !w.quantization;
      if (!optimizerState && (w.dtype !== 'float32' || w.quantization))
        throw bad(
          `importTfjs: weight '${w.name}' is ${w.quantization ? 'quantized' : w.dtype}; Convolab reads float32 weights only`,
          {
            option: 'dtype',
            actual: w.dtype,
            weightName: w.name,
          },
        );
      if (
        !Array.isArray(w.shape) ||
        w.shape.length > 4 ||
        !w.shape.every((d) => Number.isInteger(d) && d >= 0 && d <= MAX_VALUES)
      )
        throw bad(`importTfjs: weight '${w.name}' has shape ${JSON.stringify(w.shape)}`, {
          code: 'weight-shape',
          weightName: w.name,
        });
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (offset / 4 + size > MAX_VALUES)
        throw bad(`importTfjs: the weights hold more than ${MAX_VALUES} values`);
      if (optimizerState) {
        optimizerEntries++;
        offset += size * 4;
        continue;
      }
      if (entries.has(w.name))
        throw bad(`importTfjs: weight '${w.name}' appears twice in the manifest`, { weightName: w.name });
      entries.set(w.name, { name: w.name, shape: w.shape, offset, size });
      offset += size * 4;
    }
  }
  return { entries, bytes: offset, optimizerEntries };
}

function concatBuffers(weightData) {
  const parts = Array.isArray(weightData) ? weightData : [weightData];
  const views = parts.map((p, i) => {
    if (p instanceof ArrayBuffer) return new Uint8Array(p);
    if (ArrayBuffer.isView(p)) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
    throw bad(
      `importTfjs: weightData${Array.isArray(weightData) ? `[${i}]` : ''} must be an ArrayBuffer (the .bin file's bytes)`,
    );
  });
  return views;
}

// Copies `size` float32 values starting at byte `offset` of the shards.
function floatsAt(shards, offset, size) {
  const out = new Uint8Array(size * 4);
  let want = offset;
  let filled = 0;
  let base = 0;
  for (const s of shards) {
    if (filled === out.length) break;
    if (want < base + s.length) {
      const from = want - base;
      const n = Math.min(s.length - from, out.length - filled);
      out.set(s.subarray(from, from + n), filled);
      filled += n;
      want += n;
    }
    base += s.length;
  }
  return new Float32Array(out.buffer);
}

// Which manifest entry holds layerName/weight: the exact name, or one that
// ends with it under a scope (converters may prefix the model's name).
function findWeight(entries, layerName, weight) {
  const exact = `${layerName}/${weight}`;
  if (entries.has(exact)) return entries.get(exact);
  const scoped = [...entries.values()].filter((e) => e.name.endsWith(`/${exact}`));
  return scoped.length === 1 ? scoped[0] : null;
}

/**
 * Reads the file into { spec, weightsPlan, compile } without touching the engine.
 * weightsPlan: per Convolab layer, [{ clName, entry, where }] to fill after build.
 */
export function planTfjsImport(modelJSON, weightData) {
  const json = parseJSON(modelJSON);
  const fileLayers = sequentialLayers(json);
  const { entries, bytes, optimizerEntries } = readManifest(json);
  const shards = concatBuffers(weightData ?? []);
  const have = shards.reduce((s, v) => s + v.length, 0);
  if (have < bytes)
    throw new InteropError(`importTfjs: the weight files hold ${have} bytes; the manifest needs ${bytes}`, {
      code: 'weights-short',
      expected: bytes,
      actual: have,
    });
  if (have > bytes)
    throw new InteropError(
      `importTfjs: the weight files hold ${have} bytes, ${have - bytes} more than the manifest's ${bytes}`,
      {
        code: 'weights-long',
        expected: bytes,
        actual: have,
      },
    );

  let inputShape = null;
  const layers = [];
  const names = [];
  const plan = [];
  const l2s = [];
  let rank = null; // of the tensor between layers, per example
  fileLayers.forEach((entry, layerIndex) => {
    const className = entry?.class_name;
    const layerName = typeof entry?.config?.name === 'string' ? entry.config.name : `layer_${layerIndex}`;
    const where = { layerIndex, layerName, className };
    if (typeof className !== 'string') throw bad(`importTfjs: layer ${layerIndex} has no class_name`, where);
    const batchShape = batchShapeOf(entry.config);
    if (layerIndex === 0 && !batchShape)
      throw new InteropError(
        `importTfjs: the first layer '${layerName}' has no batch_input_shape (or batch_shape): the input shape is unknown`,
        {
          code: 'bad-file',
          option: 'batch_input_shape',
          ...where,
        },
      );
    if (layerIndex === 0) {
      inputShape = inputShapeFrom(batchShape, where);
      rank = batchShape.length - 1;
    }
    if (className === 'InputLayer') {
      if (layerIndex !== 0) throw bad(`importTfjs: InputLayer '${layerName}' is not the first layer`, where);
      const r = new LayerConfigReader(entry.config, where);
      r.float32();
      r.oneOf('sparse', [false], false);
      r.oneOf('ragged', [false], false);
      r.finish();
      return;
    }
    const r = new LayerConfigReader(entry.config, where);
    const found = TFJS_CLASSES.get(className);
    if (!found) throw unsupportedLayer(where);
    const { type, row } = found;
    const weightShape = (tfjsName) => findWeight(entries, layerName, tfjsName)?.shape ?? null;
    const read = row.fromTfjs(r, { weightShape });
    r.finish();
    const spec = { ...read.spec, name: layerName };
    if (type === 'batchNormalization' && !(read.axis === -1 || read.axis === rank))
      throw r.fail('axis', `is ${read.axis}; Convolab normalizes the last (channel) axis only`, {
        actual: read.axis,
      });
    if (read.l2 !== undefined)
      l2s.push({ l2: read.l2, option: read.l2Option ?? 'kernel_regularizer', where });
    if (row.input === 'spatial' && rank !== 3)
      throw new InteropError(
        `importTfjs: layer ${layerIndex} '${layerName}' (${className}) needs a [h, w, c] input but gets one of rank ${rank}`,
        {
          code: 'unsupported-layer',
          ...where,
        },
      );
    // Dense and the rest keep their input's rank (tfjs runs Dense on the last axis)
    if (['flatten', 'globalAveragePooling2d', 'globalMaxPooling2d'].includes(type)) rank = 1;
    else if (type === 'reshape') rank = spec.targetShape.length;
    layers.push(spec);
    names.push(layerName);
    plan.push(row.weights.map(([tfjsName, clName]) => ({ tfjsName, clName, where })));
  });
  if (layers.length === 0) throw bad('importTfjs: the model has no layers besides its input');

  const l2 = l2s.length ? l2s[0].l2 : 0;
  const odd = l2s.find((x) => x.l2 !== l2);
  if (odd)
    throw new InteropError(
      `importTfjs: layer ${odd.where.layerIndex} '${odd.where.layerName}': option '${odd.option}' ` +
        `differs from other layers' (${odd.l2} vs ${l2}); Convolab has one L2 penalty for every kernel`,
      { code: 'unsupported-option', option: odd.option, ...odd.where },
    );
  const compile = compileFrom(json.trainingConfig, l2, json.userDefinedMetadata?.convolab);
  if (optimizerEntries)
    compile.notes.push(
      `the file's optimizer state (${optimizerEntries} tensors) is not read: the optimizer starts afresh`,
    );
  return {
    spec: { inputShape, layers },
    plan,
    entries,
    shards,
    compile,
  };
}

// tfjs's or Keras's trainingConfig → a Convolab compile config, or null
// with a note when the optimizer or loss has no Convolab counterpart.
const LOSS_NAMES = {
  categoricalCrossentropy: 'categoricalCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  meanSquaredError: 'meanSquaredError',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
};
// A loss by name, or as Keras saves a loss object: { class_name: 'CategoricalCrossentropy', config: { from_logits } }.
function lossFrom(loss) {
  if (typeof loss === 'string') return { loss: LOSS_NAMES[loss] };
  if (!loss || typeof loss !== 'object' || typeof loss.class_name !== 'string') return {};
  const name = LOSS_NAMES[loss.class_name.charAt(0).toLowerCase() + loss.class_name.slice(1)];
  const fromLogits = loss.config?.from_logits;
  return {
    loss: name,
    ...(name && name !== 'meanSquaredError' && typeof fromLogits === 'boolean' ? { fromLogits } : {}),
  };
}
// extra: what Convolab's exporter keeps in userDefinedMetadata.convolab ({ fromLogits })
function compileFrom(training, l2, extra) {
  const notes = [];
  if (!training || typeof training !== 'object')
    return { config: l2 ? { optimizer: { type: 'sgd', l2 } } : null, notes };
  const read = lossFrom(training.loss);
  const loss = read.loss;
  let fromLogits = read.fromLogits;
  if (loss && loss !== 'meanSquaredError' && typeof extra?.fromLogits === 'boolean')
    fromLogits ??= extra.fromLogits;
  if (!loss && training.loss !== undefined)
    notes.push(`loss ${JSON.stringify(training.loss)} has no Convolab counterpart; the default loss is used`);
  const oc = training.optimizer_config;
  const c = oc?.config ?? {};
  const num = (...keys) => keys.map((k) => c[k]).find((v) => typeof v === 'number' && Number.isFinite(v));
  const lr = num('learningRate', 'learning_rate', 'lr');
  const optimizers = {
    SGD: () =>
      num('momentum') > 0
        ? { type: 'momentum', momentum: num('momentum'), useNesterov: !!c.nesterov }
        : { type: 'sgd' },
    Momentum: () => ({
      type: 'momentum',
      momentum: num('momentum'),
      useNesterov: !!(c.useNesterov ?? c.use_nesterov),
    }),
    Adam: () => ({
      type: 'adam',
      beta1: num('beta1', 'beta_1'),
      beta2: num('beta2', 'beta_2'),
      epsilon: num('epsilon'),
    }),
    RMSProp: () => ({
      type: 'rmsprop',
      decay: num('decay', 'rho'),
      momentum: num('momentum'),
      epsilon: num('epsilon'),
      centered: !!c.centered,
    }),
    RMSprop: () => ({
      type: 'rmsprop',
      decay: num('decay', 'rho'),
      momentum: num('momentum'),
      epsilon: num('epsilon'),
      centered: !!c.centered,
    }),
    Adadelta: () => ({ type: 'adadelta', rho: num('rho'), epsilon: num('epsilon') }),
  };
  let optimizer = null;
  const make = optimizers[oc?.class_name];
  if (make) {
    optimizer = Object.fromEntries(
      Object.entries({ ...make(), learningRate: lr }).filter(([, v]) => v !== undefined),
    );
  } else if (oc)
    notes.push(`optimizer ${JSON.stringify(oc.class_name)} has no Convolab counterpart; plain SGD is used`);
  if (l2) optimizer = { ...(optimizer ?? { type: 'sgd' }), l2 };
  const config =
    optimizer || loss
      ? {
          ...(optimizer ? { optimizer } : {}),
          ...(loss ? { loss } : {}),
          ...(fromLogits !== undefined ? { fromLogits } : {}),
        }
      : null;
  return { config, notes };
}

/** Fills a freshly built model's weights from the plan; throws (the caller disposes) on any mismatch. */
export function fillTfjsWeights(model, { plan, entries, shards }) {
  const used = new Set();
  model.layers.forEach((layer, i) => {
    const specs = layer.weightSpecs;
    const values = specs.map((ws) => {
      const p = plan[i].find((x) => x.clName === ws.name);
      const where = p?.where ?? { layerIndex: i };
      const entry = p ? findWeight(entries, where.layerName, p.tfjsName) : null;
      if (!entry)
        throw new InteropError(
          `importTfjs: layer ${where.layerIndex} '${where.layerName}' needs weight ` +
            `'${where.layerName}/${p?.tfjsName ?? ws.name}' of shape [${ws.shape}], which the manifest lacks`,
          {
            code: 'weight-missing',
            ...where,
            weightName: `${where.layerName}/${p?.tfjsName ?? ws.name}`,
            expected: ws.shape,
          },
        );
      if (entry.shape.join() !== ws.shape.join())
        throw new InteropError(
          `importTfjs: weight '${entry.name}' has shape [${entry.shape}]; ` +
            `layer ${where.layerIndex} '${where.layerName}' needs [${ws.shape}]`,
          { code: 'weight-shape', ...where, weightName: entry.name, expected: ws.shape, actual: entry.shape },
        );
      used.add(entry.name);
      const data = floatsAt(shards, entry.offset, entry.size);
      const at = data.findIndex((v) => !Number.isFinite(v));
      if (at >= 0)
        throw bad(`importTfjs: weight '${entry.name}' value ${at} is ${data[at]}`, {
          ...where,
          weightName: entry.name,
        });
      return data;
    });
    layer.setWeights(values);
  });
  const unused = [...entries.keys()].filter((n) => !used.has(n));
  if (unused.length)
    throw new InteropError(
      `importTfjs: the manifest has weights no layer uses: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? '…' : ''}`,
      {
        code: 'weight-unused',
        weightName: unused[0],
      },
    );
}

/** cl.importTfjs: plan (no allocation), build, fill, compile; the model is disposed on any failure. */
export function importTfjs(cl, modelJSON, weightData) {
  const plan = planTfjsImport(modelJSON, weightData);
  const model = cl.sequential(plan.spec);
  try {
    fillTfjsWeights(model, plan);
    if (plan.compile.config) model.compile(plan.compile.config);
  } catch (e) {
    model.dispose();
    if (e instanceof SpecError) throw e;
    throw new InteropError(`importTfjs: ${e.message}`, { code: 'bad-file' }, { cause: e });
  }
  model.importNotes = plan.compile.notes;
  return model;
}
