// Prints the benchmark table, every Convolab-vs-peer ratio, and the
// targets of issue 6 (informational: nothing is asserted).
const METRICS = [
  { key: 'trainExamplesPerSec', title: 'training examples/s', higher: true, fmt: (v) => v.toFixed(0) },
  {
    key: 'latencyMs',
    title: '1-image latency ms',
    higher: false,
    fmt: (v) => (v < 1 ? v.toFixed(3) : v.toFixed(2)),
  },
  { key: 'batchExamplesPerSec', title: 'batch-256 examples/s', higher: true, fmt: (v) => v.toFixed(0) },
  { key: 'conv3x3GFlops', title: 'conv 3x3 32x32x64→64 GFLOP/s', higher: true, fmt: (v) => v.toFixed(1) },
  { key: 'conv5x5GFlops', title: 'conv 5x5 28x28x1→8 GFLOP/s', higher: true, fmt: (v) => v.toFixed(1) },
  { key: 'depthwise3x3Ms', title: 'dw 3x3 28²x32 fwd+bwd ms', higher: false, fmt: (v) => v.toFixed(2) },
  { key: 'separable3x3Ms', title: 'sep 3x3 28²x32→64 fwd+bwd ms', higher: false, fmt: (v) => v.toFixed(2) },
];
const OURS = ['convolab-wasm-1t', 'convolab-wasm-2t', 'convolab-native'];
const pad = (s, n) => String(s).padEnd(n);

function cell(stat, fmt) {
  if (!stat) return '—';
  return stat.n > 1 ? `${fmt(stat.median)} (${fmt(stat.min)}–${fmt(stat.max)})` : fmt(stat.median);
}

export function printReport(report) {
  const keys = Object.keys(report.results);
  const res = report.results;
  const w0 = 30,
    w = 25;
  const out = [];
  out.push(
    '',
    `Convolab benchmark — ${report.date}, ${report.machine.cpus} CPUs (${report.machine.model}), Node ` +
      `${report.machine.node}`,
  );
  out.push('medians over interleaved rounds, (min–max) across rounds');
  out.push(...keys.map((k) => `  ${pad(res[k].short ?? k, 20)} ${res[k].label}`), '');
  out.push(pad('', w0) + keys.map((k) => pad(res[k].short ?? res[k].label, w)).join(''));
  for (const m of METRICS)
    out.push(pad(m.title, w0) + keys.map((k) => pad(cell(res[k][m.key], m.fmt), w)).join(''));
  out.push(
    pad('held-out accuracy (1 epoch)', w0) +
      keys
        .map((k) => {
          const r = res[k];
          if (r.accuracy === undefined) return pad('cannot train', w);
          return pad(
            `${(100 * r.accuracy).toFixed(1)} %${r.accuracyAfterEpoch ? '' : ` (${r.trainedExamples} ex.)`}`,
            w,
          );
        })
        .join(''),
  );

  out.push(
    '',
    'Ratios, Convolab vs each peer (speed-up: > 1 means Convolab is faster; latency is peer ÷ Convolab)',
  );
  const peers = keys.filter((k) => !OURS.includes(k) || k === 'convolab-wasm-1t');
  for (const ours of OURS.filter((k) => res[k])) {
    out.push(`  ${res[ours].label}`);
    for (const m of METRICS) {
      const mine = res[ours][m.key]?.median;
      const parts = peers
        .filter((p) => p !== ours && res[p][m.key])
        .map((p) => {
          const theirs = res[p][m.key].median;
          const ratio = m.higher ? mine / theirs : theirs / mine;
          return `${res[p].short ?? res[p].label} ${ratio.toFixed(2)}x`;
        });
      if (mine !== undefined && parts.length) out.push(`    ${pad(m.title, w0)}${parts.join('   ')}`);
    }
    const acc = peers
      .filter((p) => p !== ours && res[p].accuracyAfterEpoch)
      .map(
        (p) =>
          `${res[p].short ?? res[p].label} ${(100 * (res[ours].accuracy - res[p].accuracy)).toFixed(1)} pts`,
      );
    if (acc.length) out.push(`    ${pad('accuracy difference', w0)}${acc.join('   ')}`);
  }

  const med = (k, m) => res[k]?.[m]?.median;
  const check = (name, value, ok, text) =>
    out.push(
      `  ${ok === undefined ? '?   ' : ok ? 'MET ' : 'MISS'} ${pad(name, 46)} ` +
        `${value === undefined || Number.isNaN(value) ? 'n/a' : text}`,
    );
  out.push('', 'Targets (issue 6; wasm 1 thread unless said)');
  const train = med('convolab-wasm-1t', 'trainExamplesPerSec');
  const cnjs = med('convnetjs', 'trainExamplesPerSec');
  check(
    'training ≥ 10x ConvNetJS (aim 20x, ≥ 4,000/s)',
    train / cnjs,
    train / cnjs >= 10,
    `${(train / cnjs).toFixed(1)}x, ${train?.toFixed(0)}/s`,
  );
  const two = med('convolab-wasm-2t', 'trainExamplesPerSec');
  check(
    '2 threads ≥ 1.6x one thread (training)',
    two / train,
    two ? two / train >= 1.6 : undefined,
    `${(two / train).toFixed(2)}x`,
  );
  const c3 = med('convolab-wasm-1t', 'conv3x3GFlops'),
    t3 = med('tfjs-wasm', 'conv3x3GFlops');
  check(
    'conv 3x3 ≥ 0.75x tfjs-wasm GFLOP/s (aim 1.0x)',
    c3 / t3,
    t3 ? c3 / t3 >= 0.75 : undefined,
    `${(c3 / t3).toFixed(2)}x (${c3?.toFixed(1)} vs ${t3?.toFixed(1)})`,
  );
  const l1 = med('convolab-wasm-1t', 'latencyMs'),
    lt = med('tfjs-wasm', 'latencyMs');
  check(
    '1-image latency ≤ 1.5x tfjs-wasm (aim 1.0x)',
    l1 / lt,
    lt ? l1 / lt <= 1.5 : undefined,
    `${(l1 / lt).toFixed(2)}x (${l1?.toFixed(3)} vs ${lt?.toFixed(3)} ms)`,
  );
  const n3 = med('convolab-native', 'conv3x3GFlops');
  check('native conv 3x3 ≥ 60 GFLOP/s (aim 80)', n3, n3 ? n3 >= 60 : undefined, `${n3?.toFixed(1)} GFLOP/s`);
  const accs = keys
    .filter((k) => res[k].accuracyAfterEpoch && k !== 'convolab-wasm-1t')
    .map((k) => res[k].accuracy);
  const a1 = res['convolab-wasm-1t']?.accuracy;
  const worst = Math.max(...accs.map((a) => Math.abs(a - a1)));
  check(
    'accuracy within 1 point of peers after 1 epoch',
    worst,
    accs.length ? worst <= 0.01 : undefined,
    `largest gap ${(100 * worst).toFixed(2)} pts`,
  );
  const kb = report.sizes.singleThreadGzipBytes / 1024;
  check(
    '.wasm + glue ≤ 150 KB gzipped',
    kb,
    kb <= 150,
    `${kb.toFixed(1)} KB (threaded build ${(report.sizes.threadedGzipBytes / 1024).toFixed(1)} KB)`,
  );

  const notes = keys.flatMap((k) => res[k].notes.map((n) => `  ${res[k].label}: ${n}`));
  for (const [k, why] of Object.entries(report.skipped)) notes.push(`  ${k}: not run — ${why}`);
  if (notes.length) out.push('', 'Notes', ...notes);
  out.push('', `total ${report.seconds.toFixed(0)} s`);
  console.log(out.join('\n'));
}
