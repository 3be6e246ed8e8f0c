// model.exportOnnx(): a Convolab model as an ONNX model (opset 13), for
// ONNX Runtime and everything that reads ONNX (onnx2torch, TensorRT...).
// One input 'input' [N, ...inputShape] float32 ([N, H, W, C] for images,
// channels-last as Convolab takes them), transposed to NCHW inside the graph
// where the operators need it; one output 'output' [N, ...outputShape]
// (channels-last [N, h, w, k] for a feature map, [N, k] for a vector): the
// numbers predict returns. The layers' operators are in onnx-layer-table.js.
import { InteropError } from './errors.js';
import { ONNX_LAYERS } from './onnx-layer-table.js';
// onnx-proto.js with protobufjs, bundled by scripts/build-onnx-encoder.js
import { AttributeType, DataType, encodeModel } from '../dist/onnx-encoder.js';

const OPSET = 13;
const IR_VERSION = 7; // the IR that opset 13 came with
const FLOAT_ATTRIBUTES = new Set(['alpha', 'epsilon']);

function attribute(name, value) {
  if (typeof value === 'string')
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (Number.isInteger(value) && !FLOAT_ATTRIBUTES.has(name))
    return { name, type: AttributeType.INT, i: value };
  return { name, type: AttributeType.FLOAT, f: value };
}

const floatBytes = (data) => new Uint8Array(Float32Array.from(data).buffer);

/**
 * The graph under construction: nodes, constants, and where the tensor stands.
 * The current tensor is [N, ...shape] in Convolab's (channels-last) order
 * (layout 'last'), or, for an image, [N, C, H, W] (layout 'nchw'), which
 * Conv, the pools, Resize and BatchNormalization take.
 */
class GraphBuilder {
  constructor(model) {
    this.model = model;
    this.nodes = [];
    this.initializers = [];
    this.current = 'input';
    this.layout = 'last';
    this.shape = model.inputShape; // Convolab's per-example shape of the current tensor
    this.count = 0;
    this.layerNames = model.layers.map((l) => l.name);
  }

  name(layer) {
    return this.layerNames[layer.index];
  }

  /** Appends op on the current tensor (plus extra inputs, '' for an omitted one); the result becomes current. */
  op(opType, extraInputs = [], attributes = {}) {
    const output = `t${++this.count}_${opType}`;
    this.nodes.push({
      op_type: opType,
      name: `${opType}_${this.count}`,
      input: [this.current, ...extraInputs],
      output: [output],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    this.current = output;
    return output;
  }

  constant(name, data, dims) {
    this.initializers.push({ name, dims, data_type: DataType.FLOAT, raw_data: floatBytes(data) });
    return name;
  }

  int64Constant(name, values) {
    const bytes = new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer);
    this.initializers.push({ name, dims: [values.length], data_type: DataType.INT64, raw_data: bytes });
    return name;
  }

  /** A fresh name for a constant no layer owns. */
  constantName(what) {
    return `${what}_${this.count + 1}_${this.initializers.length}`;
  }

  /** The layer's weights by Convolab name (null where the layer has none, e.g. no bias). */
  weights(layer, names) {
    const values = layer.getWeights();
    return names.map((n) => {
      const k = layer.weightSpecs.findIndex((w) => w.name === n);
      return k < 0 ? null : values[k];
    });
  }

  /** An image to [N, C, H, W]. */
  nchw() {
    if (this.layout === 'nchw') return;
    if (this.shape.length !== 3)
      throw new Error(`exportOnnx: internal error, NCHW of a [${this.shape}] tensor`);
    this.op('Transpose', [], { perm: [0, 3, 1, 2] });
    this.layout = 'nchw';
  }

  /** To [N, ...shape] in Convolab's channels-last order. */
  last() {
    if (this.layout === 'last') return;
    this.op('Transpose', [], { perm: [0, 2, 3, 1] });
    this.layout = 'last';
  }

  /** The axes of an image's height, width and channels in the current layout. */
  axes() {
    return this.layout === 'nchw' ? { h: 2, w: 3, c: 1 } : { h: 1, w: 2, c: 3 };
  }
}

const tensorType = (dims) => ({
  tensor_type: {
    elem_type: DataType.FLOAT,
    shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
  },
});

/** The ONNX model's bytes; an InteropError for a layer or option ONNX cannot express. */
export function exportOnnx(model) {
  const spec = model.toJSON();
  const g = new GraphBuilder(model);
  model.layers.forEach((layer, i) => {
    const row = ONNX_LAYERS[spec.layers[i].type];
    if (!row)
      throw new InteropError(`exportOnnx: layer ${i + 1} (${layer.type}) has no ONNX form yet`, {
        code: 'unsupported-layer',
        layerIndex: i,
        layerName: layer.name,
        className: layer.type,
      });
    g.shape = layer.inputShape;
    row.emit(g, spec.layers[i], layer);
    g.shape = layer.outputShape;
  });
  g.last();
  g.nodes.push({ op_type: 'Identity', name: 'output', input: [g.current], output: ['output'] });
  return encodeModel({
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }],
    producer_name: 'Convolab',
    producer_version: '0.1.0',
    graph: {
      name: 'convolab',
      node: g.nodes,
      initializer: g.initializers,
      input: [{ name: 'input', type: tensorType(['N', ...model.inputShape]) }],
      output: [{ name: 'output', type: tensorType(['N', ...model.outputShape]) }],
    },
  });
}
