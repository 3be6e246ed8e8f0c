// Data augmentation: random shifts, rotations, scaling, horizontal flips and
// noise applied to a batch of images as fit copies it, so every epoch sees
// new variants while the stored images never change. Seeded: the same seed
// gives the same batches.
//
//   N  images   H, W, C  height, width, channels (channels-last)
//
// Geometry is one affine map per image about the image centre, sampled
// bilinearly with zero (black) outside the image; a whole-pixel shift with no
// rotation or scaling moves pixels exactly.
import { InputError } from './errors.js';
import { gaussian, seededRandom } from './seeded-random.js';

const KEYS = ['shift', 'rotate', 'scale', 'flipHorizontal', 'noise'];

function optionError(message, key) {
  return Object.assign(new InputError(`augment: ${message}`, { option: `augment.${key}` }), {
    option: `augment.${key}`,
  });
}

/**
 * Checks augment options; returns them normalised
 * { shift, rotate, scale: [min, max], flipHorizontal, noise }, or null when
 * nothing is switched on (undefined, false or all defaults).
 */
export function checkAugment(options) {
  if (options === undefined || options === null || options === false) return null;
  if (typeof options !== 'object' || Array.isArray(options))
    throw optionError(`expected { ${KEYS.join(', ')} }, got ${JSON.stringify(options)}`, 'options');
  for (const k of Object.keys(options))
    if (!KEYS.includes(k)) throw optionError(`unknown option '${k}' (expected ${KEYS.join(', ')})`, k);
  const { shift = 0, rotate = 0, scale = [1, 1], flipHorizontal = false, noise = 0 } = options;
  if (!(Number.isInteger(shift) && shift >= 0))
    throw optionError(`'shift' must be a whole number of pixels ≥ 0, got ${shift}`, 'shift');
  if (!(Number.isFinite(rotate) && rotate >= 0 && rotate <= 180))
    throw optionError(`'rotate' must be degrees in 0..180, got ${rotate}`, 'rotate');
  if (
    !Array.isArray(scale) ||
    scale.length !== 2 ||
    !scale.every((s) => Number.isFinite(s) && s > 0) ||
    scale[0] > scale[1]
  )
    throw optionError(`'scale' must be [min, max] with 0 < min ≤ max, got ${JSON.stringify(scale)}`, 'scale');
  if (typeof flipHorizontal !== 'boolean')
    throw optionError(`'flipHorizontal' must be true or false, got ${flipHorizontal}`, 'flipHorizontal');
  if (!(Number.isFinite(noise) && noise >= 0))
    throw optionError(`'noise' must be a standard deviation ≥ 0 (pixels are 0..1), got ${noise}`, 'noise');
  const on = shift > 0 || rotate > 0 || scale[0] !== 1 || scale[1] !== 1 || flipHorizontal || noise > 0;
  return on ? { shift, rotate, scale: [scale[0], scale[1]], flipHorizontal, noise } : null;
}

/** fit's augmentation stream for a fit seed: its own, so switching augmentation on does not change the shuffle. */
export const augmentSeedFor = (fitSeed) => (fitSeed ^ 0x9e3779b9) >>> 0;

/**
 * Augments n images in place. data: Float32Array (N, H, W, C) in [0, 1];
 * shape [H, W, C]; a: checkAugment's result; rng: seededRandom(seed).
 * scratch: optional Float32Array of H·W·C reused between calls.
 */
export function augmentInPlace(data, n, shape, a, rng, scratch) {
  const [h, w, c] = shape;
  const per = h * w * c;
  const src = scratch && scratch.length >= per ? scratch : new Float32Array(per); // (H, W, C)
  const cx = (w - 1) / 2,
    cy = (h - 1) / 2;
  for (let img = 0; img < n; img++) {
    const out = data.subarray(img * per, (img + 1) * per); // (H, W, C)
    // Every random draw happens, in this order, whatever is switched on, so one
    // option's setting does not change another's stream.
    const dx = Math.floor(rng() * (2 * a.shift + 1)) - a.shift;
    const dy = Math.floor(rng() * (2 * a.shift + 1)) - a.shift;
    const angle = ((rng() * 2 - 1) * a.rotate * Math.PI) / 180;
    const s = a.scale[0] + rng() * (a.scale[1] - a.scale[0]);
    const coin = rng();
    const flip = a.flipHorizontal && coin < 0.5;
    if (dx !== 0 || dy !== 0 || angle !== 0 || s !== 1 || flip) {
      src.set(out);
      // Output pixel (ox, oy) reads the source at the inverse map: undo the
      // shift, rotate back, unscale, unflip — about the centre.
      const cos = Math.cos(angle) / s,
        sin = Math.sin(angle) / s;
      for (let oy = 0; oy < h; oy++) {
        for (let ox = 0; ox < w; ox++) {
          const px = ox - cx - dx,
            py = oy - cy - dy;
          let u = cos * px + sin * py;
          const v = -sin * px + cos * py;
          if (flip) u = -u;
          const sx = cx + u,
            sy = cy + v;
          const x0 = Math.floor(sx),
            y0 = Math.floor(sy);
          const fx = sx - x0,
            fy = sy - y0;
          const o = (oy * w + ox) * c;
          for (let ch = 0; ch < c; ch++) {
            const at = (yy, xx) => (yy >= 0 && yy < h && xx >= 0 && xx < w ? src[(yy * w + xx) * c + ch] : 0);
            let value = at(y0, x0) * (1 - fx) * (1 - fy);
            if (fx !== 0) value += at(y0, x0 + 1) * fx * (1 - fy);
            if (fy !== 0) value += at(y0 + 1, x0) * (1 - fx) * fy;
            if (fx !== 0 && fy !== 0) value += at(y0 + 1, x0 + 1) * fx * fy;
            out[o + ch] = value;
          }
        }
      }
    }
    if (a.noise > 0) {
      for (let i = 0; i < per; i++) {
        const v = out[i] + a.noise * gaussian(rng);
        out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    }
  }
  return data;
}

/**
 * cl.augment(images, shape, options, { seed }): augmented copies of images
 * (Float32Array in [0, 1] or Uint8Array 0..255, (N, H, W, C)), as fit's
 * augment option makes them; a Float32Array in [0, 1]. For previews and tests.
 */
export function augmentImages(images, shape, options, { seed = 0 } = {}) {
  if (!Array.isArray(shape) || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0))
    throw Object.assign(
      new InputError(`augment: shape must be [height, width, channels], got ${JSON.stringify(shape)}`),
      {
        option: 'shape',
      },
    );
  const per = shape[0] * shape[1] * shape[2];
  if (!(ArrayBuffer.isView(images) && images.length > 0 && images.length % per === 0))
    throw Object.assign(
      new InputError(
        `augment: images must be a typed array of whole ${shape.join('x')} images (${per} values each)`,
      ),
      { option: 'images' },
    );
  const a = checkAugment(options);
  const data =
    images instanceof Uint8Array || images instanceof Uint8ClampedArray
      ? Float32Array.from(images, (v) => v / 255)
      : Float32Array.from(images);
  if (a) augmentInPlace(data, data.length / per, shape, a, seededRandom(seed));
  return data;
}
