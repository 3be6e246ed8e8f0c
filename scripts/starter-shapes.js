// Hand-drawn-looking strokes of simple shapes on a 280x280 pad, with seeded
// jitter (position, size, aspect, rotation, wobble, an unclosed end): the
// starter set's sketches (make-starter-set.js) and the strokes the browser
// tests draw with the mouse.

export const SHAPES = ['circle', 'triangle', 'cross', 'square'];

// Points along a closed polygon's edges, n per edge.
function polygon(corners, n) {
  const out = [];
  for (let i = 0; i < corners.length; i++) {
    const [ax, ay] = corners[i],
      [bx, by] = corners[(i + 1) % corners.length];
    for (let k = 0; k < n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  out.push(corners[0]);
  return out;
}

/** Strokes (arrays of [x, y] in 280x280 pad pixels) of one jittered sketch of `shape`. */
export function shapeStrokes(shape, rng) {
  const j = (a) => (rng() * 2 - 1) * a;
  const cx = 140 + j(25),
    cy = 140 + j(25);
  const r = 70 + j(25);
  const aspect = 1 + j(0.2);
  const turn = j(0.25); // radians
  const place = ([x, y]) => {
    const px = x * r * aspect,
      py = y * r;
    return [
      cx + px * Math.cos(turn) - py * Math.sin(turn) + j(3),
      cy + px * Math.sin(turn) + py * Math.cos(turn) + j(3),
    ];
  };
  if (shape === 'circle') {
    const start = rng() * 2 * Math.PI,
      sweep = 2 * Math.PI * (0.92 + rng() * 0.12);
    return [
      Array.from({ length: 28 }, (_, i) => {
        const a = start + (sweep * i) / 27;
        return place([Math.cos(a), Math.sin(a)]);
      }),
    ];
  }
  if (shape === 'triangle')
    return [
      polygon(
        [
          [j(0.15), -1],
          [0.95 + j(0.1), 0.8 + j(0.1)],
          [-0.95 + j(0.1), 0.8 + j(0.1)],
        ],
        5,
      ).map(place),
    ];
  if (shape === 'square')
    return [
      polygon(
        [
          [-0.85 + j(0.1), -0.85 + j(0.1)],
          [0.85 + j(0.1), -0.85 + j(0.1)],
          [0.85 + j(0.1), 0.85 + j(0.1)],
          [-0.85 + j(0.1), 0.85 + j(0.1)],
        ],
        4,
      ).map(place),
    ];
  if (shape === 'cross') {
    const line = (a, b) =>
      Array.from({ length: 6 }, (_, i) => [a[0] + ((b[0] - a[0]) * i) / 5, a[1] + ((b[1] - a[1]) * i) / 5]);
    return [
      line([-0.9 + j(0.1), -0.9 + j(0.1)], [0.9 + j(0.1), 0.9 + j(0.1)]).map(place),
      line([0.9 + j(0.1), -0.9 + j(0.1)], [-0.9 + j(0.1), 0.9 + j(0.1)]).map(place),
    ];
  }
  throw new Error(`unknown shape ${shape}`);
}

/**
 * Strokes → the 28x28 MNIST-style input the page makes of a drawing
 * (web/src/preprocess.js): the ink's box (strokes 20 px wide) scaled so its
 * longest side is 20 px, the centre of mass moved to the centre. Coverage by
 * 4x4 supersampling. Returns a Uint8Array(784), white ink on black.
 */
export function rasterise(strokes, lineWidth = 20) {
  const pts = strokes.flat();
  const half = lineWidth / 2;
  const x0 = Math.min(...pts.map((p) => p[0])) - half,
    x1 = Math.max(...pts.map((p) => p[0])) + half;
  const y0 = Math.min(...pts.map((p) => p[1])) - half,
    y1 = Math.max(...pts.map((p) => p[1])) + half;
  const scale = 20 / Math.max(x1 - x0, y1 - y0);
  const segs = [];
  for (const s of strokes)
    for (let i = 0; i < s.length; i++) {
      const a = s[Math.max(0, i - 1)],
        b = s[i];
      segs.push([(a[0] - x0) * scale, (a[1] - y0) * scale, (b[0] - x0) * scale, (b[1] - y0) * scale]);
    }
  const hw = half * scale;
  const box = new Float32Array(22 * 22); // the scaled drawing, (y, x)
  for (let y = 0; y < 22; y++)
    for (let x = 0; x < 22; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4,
            py = y + (sy + 0.5) / 4;
          for (const [ax, ay, bx, by] of segs) {
            const dx = bx - ax,
              dy = by - ay;
            const len2 = dx * dx + dy * dy;
            const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
            if (Math.hypot(px - ax - t * dx, py - ay - t * dy) <= hw) {
              hits++;
              break;
            }
          }
        }
      box[y * 22 + x] = hits / 16;
    }
  let mass = 0,
    mx = 0,
    my = 0;
  box.forEach((v, i) => {
    mass += v;
    mx += v * ((i % 22) + 0.5);
    my += v * (Math.floor(i / 22) + 0.5);
  });
  const ox = Math.round(14 - mx / mass),
    oy = Math.round(14 - my / mass);
  const out = new Uint8Array(784);
  box.forEach((v, i) => {
    const tx = (i % 22) + ox,
      ty = Math.floor(i / 22) + oy;
    if (v > 0 && tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = Math.round(v * 255);
  });
  return out;
}
