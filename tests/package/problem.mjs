// A tiny task any working CNN learns in a few epochs: which third of a 6x6
// image is lit (3 classes), with a little deterministic noise.
export function problem(n = 96) {
  const x = new Float32Array(n * 36),
    y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let p = 0; p < 36; p++)
      x[i * 36 + p] = Math.floor((p % 6) / 2) === y[i] ? 1 : 0.1 * ((i * 7 + p) % 3);
  }
  const spec = {
    inputShape: [6, 6, 1],
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  };
  return { spec, x: { data: x, shape: [n, 6, 6, 1] }, y };
}
