// The arithmetic behind each layer's output shape, parameter count and cost,
// written out with the numbers filled in — the explanation shown on hover.
// The engine stays the authority on the values; these strings show why.
// Shapes are [H, W, C] (channels-last).

const fmt = (n) => Number(n).toLocaleString('en');
const pair = (v, fallback) => (Array.isArray(v) ? v : [v ?? fallback, v ?? fallback]);
// n, [h, w] or [[top, bottom], [left, right]] as [[top, bottom], [left, right]]
const sides = (v = 0) => {
  if (!Array.isArray(v))
    return [
      [v, v],
      [v, v],
    ];
  if (Array.isArray(v[0])) return v;
  return [
    [v[0], v[0]],
    [v[1], v[1]],
  ];
};

/**
 * One axis of a sliding window: in, kernel k, stride s, padding mode or n.
 * Returns { out, text } with TF's 'same' rule (total pad P = max(0, (out−1)s + k − in),
 * ⌊P/2⌋ before and the rest after).
 */
export function windowAxis(inSize, k, s, padding) {
  if (padding === 'same') {
    const out = Math.ceil(inSize / s);
    const P = Math.max(0, (out - 1) * s + k - inSize);
    const before = Math.floor(P / 2),
      after = P - before;
    const padText = before === after ? `2·${before}` : `${before}+${after}`;
    return {
      out,
      pad: [before, after],
      text:
        `same: out = ⌈${inSize}/${s}⌉ = ${out}; pads ${before}+${after}, so out = ⌊(${inSize} − ${k} + ` +
        `${padText})/${s}⌋ + 1 = ${out}`,
    };
  }
  const p = typeof padding === 'number' ? padding : 0;
  const out = Math.floor((inSize - k + 2 * p) / s) + 1;
  return { out, pad: [p, p], text: `out = ⌊(${inSize} − ${k} + 2·${p})/${s}⌋ + 1 = ${out}` };
}

function windowLayer(input, layer, k, s, channelsOut) {
  const [kh, kw] = k,
    [sh, sw] = s;
  const pad = layer.padding ?? 'valid';
  const h = windowAxis(input[0], kh, sh, pad),
    w = windowAxis(input[1], kw, sw, pad);
  const lines =
    kh === kw && sh === sw && input[0] === input[1] ? [h.text] : [`height: ${h.text}`, `width: ${w.text}`];
  const fits = h.out >= 1 && w.out >= 1;
  if (!fits)
    lines.push(
      `${h.out < 1 ? h.out : w.out} < 1: the ${kh}×${kw} window does not fit the ${input[0]}×${input[1]} input — ` +
        `pad it ('same') or use a smaller window`,
    );
  return { out: [h.out, w.out, channelsOut], lines, fits };
}

/** { out: [H, W, C], lines: [...] } for one layer on an input of shape `input`. */
export function explainLayer(input, layer) {
  const [H, W, C] = input;
  const size = H * W * C;
  switch (layer.type) {
    case 'conv2d': {
      const [kh, kw] = pair(layer.kernelSize, 3),
        s = pair(layer.strides, 1),
        F = layer.filters ?? 1;
      const r = windowLayer(input, layer, [kh, kw], s, F);
      if (!r.fits) return r;
      const weights = kh * kw * C * F;
      r.lines.push(
        `weights = kh·kw·c_in·c_out = ${kh}·${kw}·${C}·${F} = ${fmt(weights)}; biases = c_out = ${F}`,
      );
      r.lines.push(
        `MACs = kh·kw·c_in·c_out·h_out·w_out = ${kh}·${kw}·${C}·${F}·${r.out[0]}·${r.out[1]} = ` +
          `${fmt(weights * r.out[0] * r.out[1])}`,
      );
      r.lines.push(
        `each filter spans all ${C} input channel${C === 1 ? '' : 's'}: ${kh}·${kw}·${C} = ${kh * kw * C} weights ` +
          `+ 1 bias → one output map; ${F} filters → ${F} maps`,
      );
      r.lines.push(
        `as one matrix product (im2col): patches [${fmt(r.out[0] * r.out[1])} × ${kh * kw * C}] · kernel ` +
          `[${kh * kw * C} × ${F}]; kernel stored (KH, KW, C_in, C_out) = (${kh}, ${kw}, ${C}, ${F}), activations ` +
          `channels-last (NHWC)`,
      );
      if (kh === 1 && kw === 1)
        r.lines.push(
          `1×1: mixes the ${C} channels at each pixel into ${F} — a cheap bottleneck, plus a non-linearity`,
        );
      return r;
    }
    case 'maxPooling2d':
    case 'averagePooling2d': {
      const k = pair(layer.poolSize, 2),
        s = pair(layer.strides ?? layer.poolSize, k[0]);
      const r = windowLayer(input, layer, k, s, C);
      if (r.fits)
        r.lines.push(
          `no weights; each channel pooled on its own (${C} channels kept)`,
          layer.type === 'maxPooling2d'
            ? 'backward: the gradient goes only to the position that held the maximum; the others get 0'
            : 'backward: the gradient is spread evenly over the window',
        );
      return r;
    }
    case 'globalAveragePooling2d':
      return {
        out: [1, 1, C],
        lines: [`one mean per channel over ${H}·${W} positions → ${C} values`, 'no weights'],
      };
    case 'globalMaxPooling2d':
      return {
        out: [1, 1, C],
        lines: [
          `one maximum per channel over ${H}·${W} positions → ${C} values`,
          'no weights; backward: the gradient goes only to the position that held the maximum',
        ],
      };
    case 'zeroPadding2d':
    case 'cropping2d': {
      const [[t, b], [l, r]] = sides(layer.type === 'zeroPadding2d' ? layer.padding : layer.cropping);
      const sign = layer.type === 'zeroPadding2d' ? '+' : '−';
      const oh = layer.type === 'zeroPadding2d' ? H + t + b : H - t - b;
      const ow = layer.type === 'zeroPadding2d' ? W + l + r : W - l - r;
      const lines = [
        `height ${H} ${sign} ${t} ${sign} ${b} = ${oh}; width ${W} ${sign} ${l} ${sign} ${r} = ${ow}; no weights`,
      ];
      if (oh < 1 || ow < 1) lines.push(`nothing is left of the ${H}×${W} map: crop less`);
      return { out: [oh, ow, C], lines, fits: oh >= 1 && ow >= 1 };
    }
    case 'upSampling2d': {
      const [sh, sw] = pair(layer.size, 2);
      return {
        out: [H * sh, W * sw, C],
        lines: [
          `height ${H}·${sh} = ${H * sh}; width ${W}·${sw} = ${W * sw}; no weights`,
          layer.interpolation === 'bilinear'
            ? 'bilinear: each new pixel blends its nearest input pixels (corners aligned as tfjs-layers does, ' +
              'without half-pixel centres: it differs from Keras 2 tf.image.resize)'
            : `nearest: each pixel is repeated as a ${sh}×${sw} block`,
        ],
      };
    }
    case 'reshape': {
      const target = [].concat(layer.targetShape ?? [-1]);
      const known = target.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
      const shape = target.map((d) => (d === -1 ? size / known : d));
      const lines = [`${fmt(size)} values, read in channels-last order, as ${shape.join('×')}; no weights`];
      if (target.includes(-1)) lines.unshift(`−1 = ${fmt(size)} / ${fmt(known)} = ${size / known}`);
      return {
        out: shape.length === 3 ? shape : shape.length === 2 ? [1, ...shape] : [1, 1, ...shape],
        lines,
      };
    }
    case 'depthwiseConv2d':
    case 'separableConv2d': {
      const [kh, kw] = pair(layer.kernelSize, 3),
        s = pair(layer.strides, 1),
        M = layer.depthMultiplier ?? 1;
      const separable = layer.type === 'separableConv2d';
      const F = separable ? (layer.filters ?? 1) : C * M;
      const r = windowLayer(input, layer, [kh, kw], s, F);
      if (!r.fits) return r;
      const depthwise = kh * kw * C * M;
      const positions = r.out[0] * r.out[1];
      r.lines.push(
        `depthwise: each of the ${C} channel${C === 1 ? '' : 's'} gets its own ${M} filter${M === 1 ? '' : 's'} ` +
          `of ${kh}×${kw}: weights = kh·kw·c_in·mult = ${kh}·${kw}·${C}·${M} = ${fmt(depthwise)}`,
      );
      if (separable) {
        const pointwise = C * M * F;
        r.lines.push(
          `pointwise: a 1×1 conv mixes the ${C * M} channels into ${F}: weights = ${C * M}·${F} = ${fmt(pointwise)}; ` +
            `biases = ${F}`,
          `${fmt(depthwise + pointwise)} weights where a Conv2D would need ${kh}·${kw}·${C}·${F} = ` +
            `${fmt(kh * kw * C * F)}`,
          `MACs = (${fmt(depthwise)} + ${fmt(pointwise)})·${fmt(positions)} = ${fmt((depthwise + pointwise) * positions)}`,
        );
      } else
        r.lines.push(
          `biases = ${F}; MACs = ${fmt(depthwise)}·${fmt(positions)} = ${fmt(depthwise * positions)}`,
        );
      return r;
    }
    case 'conv2dTranspose': {
      const [kh, kw] = pair(layer.kernelSize, 3),
        [sh, sw] = pair(layer.strides, 1),
        F = layer.filters ?? 1;
      const same = layer.padding === 'same';
      const axis = (n, k, st) => (same ? n * st : n * st + Math.max(k - st, 0));
      const oh = axis(H, kh, sh),
        ow = axis(W, kw, sw);
      const rule = same
        ? `in·stride = ${H}·${sh} = ${oh}`
        : `in·stride + max(k − stride, 0) = ${H}·${sh} + ${Math.max(kh - sh, 0)} = ${oh}`;
      const weights = kh * kw * F * C;
      return {
        out: [oh, ow, F],
        lines: [
          `${same ? 'same' : 'valid'}: out = ${rule}${H === W && kh === kw && sh === sw ? '' : ` (height; width ${ow})`}`,
          `each input pixel adds its value times a ${kh}×${kw}×${F} filter to the output, ${sh} pixel${sh === 1 ? '' : 's'} apart`,
          `weights = kh·kw·c_out·c_in = ${kh}·${kw}·${F}·${C} = ${fmt(weights)}, stored (KH, KW, C_out, C_in) as tfjs; biases = ${F}`,
          `MACs = weights·h_in·w_in = ${fmt(weights)}·${H}·${W} = ${fmt(weights * H * W)}`,
        ],
      };
    }
    case 'flatten':
      return { out: [1, 1, size], lines: [`values = H·W·C = ${H}·${W}·${C} = ${fmt(size)}`, 'no weights'] };
    case 'dense': {
      const U = layer.units ?? 1;
      if (H === 1 && W === 1)
        return {
          out: [1, 1, U],
          lines: [
            `weights = inputs·units = ${fmt(size)}·${U} = ${fmt(size * U)}; biases = ${U}`,
            `MACs = inputs·units = ${fmt(size * U)}`,
          ],
        };
      // on a map, as in tfjs: the same weights at every pixel, on its channels (a 1×1 conv)
      return {
        out: [H, W, U],
        lines: [
          `on a ${H}×${W}×${C} map Dense works on the last axis: each pixel's ${C} channels → ${U} units, ` +
            `the same weights at every pixel (a 1×1 conv); add Flatten first to connect every value`,
          `weights = channels·units = ${C}·${U} = ${fmt(C * U)}; biases = ${U}`,
          `MACs = ${H}·${W}·${C}·${U} = ${fmt(H * W * C * U)}`,
        ],
      };
    }
    case 'batchNormalization':
      return {
        out: [H, W, C],
        lines: [`per channel: γ and β learned, mean and variance tracked (${C} channels)`],
      };
    default:
      return { out: [H, W, C], lines: [`element by element: shape stays ${H}×${W}×${C}; no weights`] };
  }
}

// The engine writes a flat output as [k] (as tfjs), a map as [h, w, c].
export const asImageShape = (s) => (s.length === 3 ? s : s.length === 2 ? [1, ...s] : [1, 1, ...s]);
export const shapeText = (shape) => {
  const s = asImageShape(shape);
  return s[0] === 1 && s[1] === 1 ? `${fmt(s[2])}` : `${s[0]}×${s[1]}×${s[2]}`;
};
export { fmt as formatNumber };
