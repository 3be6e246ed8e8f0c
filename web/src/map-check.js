// Conv and pool layers slide a window over a feature map (height × width ×
// channels). After Flatten, Dense or a global pool the data is a vector: a
// conv there has no map to slide over. The engine would read the vector as
// a 1×1 map and fail later with a message about a 1×1 input, so the stack
// is checked first and the problem said plainly.
const NEEDS_MAP = {
  conv2d: 'Conv2D',
  maxPooling2d: 'MaxPooling2D',
  averagePooling2d: 'AveragePooling2D',
  globalAveragePooling2d: 'GlobalAveragePooling2D',
};
const MAKES_VECTOR = { flatten: 'Flatten', dense: 'Dense', globalAveragePooling2d: 'GlobalAveragePooling2D' };

/** The first layer that needs a map but gets a vector: { error, layerIndex }, or null. */
export function mapProblem(layers) {
  let vectorFrom = -1; // the layer that made the data a vector
  for (const [i, layer] of layers.entries()) {
    if (NEEDS_MAP[layer.type] && vectorFrom >= 0) {
      const from = layers[vectorFrom];
      return {
        layerIndex: i,
        error:
          `layer ${i + 1} (${NEEDS_MAP[layer.type]}) needs a feature map (height × width × channels), ` +
          `but layer ${vectorFrom + 1} (${MAKES_VECTOR[from.type]}) turned the data into a vector; ` +
          `put conv and pool layers before ${MAKES_VECTOR[from.type]}`,
      };
    }
    if (MAKES_VECTOR[layer.type]) vectorFrom = i;
  }
  return null;
}
