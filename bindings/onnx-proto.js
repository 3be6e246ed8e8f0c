// The ONNX file format: the messages of the published onnx.proto
// (github.com/onnx/onnx, onnx/onnx.proto; names and field numbers as
// there) that an inference model needs, as a descriptor, and an encoder
// that walks it.
//
// Why protobufjs/minimal's Writer walked by this descriptor: the wire
// encoding (varints, zig-zag, length-delimited forks) stays the library's,
// and nothing is compiled at run time. protobufjs/light's Type.encode builds
// its encoders with new Function(), which a page whose Content-Security-Policy
// has no 'unsafe-eval' (ours, and any careful embedder's) refuses.
// The build bundles this file with protobufjs into dist/onnx-encoder.js
// (scripts/build-onnx-encoder.js), which onnx-export.js loads on the first
// exportOnnx() call only: the package keeps no runtime dependency, and a
// user who never exports ONNX never loads it.
import protobuf from 'protobufjs/minimal.js';

const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            ir_version: { type: 'int64', id: 1 },
            opset_import: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            producer_name: { type: 'string', id: 2 },
            producer_version: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            model_version: { type: 'int64', id: 5 },
            doc_string: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            metadata_props: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } },
        },
        StringStringEntryProto: {
          fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            doc_string: { type: 'string', id: 10 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            value_info: { rule: 'repeated', type: 'ValueInfoProto', id: 13 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            op_type: { type: 'string', id: 4 },
            domain: { type: 'string', id: 7 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            doc_string: { type: 'string', id: 6 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            doc_string: { type: 'string', id: 13 },
            type: { type: 'AttributeType', id: 20 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
          },
          nested: {
            AttributeType: {
              values: {
                UNDEFINED: 0,
                FLOAT: 1,
                INT: 2,
                STRING: 3,
                TENSOR: 4,
                GRAPH: 5,
                FLOATS: 6,
                INTS: 7,
                STRINGS: 8,
              },
            },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            doc_string: { type: 'string', id: 3 },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: { type: 'Tensor', id: 1 }, denotation: { type: 'string', id: 6 } },
          nested: {
            Tensor: {
              fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } },
            },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: {
                dim_value: { type: 'int64', id: 1 },
                dim_param: { type: 'string', id: 2 },
                denotation: { type: 'string', id: 3 },
              },
            },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            data_type: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            doc_string: { type: 'string', id: 12 },
            raw_data: { type: 'bytes', id: 9 },
          },
        },
      },
    },
  },
};

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 };
/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 };

// Wire type and Writer method of each scalar type the descriptor uses.
const SCALARS = {
  int32: { wire: 0, write: 'int32' },
  int64: { wire: 0, write: 'int64' },
  float: { wire: 5, write: 'float' },
  string: { wire: 2, write: 'string' },
  bytes: { wire: 2, write: 'bytes' },
};
const ENUM = { wire: 0, write: 'int32' };

/** Every message and enum of the descriptor by its short name (each is unique in it). */
function collectTypes(namespace, into = new Map()) {
  for (const [name, type] of Object.entries(namespace.nested ?? {})) {
    into.set(name, type);
    collectTypes(type, into);
  }
  return into;
}

let types = null;

function checkScalar(where, scalar, value) {
  const ok =
    scalar.write === 'string'
      ? typeof value === 'string'
      : scalar.write === 'bytes'
        ? value instanceof Uint8Array
        : typeof value === 'number' &&
          Number.isFinite(value) &&
          (scalar.write === 'float' || Number.isInteger(value));
  if (!ok) throw new Error(`exportOnnx: internal error, ${where} is not a ${scalar.write}: ${value}`);
}

function writeMessage(writer, typeName, message) {
  const { fields } = types.get(typeName);
  for (const key of Object.keys(message)) {
    if (!(key in fields)) throw new Error(`exportOnnx: internal error, ${typeName} has no field ${key}`);
  }
  const inIdOrder = Object.entries(fields).sort((a, b) => a[1].id - b[1].id);
  for (const [key, field] of inIdOrder) {
    const value = message[key];
    if (value === undefined || value === null) continue;
    // repeated scalars go unpacked, one tag per item, as proto2's onnx.proto declares them
    const values = field.rule === 'repeated' ? value : [value];
    if (!Array.isArray(values))
      throw new Error(`exportOnnx: internal error, ${typeName}.${key} is not a list`);
    const target = types.get(field.type);
    for (const item of values) {
      if (target?.fields) {
        writer.uint32((field.id << 3) | 2).fork();
        writeMessage(writer, field.type, item);
        writer.ldelim();
        continue;
      }
      const scalar = target?.values ? ENUM : SCALARS[field.type];
      checkScalar(`${typeName}.${key}`, scalar, item);
      writer.uint32((field.id << 3) | scalar.wire)[scalar.write](item);
    }
  }
}

/** The bytes of a ModelProto given as a plain object (field names as in onnx.proto). */
export function encodeModel(model) {
  types ??= collectTypes(ONNX_SCHEMA);
  const writer = protobuf.Writer.create();
  writeMessage(writer, 'ModelProto', model);
  return writer.finish();
}
