// What the page makes of a model file: whether it fits the dataset on the
// page, and the hyperparameters it trains with.

/** Why a model with `outputs` outputs (saved with `meta`) cannot run on dataset `ds`, or null. */
export function loadProblem(outputs, meta, ds) {
  if (outputs !== ds.classNames.length)
    return `the saved model has ${outputs} outputs; ${ds.name} has ${ds.classNames.length} classes`;
  if (meta.datasetName && meta.datasetName !== ds.name)
    return (
      `it was trained on ${meta.datasetName}; switch the dataset to ${meta.datasetName} first (this is ` +
      `${ds.name})`
    );
  return null;
}

/**
 * The page's hyperparameters for an engine compile config (as a model file
 * holds it): a file from elsewhere carries no page settings, so its own
 * optimizer is what the panel must show.
 */
export function hyperOf(compile, current) {
  const o = compile?.optimizer ?? {};
  const h = { ...current };
  if (o.type) h.optimizer = o.type === 'sgd' && o.momentum > 0 ? 'momentum' : o.type;
  for (const key of ['learningRate', 'momentum', 'beta1', 'beta2'])
    if (typeof o[key] === 'number') h[key] = o[key];
  h.l2 = typeof o.l2 === 'number' ? o.l2 : 0;
  return h;
}
