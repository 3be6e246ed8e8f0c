// Painting numbers as pixels: grey images, and signed maps in a diverging
// palette (blue positive, red negative) so a learner can read the sign.

/** values (h*w) in [0,1] → grey pixels on a canvas of size w×h. */
export function paintGrey(canvas, values, w, h, { invert = false } = {}) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; i++) {
    let v = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
    if (invert) v = 255 - v;
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** Rescales values to [0,1] by their own min and max (a flat map becomes mid grey). */
export function normalise(values) {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Float32Array(values.length);
  const span = hi - lo;
  for (let i = 0; i < values.length; i++) out[i] = span > 1e-12 ? (values[i] - lo) / span : 0.5;
  return out;
}

/** Signed values → white at 0, blue for positive, red for negative, scaled by max |v|. */
export function paintSigned(canvas, values, w, h, scale) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  let m = scale ?? 0;
  if (!scale) for (const v of values) m = Math.max(m, Math.abs(v));
  for (let i = 0; i < w * h; i++) {
    const t = m > 0 ? Math.max(-1, Math.min(1, values[i] / m)) : 0;
    const a = Math.abs(t);
    const [r, g, b] =
      t >= 0 ? [255 - 208 * a, 255 - 144 * a, 255 - 18 * a] : [255 - 25 * a, 255 - 190 * a, 255 - 190 * a];
    img.data[4 * i] = r;
    img.data[4 * i + 1] = g;
    img.data[4 * i + 2] = b;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/** One image of a decoded dataset as floats in [0,1] (first channel). */
export function datasetImage(ds, index) {
  const size = ds.height * ds.width * ds.channels;
  const out = new Float32Array(ds.height * ds.width);
  for (let i = 0; i < out.length; i++) out[i] = ds.pixels[index * size + i * ds.channels] / 255;
  return out;
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    // through the CSSOM: the Content-Security-Policy refuses style attributes
    else if (k === 'style') node.style.cssText = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
