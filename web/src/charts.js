// Live loss and accuracy charts (uPlot): training and validation by epoch.
// The validation figures are two series, each named with what it measured:
// a fixed sample of the validation set during an epoch, and all of it at the
// epoch's end (the two differ, and one is not a regression from the other).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric, formatTicks } from './number-format.js';

const COLORS = { train: '#2f6fed', val: '#e8743b', all: '#8a3b12' };

// uPlot passes the tick values and the step it chose between them.
const ticks = (u, splits, axis, space, step) => formatTicks(splits, step);
// a log axis has no even step: each tick gets its own two significant digits
const logTicks = (u, splits) => splits.map((v) => (v == null ? '' : String(Number(v.toPrecision(2)))));
const nearestValue = (u, series, i) => {
  const ys = u.data[series];
  for (let d = 0; d < ys.length; d++) {
    if (ys[i - d] != null) return i - d;
    if (ys[i + d] != null) return i + d;
  }
  return i;
};
const shown = (u, v) => (v == null ? '–' : formatMetric(v));

const count = (n) => (n == null ? '' : ` ${n.toLocaleString('en')}`);

// log: a base-10 y axis, so a loss falling from 2.3 to 0.05 stays readable;
// basis: { sample, all }, the validation sample's size and the validation set's
function makeChart(container, label, yRange, log = false, basis = {}) {
  const opts = {
    width: Math.max(240, container.clientWidth || 320),
    height: 200,
    scales: { x: { time: false }, y: yRange ? { range: yRange } : log ? { distr: 3, log: 10 } : {} },
    axes: [
      { label: 'epoch', size: 36, values: ticks },
      { size: 60, values: log ? logTicks : ticks },
    ],
    // the legend follows the pointer: the values under it, by series
    legend: { live: true },
    // training and validation points fall at different x: each series shows its own nearest point
    cursor: { dataIdx: nearestValue },
    series: [
      { label: 'epoch', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
      {
        label: `training ${label}`,
        stroke: COLORS.train,
        width: 2,
        spanGaps: true,
        points: { show: false },
        value: shown,
      },
      {
        label: `validation, ≈${basis.sample ? count(basis.sample) : ''} samples`,
        stroke: COLORS.val,
        width: 2,
        spanGaps: true,
        points: { show: false },
        value: shown,
      },
      {
        label: `validation, all${count(basis.all)} (epoch end)`,
        stroke: COLORS.all,
        paths: () => null, // points only: one per epoch

        points: { show: true, size: 7, fill: COLORS.all },
        value: shown,
      },
    ],
  };
  container.dataset.scale = log ? 'log' : 'linear';
  return new uPlot(opts, [[], [], [], []], container);
}

export function createCharts() {
  let basis = {};
  const logToggle = document.getElementById('loss-log');
  const makeLoss = () =>
    makeChart(document.getElementById('chart-loss'), 'loss', null, !!logToggle?.checked, basis);
  const makeAcc = () => makeChart(document.getElementById('chart-acc'), 'accuracy', [0, 1], false, basis);
  let loss = makeLoss();
  let acc = makeAcc();
  const remakeLoss = () => {
    const data = loss.data;
    loss.destroy();
    loss = makeLoss();
    loss.setData(data);
  };
  logToggle?.addEventListener('change', remakeLoss);
  const points = []; // { x, trainLoss, valLoss, valLossAll, trainAcc, valAcc, valAccAll }
  let pending = false;

  const draw = () => {
    pending = false;
    points.sort((a, b) => a.x - b.x);
    const xs = points.map((p) => p.x);
    const pick = (k) => points.map((p) => p[k] ?? null);
    loss.setData([xs, pick('trainLoss'), pick('valLoss'), pick('valLossAll')]);
    acc.setData([xs, pick('trainAcc'), pick('valAcc'), pick('valAccAll')]);
  };
  const schedule = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(draw);
    }
  };

  const resize = () => {
    for (const [chart, id] of [
      [loss, 'chart-loss'],
      [acc, 'chart-acc'],
    ]) {
      const w = document.getElementById(id).clientWidth;
      if (w > 0) chart.setSize({ width: w, height: 200 });
    }
  };
  // Resizing in the next frame, not inside the observer's callback, keeps
  // the chart's own layout change from re-triggering the observer.
  new ResizeObserver(() => requestAnimationFrame(resize)).observe(document.getElementById('chart-loss'));

  return {
    /** The sizes the validation series name: { sample, all } (sample null: keep the last one). */
    setBasis({ sample, all }) {
      const next = { sample: sample ?? basis.sample, all };
      if (next.sample === basis.sample && next.all === basis.all) return;
      basis = next;
      remakeLoss();
      const data = acc.data;
      acc.destroy();
      acc = makeAcc();
      acc.setData(data);
    },
    add(point) {
      points.push(point);
      document.getElementById('charts-empty').hidden = true;
      schedule();
    },
    /** Drops what came after epoch x: the steps a restarted engine lost are no longer the net's history. */
    keepUntil(x) {
      const kept = points.filter((p) => p.x <= x);
      points.splice(0, points.length, ...kept);
      document.getElementById('charts-empty').hidden = points.length > 0;
      schedule();
    },
    clear() {
      points.length = 0;
      document.getElementById('charts-empty').hidden = false;
      schedule();
    },
    resize,
  };
}
