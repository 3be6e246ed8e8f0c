// The kernel lab's arithmetic, in plain loops so every number can be shown:
// a single-channel image (H, W) cross-correlated with a KxK kernel — what a
// CNN "convolution" computes — with zero padding p and stride s.

export const CLASSIC_KERNELS = {
  boxBlur: {
    label: 'Box blur',
    k: [
      [1 / 9, 1 / 9, 1 / 9],
      [1 / 9, 1 / 9, 1 / 9],
      [1 / 9, 1 / 9, 1 / 9],
    ],
  },
  sharpen: {
    label: 'Sharpen',
    k: [
      [0, -1, 0],
      [-1, 5, -1],
      [0, -1, 0],
    ],
  },
  emboss: {
    label: 'Emboss',
    k: [
      [-2, -1, 0],
      [-1, 1, 1],
      [0, 1, 2],
    ],
  },
  outline: {
    label: 'Outline',
    k: [
      [-1, -1, -1],
      [-1, 8, -1],
      [-1, -1, -1],
    ],
  },
  sobelX: {
    label: 'Sobel X (vertical edges)',
    k: [
      [-1, 0, 1],
      [-2, 0, 2],
      [-1, 0, 1],
    ],
  },
  sobelY: {
    label: 'Sobel Y (horizontal edges)',
    k: [
      [-1, -2, -1],
      [0, 0, 0],
      [1, 2, 1],
    ],
  },
};

/** Output size per axis: ⌊(in − k + 2p)/s⌋ + 1 (0 when the kernel does not fit). */
export function outputSize(inSize, k, pad, stride) {
  return Math.max(0, Math.floor((inSize - k + 2 * pad) / stride) + 1);
}

/** image: Float32Array(h*w); kernel: K×K array of rows. Returns { out, oh, ow }. */
export function convolve(image, h, w, kernel, { stride = 1, pad = 0 } = {}) {
  const K = kernel.length;
  const oh = outputSize(h, K, pad, stride),
    ow = outputSize(w, K, pad, stride);
  const out = new Float32Array(oh * ow);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let sum = 0;
      for (let ky = 0; ky < K; ky++) {
        for (let kx = 0; kx < K; kx++) {
          const y = oy * stride + ky - pad,
            x = ox * stride + kx - pad;
          if (y >= 0 && y < h && x >= 0 && x < w) sum += image[y * w + x] * kernel[ky][kx];
        }
      }
      out[oy * ow + ox] = sum;
    }
  }
  return { out, oh, ow };
}

/**
 * The multiply-add behind output pixel (oy, ox): the input window (top-left
 * corner, may start in the padding) and each term, padding cells counting 0.
 */
export function explainPixel(image, h, w, kernel, { stride = 1, pad = 0 } = {}, oy, ox) {
  const K = kernel.length;
  const y0 = oy * stride - pad,
    x0 = ox * stride - pad;
  const terms = [];
  let sum = 0;
  for (let ky = 0; ky < K; ky++) {
    for (let kx = 0; kx < K; kx++) {
      const y = y0 + ky,
        x = x0 + kx;
      const inside = y >= 0 && y < h && x >= 0 && x < w;
      const v = inside ? image[y * w + x] : 0;
      terms.push({ y, x, inside, value: v, weight: kernel[ky][kx] });
      sum += v * kernel[ky][kx];
    }
  }
  return { y0, x0, size: K, terms, sum };
}
