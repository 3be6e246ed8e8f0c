// The Convolab dataset format (.cldata): one compact, checksummed binary
// that the page fetches in one request and the tests read from disk.
//
//   0  'CLDS'            magic
//   4  u32 version (1)
//   8  u32 count         images
//  12  u16 height, u16 width, u16 channels, u16 classes
//  20  u32 metaLength    then metaLength bytes of UTF-8 JSON:
//                        { name, classNames, source, license, trainCount }
//   …  u8 labels[count], u8 pixels[count*height*width*channels] (0..255)
//  end u32 CRC-32 (IEEE) of every byte before it
// All integers little-endian.

const MAGIC = 'CLDS';
const VERSION = 1;
const HEADER_BYTES = 24;

export class DatasetError extends Error {
  constructor(message) {
    super(message);
    this.name = 'DatasetError';
  }
}

let crcTable = null;
export function crc32(bytes) {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Serialises images (Uint8Array, count*h*w*c) and labels (Uint8Array). */
export function encodeDataset({ height, width, channels, classes, labels, pixels, meta }) {
  const count = labels.length;
  if (pixels.length !== count * height * width * channels)
    throw new DatasetError('pixels do not match count x shape');
  const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const total = HEADER_BYTES + metaBytes.length + count + pixels.length + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, count, true);
  view.setUint16(12, height, true);
  view.setUint16(14, width, true);
  view.setUint16(16, channels, true);
  view.setUint16(18, classes, true);
  view.setUint32(20, metaBytes.length, true);
  let off = HEADER_BYTES;
  bytes.set(metaBytes, off);
  off += metaBytes.length;
  bytes.set(labels, off);
  off += count;
  bytes.set(pixels, off);
  off += pixels.length;
  view.setUint32(off, crc32(bytes.subarray(0, off)), true);
  return bytes;
}

/**
 * Parses and validates a .cldata buffer. Throws DatasetError naming what is
 * wrong (truncated, corrupted, wrong version) rather than returning a partial set.
 * Returns { name, classNames, count, height, width, channels, classes,
 *           trainCount, labels: Uint8Array, pixels: Uint8Array }.
 */
export function decodeDataset(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.length < HEADER_BYTES + 4)
    throw new DatasetError(`dataset file is truncated: ${bytes.length} bytes is smaller than the header`);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MAGIC) throw new DatasetError('not a Convolab dataset (the file does not start with CLDS)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION)
    throw new DatasetError(`dataset version ${version} is not supported (expected ${VERSION})`);
  const count = view.getUint32(8, true);
  const height = view.getUint16(12, true),
    width = view.getUint16(14, true),
    channels = view.getUint16(16, true);
  const classes = view.getUint16(18, true);
  const metaLength = view.getUint32(20, true);
  if (!(height >= 1 && width >= 1 && channels >= 1))
    throw new DatasetError(
      `dataset images are ${height}x${width}x${channels}; every side must be at least 1`,
    );
  if (classes < 1) throw new DatasetError('dataset has 0 classes');
  const imageSize = height * width * channels;
  const expected = HEADER_BYTES + metaLength + count + count * imageSize + 4;
  if (bytes.length < expected)
    throw new DatasetError(`dataset file is truncated: ${bytes.length} of ${expected} bytes`);
  if (bytes.length > expected)
    throw new DatasetError(`dataset file has ${bytes.length - expected} unexpected trailing bytes`);
  const stored = view.getUint32(expected - 4, true);
  const actual = crc32(bytes.subarray(0, expected - 4));
  if (stored !== actual) throw new DatasetError('dataset file is corrupted (checksum mismatch)');
  let meta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + metaLength)));
  } catch {
    throw new DatasetError('dataset metadata is not valid JSON');
  }
  checkMeta(meta, count, classes);
  const labelsStart = HEADER_BYTES + metaLength;
  const labels = bytes.slice(labelsStart, labelsStart + count);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes)
      throw new DatasetError(`dataset label ${labels[i]} at image ${i} is outside 0..${classes - 1}`);
  }
  const pixels = bytes.slice(labelsStart + count, labelsStart + count + count * imageSize);
  return {
    name: meta.name ?? 'dataset',
    classNames: meta.classNames ?? Array.from({ length: classes }, (_, i) => String(i)),
    trainCount: meta.trainCount ?? Math.floor(count * 0.8),
    source: meta.source,
    license: meta.license,
    count,
    height,
    width,
    channels,
    classes,
    labels,
    pixels,
  };
}

// The metadata is optional field by field, but what is there must be usable:
// the page shows the name and class names and splits at trainCount.
function checkMeta(meta, count, classes) {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    throw new DatasetError('dataset metadata must be a JSON object');
  if (meta.name != null && typeof meta.name !== 'string')
    throw new DatasetError('dataset name must be a string');
  const names = meta.classNames;
  if (names != null) {
    if (!Array.isArray(names) || names.length !== classes)
      throw new DatasetError(`dataset classNames must be a list of ${classes} names`);
    if (!names.every((n) => typeof n === 'string'))
      throw new DatasetError('dataset classNames must be strings');
  }
  const t = meta.trainCount;
  if (t != null && !(Number.isInteger(t) && t >= 0 && t <= count))
    throw new DatasetError(
      `dataset trainCount must be a whole number from 0 to ${count}, got ${JSON.stringify(t)}`,
    );
}

/** Images [start, start+n) as floats in [0, 1], NHWC: (n, H, W, C). */
export function imagesAsFloat(ds, start, n, out = new Float32Array(n * ds.height * ds.width * ds.channels)) {
  const size = ds.height * ds.width * ds.channels;
  const src = ds.pixels.subarray(start * size, (start + n) * size);
  for (let i = 0; i < src.length; i++) out[i] = src[i] / 255;
  return out;
}

/** Labels [start, start+n) as Int32Array (the engine's label type). */
export function labelsAsInt(ds, start, n) {
  return Int32Array.from(ds.labels.subarray(start, start + n));
}
