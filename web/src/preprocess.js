// Turns a drawing into the 28x28 input MNIST digits look like: crop to the
// ink's bounding box, scale the longest side to 20 px keeping the aspect
// ratio (antialiased by the canvas), then place it in 28x28 so the centre of
// mass sits at the centre — the recipe used to make MNIST itself.

/** ink(H*W) in [0,1] from a canvas drawn dark on light. */
function inkOf(ctx, w, h) {
  const { data } = ctx.getImageData(0, 0, w, h);
  const ink = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) ink[i] = ((255 - data[4 * i]) / 255) * (data[4 * i + 3] / 255);
  return ink;
}

/** Returns Float32Array(784) in [0,1], white digit on black, or null if blank. */
export function preprocessDrawing(canvas) {
  const w = canvas.width,
    h = canvas.height;
  const ink = inkOf(canvas.getContext('2d', { willReadFrequently: true }), w, h);
  let x0 = w,
    y0 = h,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (ink[y * w + x] > 0.05) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1,
    bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale)),
    sh = Math.max(1, Math.round(bh * scale));

  // Scale the ink (not the paper) so the digit is white on black.
  const inverted = document.createElement('canvas');
  inverted.width = w;
  inverted.height = h;
  const ictx = inverted.getContext('2d', { willReadFrequently: true });
  const img = ictx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(ink[i] * 255);
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ictx.putImageData(img, 0, 0);

  const small = document.createElement('canvas');
  small.width = sw;
  small.height = sh;
  const sctx = small.getContext('2d', { willReadFrequently: true });
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(inverted, x0, y0, bw, bh, 0, 0, sw, sh);
  const sdata = sctx.getImageData(0, 0, sw, sh).data;
  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < sw; x++) {
      const v = sdata[4 * (y * sw + x)];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  const ox = Math.round(14 - (mass ? mx / mass : sw / 2));
  const oy = Math.round(14 - (mass ? my / mass : sh / 2));

  const out = new Float32Array(784);
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < sw; x++) {
      const tx = x + ox,
        ty = y + oy;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = sdata[4 * (y * sw + x)] / 255;
    }
  return out;
}

/** Paints a 28x28 input (white on black) onto a 28x28 canvas. */
export function paintInput(canvas, pixels) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round((pixels ? pixels[i] : 0) * 255);
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
