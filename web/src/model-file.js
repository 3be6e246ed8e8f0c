// The page's model file: the spec, the hyperparameters it was trained with,
// a few facts (dataset, accuracy) and every parameter, checksummed. Used by
// the worker (save/load, browser storage) and scripts/pretrain.js (Node).
//
//   0 'CLWM'  4 u32 version  8 u32 headerLength  12 header JSON (UTF-8),
//   zero-padded to 4 bytes; then f32 params[paramCount]; then u32 CRC-32 of
//   everything before it. Little-endian.
import { crc32 } from '../../bindings/dataset.js';

const MAGIC = 'CLWM';
const VERSION = 1;

export class ModelFileError extends Error {
  constructor(message) { super(message); this.name = 'ModelFileError'; }
}

/** header: { spec, hyper, dataset, accuracy, ... }; params: Float32Array. */
export function encodeModelFile(header, params) {
  const json = new TextEncoder().encode(JSON.stringify({ ...header, paramCount: params.length }));
  const jsonPadded = Math.ceil(json.length / 4) * 4;
  const bytes = new Uint8Array(12 + jsonPadded + params.length * 4 + 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, 12);
  const off = 12 + jsonPadded;
  for (let i = 0; i < params.length; i++) view.setFloat32(off + 4 * i, params[i], true);
  const end = off + params.length * 4;
  view.setUint32(end, crc32(bytes.subarray(0, end)), true);
  return bytes;
}

/** Returns { header, params }, or throws ModelFileError naming the problem. */
export function decodeModelFile(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < 16) throw new ModelFileError(`not a Convolab model: the file has only ${bytes.length} bytes`);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) throw new ModelFileError('not a Convolab model file (it does not start with CLWM)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new ModelFileError(`model file version ${version} is not supported (expected ${VERSION})`);
  const jsonLength = view.getUint32(8, true);
  if (12 + jsonLength > bytes.length - 4) throw new ModelFileError('the model file is truncated (its header is cut off)');
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + jsonLength)));
  } catch {
    throw new ModelFileError('the model file header is not valid JSON');
  }
  const off = 12 + Math.ceil(jsonLength / 4) * 4;
  const expected = off + header.paramCount * 4 + 4;
  if (bytes.length !== expected) throw new ModelFileError(`the model file is truncated or padded: ${bytes.length} of ${expected} bytes`);
  if (view.getUint32(expected - 4, true) !== crc32(bytes.subarray(0, expected - 4))) throw new ModelFileError('the model file is corrupted (checksum mismatch)');
  const params = new Float32Array(header.paramCount);
  for (let i = 0; i < params.length; i++) params[i] = view.getFloat32(off + 4 * i, true);
  return { header, params };
}
