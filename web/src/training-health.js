// Is the training clearly failing? Decided from the numbers the worker
// reports, never from a message: the loss far above the net's starting loss
// for several updates in a row, or the predictions on the validation sample
// collapsed onto one class that the data does not hold most of. A NaN or
// infinite loss (the engine's own divergence) counts too. The page tells each
// failure once, with one hint, and says when the training is healthy again.
import { formatMetric } from './number-format.js';

const FAR_FACTOR = 2; // "far above": twice the starting loss …
const FAR_MARGIN = 1; // … and at least one nat more (a trained net starts near 0)
const FAILING_UPDATES = 10; // consecutive updates that far above
const HEALTHY_UPDATES = 20; // consecutive updates back below, to call it healthy again
const COLLAPSE_SHARE = 0.9; // one class gets this share of the predictions …
const COLLAPSE_CHECKS = 3; // … at this many sample checks in a row (or one of the whole set) …
const COLLAPSE_AFTER_UPDATES = 50; // … once the net has trained this long (a fresh net may favour one class)
const MIN_CHECKED = 20; // examples a collapse check needs

/** The same hint for every kind of failure. */
export const failureHint = (learningRate) =>
  `Lower the learning rate (now ${learningRate}), press Reset for fresh weights, or restore a snapshot.`;

/** A failure ({ kind, ... } as TrainingHealth reports it) in words, with the hint. */
export function failureMessage(f, classNames = []) {
  const hint = failureHint(f.learningRate);
  if (f.kind === 'diverged') {
    const place = Number.isInteger(f.epoch) ? ` in epoch ${f.epoch + 1}, batch ${f.batch + 1}` : '';
    const what = Number.isNaN(f.value) ? 'NaN' : 'infinite';
    return (
      `Training diverged${place}: the loss became ${what}. The weights were restored to the last good ` +
      `ones. ${hint}`
    );
  }
  if (f.kind === 'loss')
    return (
      `Training is failing: the loss is ${formatMetric(f.loss)}, far above the ${formatMetric(f.startLoss)} ` +
      `it started from, for ${f.updates} updates in a row. ${hint}`
    );
  const name = classNames[f.predictedClass] ?? String(f.predictedClass);
  return (
    `Training is failing: the net predicts “${name}” for ${Math.round(f.share * 100)} % of ` +
    `the ${f.checked.toLocaleString('en')} validation images it was checked on. ${hint}`
  );
}

export class TrainingHealth {
  constructor() {
    this.startLoss = null; // the loss of the net's first batch, before any update
    this.updates = 0;
    this.farStreak = 0;
    this.healthyStreak = 0;
    this.collapseStreak = 0;
    this.failing = null; // { kind, ... } while failing
  }

  get threshold() {
    return Math.max(FAR_FACTOR * this.startLoss, this.startLoss + FAR_MARGIN);
  }

  /** One update's loss. */
  batch(loss) {
    if (!Number.isFinite(loss)) return;
    this.updates++;
    if (this.startLoss === null) {
      this.startLoss = loss;
      return;
    }
    if (loss > this.threshold) {
      this.farStreak++;
      this.healthyStreak = 0;
      if (this.farStreak >= FAILING_UPDATES && this.failing?.kind !== 'loss')
        this.failing = { kind: 'loss', startLoss: this.startLoss, loss, updates: this.farStreak };
      if (this.failing?.kind === 'loss') Object.assign(this.failing, { loss, updates: this.farStreak });
    } else {
      this.farStreak = 0;
      this.healthyStreak++;
      // a collapse clears at the next check that finds the predictions spread out
      if (this.healthyStreak >= HEALTHY_UPDATES && this.failing && this.failing.kind !== 'collapse')
        this.failing = null;
    }
  }

  /** The engine stopped on a NaN or infinite loss (fit's divergence: epoch, batch, value). */
  diverged({ epoch, batch, value }) {
    this.farStreak = 0;
    this.healthyStreak = 0;
    this.failing = { kind: 'diverged', epoch, batch, value };
  }

  /**
   * predicted, labels: the predicted and the true class of each example
   * checked; whole: they are the whole validation set (an epoch's end), one
   * check is enough.
   */
  predictions(predicted, labels, classes, { whole = false } = {}) {
    const n = predicted.length;
    if (n < MIN_CHECKED || this.updates < COLLAPSE_AFTER_UPDATES) return;
    const byPrediction = new Array(classes).fill(0),
      byLabel = new Array(classes).fill(0);
    for (let i = 0; i < n; i++) {
      byPrediction[predicted[i]]++;
      byLabel[labels[i]]++;
    }
    const top = byPrediction.indexOf(Math.max(...byPrediction));
    const share = byPrediction[top] / n;
    const collapsed = share >= COLLAPSE_SHARE && byLabel[top] / n < 0.5;
    this.collapseStreak = collapsed ? (whole ? COLLAPSE_CHECKS : this.collapseStreak + 1) : 0;
    if (collapsed && this.collapseStreak >= COLLAPSE_CHECKS && !this.failing)
      this.failing = { kind: 'collapse', predictedClass: top, share, checked: n };
    else if (!collapsed && this.failing?.kind === 'collapse') this.failing = null;
  }

  /** Healthy: not failing, and the last updates were all near the starting loss. */
  get healthy() {
    return !this.failing && this.healthyStreak >= HEALTHY_UPDATES;
  }
}
