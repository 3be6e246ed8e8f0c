// Live loss and accuracy charts (uPlot): training and validation by epoch.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTicks } from './number-format.js';

const COLORS = { train: '#2f6fed', val: '#e8743b' };

// uPlot passes the tick values and the step it chose between them.
const ticks = (u, splits, axis, space, step) => formatTicks(splits, step);

function makeChart(container, label, yRange) {
  const opts = {
    width: Math.max(240, container.clientWidth || 320),
    height: 200,
    scales: { x: { time: false }, y: yRange ? { range: yRange } : {} },
    axes: [
      { label: 'epoch', size: 36, values: ticks },
      { size: 60, values: ticks },
    ],
    legend: { live: false },
    series: [
      { label: 'epoch' },
      { label: `training ${label}`, stroke: COLORS.train, width: 2, spanGaps: true, points: { show: false } },
      { label: `validation ${label}`, stroke: COLORS.val, width: 2, spanGaps: true, points: { size: 5 } },
    ],
  };
  return new uPlot(opts, [[], [], []], container);
}

export function createCharts() {
  const loss = makeChart(document.getElementById('chart-loss'), 'loss');
  const acc = makeChart(document.getElementById('chart-acc'), 'accuracy', [0, 1]);
  const points = []; // { x, trainLoss, valLoss, trainAcc, valAcc }
  let pending = false;

  const draw = () => {
    pending = false;
    points.sort((a, b) => a.x - b.x);
    const xs = points.map((p) => p.x);
    const pick = (k) => points.map((p) => p[k] ?? null);
    loss.setData([xs, pick('trainLoss'), pick('valLoss')]);
    acc.setData([xs, pick('trainAcc'), pick('valAcc')]);
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
    add(point) {
      points.push(point);
      document.getElementById('charts-empty').hidden = true;
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
