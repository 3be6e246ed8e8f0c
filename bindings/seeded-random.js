// Seeded random numbers for everything that must repeat bit for bit: fit's
// shuffles and augmentations, the page's noisy images and splits, the build's
// dataset orders and starter sketches, the seeded tests. The pre-trained model
// and the tests depend on these exact streams, so the arithmetic is fixed.

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from rng, which it calls twice (Box–Muller; 1 - u keeps log away from 0). */
export const gaussian = (rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** A permutation of 0..n-1 as an Int32Array (Fisher–Yates, n - 1 draws from rng). */
export function permutation(n, rng) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
