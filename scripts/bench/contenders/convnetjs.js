// ConvNetJS 0.3 (Karpathy): the same net and starting weights, trained one
// example at a time as ConvNetJS does (its Trainer averages the gradient
// over batch_size examples before each SGD-momentum step).
import { createRequire } from 'node:module';
import { CONV_BENCHES, REFERENCE_TRAINING } from '../nets.js';

const require = createRequire(import.meta.url);
const convnetjs = require('convnetjs');
const version = require('convnetjs/package.json').version;

// Convolab kernel (KH, KW, C, OC) → ConvNetJS filter f: w[(ky*KW+kx)*C+c].
function setConv(layer, kernel, bias, kh, kw, c, oc) {
  for (let f = 0; f < oc; f++) {
    const w = layer.filters[f].w;
    for (let i = 0; i < kh * kw * c; i++) w[i] = kernel[i * oc + f];
    layer.biases.w[f] = bias[f];
  }
}

function referenceNet() {
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 2, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'softmax', num_classes: 10 },
  ]);
  return net;
}

function sgdTrainer(net) {
  const { learningRate, momentum } = REFERENCE_TRAINING.optimizer;
  return new convnetjs.Trainer(net, {
    method: 'sgd',
    learning_rate: learningRate,
    momentum,
    batch_size: REFERENCE_TRAINING.batchSize,
    l2_decay: 0,
  });
}

export async function convnet({ data, initialParams }) {
  const net = referenceNet();
  // layers: input, conv, relu, pool, conv, relu, pool, fc, softmax
  const p = initialParams;
  let o = 0;
  const take = (n) => p.subarray(o, (o += n));
  const k1 = take(200),
    b1 = take(8),
    k2 = take(3200),
    b2 = take(16),
    kd = take(7840),
    bd = take(10);
  setConv(net.layers[1], k1, b1, 5, 5, 1, 8);
  setConv(net.layers[4], k2, b2, 5, 5, 8, 16);
  const fc = net.layers[7];
  for (let j = 0; j < 10; j++) {
    for (let i = 0; i < 784; i++) fc.filters[j].w[i] = kd[i * 10 + j];
    fc.biases.w[j] = bd[j];
  }
  const trainer = sgdTrainer(net);
  const size = data.size;
  const vol = (i) => {
    const v = new convnetjs.Vol(28, 28, 1, 0.0);
    v.w.set(data.images.subarray(i * size, (i + 1) * size));
    return v;
  };
  const convs = new Map(
    CONV_BENCHES.map((b) => {
      const layer = new convnetjs.ConvLayer({
        in_sx: b.w,
        in_sy: b.h,
        in_depth: b.c,
        sx: b.k,
        filters: b.filters,
        stride: 1,
        pad: (b.k - 1) / 2,
      });
      const input = new convnetjs.Vol(b.w, b.h, b.c);
      return [b.key, { layer, input, batch: b.batch }];
    }),
  );
  return {
    key: 'convnetjs',
    label: `ConvNetJS ${version}`,
    short: 'ConvNetJS',
    canTrain: true,
    // A scratch net, so the measured one keeps its weights.
    warmUp(batches, n) {
      const scratch = sgdTrainer(referenceNet());
      for (let i = 0; i < batches * n; i++) scratch.train(vol(i), data.labels[i]);
    },
    trainBatch(start, n) {
      let loss = 0;
      for (let i = start; i < start + n; i++) loss += trainer.train(vol(i), data.labels[i]).loss;
      return loss / n;
    },
    evaluate(start, n) {
      let right = 0;
      for (let i = start; i < start + n; i++) {
        net.forward(vol(i));
        if (net.getPrediction() === data.labels[i]) right++;
      }
      return right / n;
    },
    predict(start, n) {
      for (let i = start; i < start + n; i++) net.forward(vol(i));
    },
    conv(key) {
      const { layer, input, batch } = convs.get(key);
      for (let i = 0; i < batch; i++) layer.forward(input, false);
    },
    close() {},
  };
}
