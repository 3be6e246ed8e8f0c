// The page's pure modules under Node, against hand-worked numbers: the kernel
// lab's convolution, the output-size arithmetic shown in the builder (with
// the worked examples of the lecture notes), and the URL state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASSIC_KERNELS, convolve, explainPixel, outputSize } from '../../web/src/kernel-math.js';
import { explainLayer, windowAxis } from '../../web/src/shape-math.js';
import { defaultState, fromHash, toHash, compileConfigOf } from '../../web/src/state.js';
import { mapProblem } from '../../web/src/map-check.js';

test('output size: the worked examples from the notes', () => {
  assert.equal(outputSize(7, 3, 0, 1), 5);
  assert.equal(outputSize(7, 3, 0, 2), 3);
  assert.equal(outputSize(7, 3, 1, 1), 7); // 7x7 padded by 1 → 9x9, 3x3 filter → 7x7
  assert.equal(outputSize(32, 5, 0, 1), 28); // 32x32x3, ten 5x5 filters → 28x28x10
  assert.equal(outputSize(32, 3, 1, 1), 32); // not 16, whatever one note says
  assert.equal(outputSize(2, 3, 0, 1), 0);
});

test('convolve: a 4x4 image with a 3x3 kernel, by hand', () => {
  const img = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  const k = [
    [1, 0, -1],
    [0, 1, 0],
    [2, 0, 0],
  ];
  // (0,0): 1 - 3 + 6 + 2*9 = 22; (0,1): 2 - 4 + 7 + 2*10 = 25
  // (1,0): 5 - 7 + 10 + 2*13 = 34; (1,1): 6 - 8 + 11 + 2*14 = 37
  assert.deepEqual([...convolve(img, 4, 4, k).out], [22, 25, 34, 37]);
  // padding 1, stride 2: out = ⌊(4 − 3 + 2)/2⌋ + 1 = 2 per axis
  const padded = convolve(img, 4, 4, k, { pad: 1, stride: 2 });
  assert.equal(padded.oh, 2);
  assert.equal(padded.ow, 2);
  // (0,0): window rows -1..1, cols -1..1; the only non-zero weights on real pixels: k[1][1]·img(0,0) = 1
  assert.equal(padded.out[0], 1);
  // (1,1): rows 1..3, cols 1..3 → 6 - 8 + 11 + 2*14 = 37
  assert.equal(padded.out[3], 37);
});

test('explainPixel lists the nine products and their sum; Sobel X on a vertical edge', () => {
  const img = new Float32Array(25);
  for (let y = 0; y < 5; y++) for (let x = 3; x < 5; x++) img[y * 5 + x] = 1; // bright right part
  const { out } = convolve(img, 5, 5, CLASSIC_KERNELS.sobelX.k);
  assert.deepEqual([...out], [0, 4, 4, 0, 4, 4, 0, 4, 4]);
  const e = explainPixel(img, 5, 5, CLASSIC_KERNELS.sobelX.k, {}, 1, 1);
  assert.equal(e.terms.length, 9);
  assert.equal(e.sum, 4);
  assert.deepEqual([e.y0, e.x0], [1, 1]);
});

test('the builder arithmetic: conv, same padding, pool, flatten, dense', () => {
  assert.equal(
    windowAxis(28, 5, 1, 'same').text,
    'same: out = ⌈28/1⌉ = 28; pads 2+2, so out = ⌊(28 − 5 + 2·2)/1⌋ + 1 = 28',
  );
  assert.deepEqual(windowAxis(28, 4, 2, 'same').pad, [1, 1]); // out 14: P = 13*2 + 4 - 28 = 2
  assert.deepEqual(windowAxis(7, 2, 2, 'same').pad, [0, 1]); // out 4: P = 3*2 + 2 - 7 = 1, extra after (TF)
  const conv = explainLayer([32, 32, 3], {
    type: 'conv2d',
    filters: 10,
    kernelSize: 5,
    strides: 1,
    padding: 'valid',
  });
  assert.deepEqual(conv.out, [28, 28, 10]);
  assert.match(conv.lines.join('\n'), /5·5·3·10 = 750; biases = c_out = 10/);
  assert.match(conv.lines.join('\n'), /= 588,000/); // 750 * 28 * 28
  assert.match(conv.lines.join('\n'), /5·5·3 = 75 weights \+ 1 bias → one output map; 10 filters → 10 maps/);
  assert.match(conv.lines.join('\n'), /patches \[784 × 75\] · kernel \[75 × 10\]/);
  assert.match(
    explainLayer([14, 14, 16], { type: 'conv2d', filters: 4, kernelSize: 1 }).lines.join('\n'),
    /1×1: mixes the 16 channels at each pixel into 4/,
  );
  assert.match(
    explainLayer([28, 28, 1], { type: 'conv2d', filters: 4, kernelSize: 40, padding: 'valid' }).lines[1],
    /-11 < 1: the 40×40 window does not fit/,
  );
  assert.deepEqual(explainLayer([28, 28, 8], { type: 'maxPooling2d', poolSize: 2 }).out, [14, 14, 8]);
  assert.deepEqual(explainLayer([7, 7, 16], { type: 'flatten' }).out, [1, 1, 784]);
  assert.match(
    explainLayer([1, 1, 784], { type: 'dense', units: 10 }).lines[0],
    /784·10 = 7,840; biases = 10/,
  );
});

test('state round-trips through the URL hash; bad hashes are explained', () => {
  const s = defaultState();
  s.layers[0].filters = 12;
  s.hyper.learningRate = 0.02;
  const back = fromHash(toHash(s)).state;
  assert.deepEqual(back.layers, s.layers);
  assert.deepEqual(back.hyper, s.hyper);
  assert.equal(back.dataset, 'mnist');
  assert.equal(
    toHash(s).split('&net=')[1].split('&')[0],
    'conv2d(filters:12,kernelSize:5,strides:1,padding:same,activation:relu,kernelInitializer:glorotUniform)+maxPooling2d(poolSize:2,strides:2,padding:valid)' +
      '+conv2d(filters:16,kernelSize:5,strides:1,padding:same,activation:relu,kernelInitializer:glorotUniform)+maxPooling2d(poolSize:2,strides:2,padding:valid)' +
      '+flatten+dense(units:10,activation:softmax,kernelInitializer:glorotUniform)',
  );
  assert.deepEqual(fromHash('#net=flatten+dense(units:10)&lr=0.5').state.layers, [
    { type: 'flatten' },
    { type: 'dense', units: 10 },
  ]);
  assert.equal(fromHash('#net=flatten+dense(units:10)&lr=0.5').state.hyper.learningRate, 0.5);
  // a partial link applies what it has on top of the defaults and names what it ignored
  assert.equal(fromHash('#data=fashion').state.dataset, 'fashion');
  assert.equal(fromHash('#data=fashion').error, undefined);
  assert.deepEqual(fromHash('#data=fashion').state.layers, defaultState().layers);
  const partial = fromHash('#batch=64&lr=0.05');
  assert.deepEqual([partial.state.hyper.batchSize, partial.state.hyper.learningRate], [64, 0.05]);
  assert.deepEqual(partial.state.layers, defaultState().layers);
  assert.equal(fromHash('#preset=tiny').state.layers.length, 4, 'a preset alone brings its stack');
  const stackless = fromHash('#net=flatten+nope(units:3)&lr=0.05&foo=2');
  assert.match(
    stackless.error,
    /“foo” is not a setting; the layer stack \(net=…\) could not be used: unknown layer type 'nope'\. The rest of the link is applied/,
  );
  assert.equal(stackless.state.hyper.learningRate, 0.05, 'the valid keys still apply');
  assert.deepEqual(stackless.state.layers, defaultState().layers);
  assert.match(fromHash('#net=dense(units)&batch=8').error, /not written as name:value/);
  // a link with nothing usable leaves the page as it is
  assert.equal(fromHash('#net=%E0%A4%A').state, null);
  assert.match(fromHash('#net=%E0%A4%A').error, /garbled/);
  // a stack past the limit is refused before it is parsed
  const huge = fromHash(`#net=${Array(3000).fill('dense(units:10)').join('+')}&lr=0.05`);
  assert.match(huge.error, /3,000 layers, more than the 200 a stack may have/);
  assert.equal(huge.state.layers.length, defaultState().layers.length);
  const bad = fromHash('#net=flatten+dense(units:10)&opt=bogus&lr=abc&batch=7&epochs=-1&b1=2&data=cifar');
  assert.match(
    bad.error,
    /data=cifar is not a dataset; opt=bogus is not valid; lr=abc is not valid; b1=2 is not valid; batch=7 is not valid; epochs=-1 is not valid/,
  );
  assert.deepEqual(
    [
      bad.state.hyper.optimizer,
      bad.state.hyper.learningRate,
      bad.state.hyper.batchSize,
      bad.state.hyper.epochs,
      bad.state.hyper.beta1,
      bad.state.dataset,
    ],
    ['momentum', 0.01, 32, 1, 0.9, 'mnist'],
    'the defaults stand in for what the link got wrong',
  );
  assert.equal(fromHash('#net=flatten+dense(units:10)&lr=0.5').error, undefined);
  assert.deepEqual(
    compileConfigOf({ optimizer: 'adam', learningRate: 0.001, momentum: 0.9, l2: 0 }),
    {
      optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999 },
      loss: 'categoricalCrossentropy',
    },
    'tfjs defaults when the link has no betas',
  );
  assert.deepEqual(
    compileConfigOf({ optimizer: 'adam', learningRate: 0.001, beta1: 0.8, beta2: 0.99, momentum: 0.9, l2: 0 })
      .optimizer,
    { type: 'adam', learningRate: 0.001, beta1: 0.8, beta2: 0.99 },
  );
  assert.equal(
    compileConfigOf({ optimizer: 'momentum', learningRate: 0.01, momentum: 0.9, beta1: 0.8, l2: 0 }).optimizer
      .beta1,
    undefined,
  );
  const adam = fromHash('#net=flatten+dense(units:10)&opt=adam&lr=0.001&b1=0.85&b2=0.995').state.hyper;
  assert.deepEqual([adam.beta1, adam.beta2], [0.85, 0.995]);
  assert.equal(
    fromHash(toHash({ ...defaultState(), hyper: { ...defaultState().hyper, beta1: 0.85 } })).state.hyper
      .beta1,
    0.85,
  );
});

test('metrics and chart ticks stay short: exponents for blown-up losses, decimals to the tick step', async () => {
  const { formatMetric, formatTicks } = await import('../../web/src/number-format.js');
  assert.equal(formatMetric(0.13774), '0.1377');
  assert.equal(formatMetric(3.2425366672804153e21), '3.24e+21');
  assert.equal(formatMetric(0.00002), '2.00e-5');
  assert.equal(formatMetric(0), '0.0000');
  assert.equal(formatMetric(NaN), 'NaN');
  assert.equal(formatMetric(Infinity), '∞');
  assert.deepEqual(formatTicks([0, 0.0005, 0.001, 0.0015], 0.0005), ['0.0000', '0.0005', '0.0010', '0.0015']);
  assert.deepEqual(formatTicks([0, 0.5, 1], 0.5), ['0.0', '0.5', '1.0']);
  assert.deepEqual(formatTicks([0, 1, 2], 1), ['0', '1', '2']);
  assert.deepEqual(formatTicks([0, 2e20, 4e20], 2e20), ['0', '2.0e20', '4.0e20']);
});

test("a model file fits the page only with the dataset's classes, and brings its own optimizer", async () => {
  const { hyperOf, loadProblem } = await import('../../web/src/loaded-model.js');
  const mnist = {
    name: 'MNIST',
    height: 28,
    width: 28,
    channels: 1,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  };
  assert.equal(loadProblem([10], {}, mnist), null);
  assert.equal(loadProblem([10], { datasetName: 'MNIST' }, mnist), null);
  assert.match(loadProblem([3], {}, mnist), /has 3 outputs; MNIST has 10 classes/);
  assert.match(
    loadProblem([10], { datasetName: 'Fashion-MNIST' }, mnist),
    /trained on Fashion-MNIST; switch the dataset/,
  );
  // a map with as many channels as classes is no classifier; a denoiser must give back the image
  assert.match(loadProblem([28, 28, 10], {}, mnist), /ends in a 28×28×10 map, but the dataset has one label/);
  assert.equal(loadProblem([28, 28, 1], {}, mnist, 'denoise'), null);
  assert.match(loadProblem([10], {}, mnist, 'denoise'), /ends in 10, but denoising gives back the 28×28×1/);
  const page = {
    optimizer: 'momentum',
    learningRate: 0.01,
    momentum: 0.9,
    beta1: 0.9,
    beta2: 0.999,
    batchSize: 32,
    epochs: 1,
    l2: 0.001,
  };
  assert.deepEqual(hyperOf({ optimizer: { type: 'adam', learningRate: 0.001, beta1: 0.8 } }, page), {
    ...page,
    optimizer: 'adam',
    learningRate: 0.001,
    beta1: 0.8,
    l2: 0,
  });
  assert.equal(
    hyperOf({ optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.5 } }, page).optimizer,
    'momentum',
  );
  assert.deepEqual(hyperOf(null, page), { ...page, l2: 0 });
});

test('a conv or pool after a vector is named plainly; one before Flatten, or after Dropout on maps, is fine', () => {
  const L = (...types) => types.map((type) => ({ type }));
  assert.equal(mapProblem(L('conv2d', 'maxPooling2d', 'dropout', 'conv2d', 'flatten', 'dense')), null);
  const p = mapProblem(L('conv2d', 'globalAveragePooling2d', 'dense', 'maxPooling2d'));
  assert.equal(p.layerIndex, 3);
  assert.match(
    p.error,
    /^layer 4 \(MaxPooling2D\) needs a feature map .* layer 3 \(Dense\) turned the data into a vector/,
  );
  assert.equal(
    mapProblem(L('flatten', 'dropout', 'conv2d')).layerIndex,
    2,
    'dropout keeps the vector a vector',
  );
  assert.equal(mapProblem(L('globalAveragePooling2d', 'globalAveragePooling2d')).layerIndex, 1);
});
