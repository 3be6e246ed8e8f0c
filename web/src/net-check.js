// Builds and compiles the user's net in the worker, or explains what is wrong
// with the spec: the engine's message, the layer it names, and the summary of
// the layers before it (so the stack still shows their shapes).

/** Resolves { model, summary } or { error, layerIndex, summary } (layerIndex -2: the optimizer). */
export async function buildNet(cl, spec, compile, seed) {
  let model;
  try {
    model = await cl.sequential(spec, { seed });
  } catch (e) {
    const message = e?.message ?? String(e);
    const match = /^layer (\d+)/.exec(message);
    const layerIndex = match ? Number(match[1]) - 1 : -1;
    let summary = null;
    if (layerIndex > 0) {
      try {
        const prefix = await cl.sequential({ ...spec, layers: spec.layers.slice(0, layerIndex) }, { seed });
        summary = await prefix.summaryData();
        await prefix.dispose();
      } catch { /* the prefix names its own problem; the first one is enough */ }
    }
    return { error: message, layerIndex, summary };
  }
  const summary = await model.summaryData();
  try {
    await model.compile(compile);
  } catch (e) {
    await model.dispose();
    const message = e?.message ?? String(e);
    const isOptimizer = /optimizer|learning rate|loss/i.test(message);
    return { error: message, layerIndex: isOptimizer ? -2 : spec.layers.length - 1, summary };
  }
  return { model, summary };
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
