// Pictures (uploaded files, camera frames, the drawing) → examples in My
// data's shape, as bytes (H, W, C):
//  - 28×28×1 'centred': the classifier's own MNIST recipe (preprocess.js) —
//    ink cropped, scaled to 20 px, centred by mass; a light picture is read
//    as dark ink on light paper, a dark one as light ink on dark;
//  - 28×28×1 'plain': the picture's centre square shrunk to 28×28, grey, as it is;
//  - 32×32×3: the centre square shrunk to 32×32, colour.
import { preprocessDrawing } from './preprocess.js';

const MAX_SIDE = 280; // the drawing pad's size: what the MNIST recipe is tuned for

function canvasOf(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}
const ctxOf = (c) => c.getContext('2d', { willReadFrequently: true });
const sizeOf = (source) => [source.videoWidth || source.width, source.videoHeight || source.height];

// The centre square of source, drawn w×h with smoothing.
function centreSquare(source, w, h) {
  const [sw, sh] = sizeOf(source);
  const side = Math.min(sw, sh);
  const c = canvasOf(w, h);
  const ctx = ctxOf(c);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, (sw - side) / 2, (sh - side) / 2, side, side, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h).data;
}

const luminance = (d, i) => (0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]) / 255;

// The MNIST recipe wants dark ink on light paper: pictures whose border is
// dark (light ink on dark) are inverted first. Returns floats (784) or null when blank.
function centred(source) {
  const [sw, sh] = sizeOf(source);
  const scale = Math.min(1, MAX_SIDE / Math.max(sw, sh));
  const w = Math.max(1, Math.round(sw * scale)),
    h = Math.max(1, Math.round(sh * scale));
  const c = canvasOf(w, h);
  const ctx = ctxOf(c);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h);
  const d = img.data;
  let border = 0,
    n = 0;
  for (let x = 0; x < w; x++)
    for (const y of [0, h - 1]) {
      border += luminance(d, 4 * (y * w + x));
      n++;
    }
  for (let y = 0; y < h; y++)
    for (const x of [0, w - 1]) {
      border += luminance(d, 4 * (y * w + x));
      n++;
    }
  const invert = border / n < 0.5;
  for (let i = 0; i < d.length; i += 4) {
    let v = luminance(d, i) * 255;
    if (invert) v = 255 - v;
    d[i] = d[i + 1] = d[i + 2] = v;
    d[i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  return preprocessDrawing(c);
}

/**
 * source: an ImageBitmap, <img>, <video> or canvas; shape [H, W, C];
 * mode 'centred' | 'plain' (28×28×1 only). Returns a Uint8Array (H·W·C), or
 * null when a centred picture has no ink at all.
 */
export function pictureToExample(source, shape, mode = 'centred') {
  const [h, w, c] = shape;
  if (c === 3) {
    const d = centreSquare(source, w, h);
    const out = new Uint8Array(h * w * 3);
    for (let i = 0; i < h * w; i++) for (let ch = 0; ch < 3; ch++) out[i * 3 + ch] = d[4 * i + ch];
    return out;
  }
  if (mode === 'plain') {
    const d = centreSquare(source, w, h);
    return Uint8Array.from({ length: h * w }, (_, i) => Math.round(luminance(d, 4 * i) * 255));
  }
  const floats = centred(source);
  return floats && Uint8Array.from(floats, (v) => Math.round(v * 255));
}

/** The pad's drawing (already MNIST-preprocessed floats, 784) in the dataset's shape; bytes. */
export function drawingToExample(pixels, shape) {
  const [h, w, c] = shape;
  if (h === 28 && w === 28 && c === 1) return Uint8Array.from(pixels, (v) => Math.round(v * 255));
  // 32×32×3: the 28×28 drawing in the middle, grey in all three channels
  const out = new Uint8Array(h * w * c);
  const oy = (h - 28) >> 1,
    ox = (w - 28) >> 1;
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++)
      for (let ch = 0; ch < c; ch++)
        out[((y + oy) * w + x + ox) * c + ch] = Math.round(pixels[y * 28 + x] * 255);
  return out;
}

/** Decodes an image file; rejects for files the browser cannot decode. */
export async function decodeImageFile(file) {
  if (file.type && !/^image\/(png|jpeg|webp)$/.test(file.type))
    throw new Error(`${file.type} is not a PNG, JPEG or WebP image`);
  try {
    return await createImageBitmap(file);
  } catch {
    throw new Error('the browser could not decode it as an image');
  }
}
