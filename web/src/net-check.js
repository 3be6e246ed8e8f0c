// Builds and compiles the user's net in the worker, or explains what is wrong
// with the spec: the engine's message, the layer it names, and the summary of
// the layers before it (so the stack still shows their shapes).
import { mapProblem } from './map-check.js';
import { outputProblem } from './tasks.js';

// What a failed build's layerIndex names when it is not a layer's index.
export const WHOLE_STACK = -1;
export const OPTIMIZER = -2; // the compile config: optimizer, learning rate, loss

/**
 * Resolves { model, summary } or { error, layerIndex, summary } (layerIndex:
 * the failing layer, or WHOLE_STACK, or OPTIMIZER). classes: the dataset's
 * class count; task: what the net learns (tasks.js), which says what it must
 * end in; batchSize: what must fit in memory.
 */
export async function buildNet(cl, spec, compile, seed, classes, batchSize, task = 'classify') {
  if (!spec.layers.length)
    return {
      error: 'the stack is empty: add a layer, or pick a preset',
      layerIndex: WHOLE_STACK,
      summary: null,
    };
  const mapless = mapProblem(spec.layers);
  if (mapless) {
    const { layerIndex } = mapless;
    return { ...mapless, summary: await prefixSummary(cl, spec.layers.slice(0, layerIndex), spec, seed) };
  }
  let model;
  try {
    model = await cl.sequential(spec, { seed });
  } catch (e) {
    const message = e?.message ?? String(e);
    const layerIndex = Number.isInteger(e?.layerIndex) ? e.layerIndex : WHOLE_STACK;
    let summary = null;
    if (layerIndex > 0) summary = await prefixSummary(cl, spec.layers.slice(0, layerIndex), spec, seed);
    return { error: message, layerIndex, summary };
  }
  const summary = await model.summaryData();
  if (batchSize > summary.totals.maxBatch) {
    await model.dispose();
    return {
      error:
        `a batch of ${batchSize} needs more memory than Convolab allows a net: at most ` +
        `${summary.totals.maxBatch} ` +
        `example${summary.totals.maxBatch === 1 ? '' : 's'} fit this net; use fewer filters or units, or a smaller ` +
        `batch`,
      layerIndex: WHOLE_STACK,
      summary,
    };
  }
  const last = summary.layers.at(-1);
  const problem = outputProblem(task, last.outputShape, spec.inputShape, classes);
  if (problem) {
    await model.dispose();
    return {
      error: `layer ${summary.layers.length} (${last.type}): ${problem}`,
      layerIndex: summary.layers.length - 1,
      summary,
    };
  }
  try {
    await model.compile(compile);
  } catch (e) {
    await model.dispose();
    const message = e?.message ?? String(e);
    // a loss that does not fit the last layer names that layer; the rest is the optimizer panel's
    const layerIndex = Number.isInteger(e?.layerIndex)
      ? e.layerIndex
      : e?.kind === 'config'
        ? OPTIMIZER
        : spec.layers.length - 1;
    return { error: message, layerIndex, summary };
  }
  return { model, summary };
}

// The shapes of the layers above a failing one (null when they fail too:
// then the first of them names its own problem).
async function prefixSummary(cl, layers, spec, seed) {
  if (!layers.length) return null;
  try {
    const prefix = await cl.sequential({ ...spec, layers }, { seed });
    const summary = await prefix.summaryData();
    await prefix.dispose();
    return summary;
  } catch {
    return null;
  }
}

/**
 * The first conv layer's kernels as { kh, kw, cin, cout, values } (values in
 * the engine's (KH, KW, C, OC) order), or null when there is none or a layer
 * with weights comes before it (the page shows only layer 1's filters).
 */
export async function firstFilters(model, summary) {
  for (const [i, l] of summary.layers.entries()) {
    if (l.type === 'Conv2D') {
      const [kernel] = await model.layers[i].getWeights();
      const [kh, kw, cin, cout] = kernel.shape;
      return { kh, kw, cin, cout, values: kernel.data };
    }
    if (l.params > 0) return null;
  }
  return null;
}
