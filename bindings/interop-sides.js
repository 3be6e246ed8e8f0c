// The per-side sizes of zeroPadding2d's `padding` and cropping2d's
// `cropping`, which a spec writes as n, [h, w] or [[top, bottom], [left, right]].

/** [[top, bottom], [left, right]] from any of the three forms. */
export function fourSides(v) {
  if (typeof v === 'number')
    return [
      [v, v],
      [v, v],
    ];
  if (typeof v[0] === 'number')
    return [
      [v[0], v[0]],
      [v[1], v[1]],
    ];
  return [
    [v[0][0], v[0][1]],
    [v[1][0], v[1][1]],
  ];
}
