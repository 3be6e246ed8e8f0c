// What the page makes of a model file: whether it fits the dataset on the
// page, and the hyperparameters it trains with.

import { DEFAULT_TASK, outputProblem } from './tasks.js';

/**
 * Why a model whose output per example is `outputShape` ([k], or [h, w, c] for
 * a map; saved with `meta`) cannot run on dataset `ds` for `task`, or null.
 */
export function loadProblem(outputShape, meta, ds, task = DEFAULT_TASK) {
  const classes = ds.classNames.length;
  if (task !== 'denoise' && outputShape.length === 1 && outputShape[0] !== classes)
    return `the saved model has ${outputShape[0]} outputs; ${ds.name} has ${classes} classes`;
  // a denoiser on a classifier's page, a classifier on a denoiser's: the task's own reason
  const shape = outputProblem(task, outputShape, [ds.height, ds.width, ds.channels], classes);
  if (shape) return shape;
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
