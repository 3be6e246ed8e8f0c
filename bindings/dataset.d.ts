// Type declarations for convolab/dataset: the .cldata format.
export class DatasetError extends Error {}
export interface Dataset {
  name: string;
  classNames: string[];
  trainCount: number;
  source?: string;
  license?: string;
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
  labels: Uint8Array;
  pixels: Uint8Array;
}
export function crc32(bytes: Uint8Array): number;
export function encodeDataset(d: {
  height: number;
  width: number;
  channels: number;
  classes: number;
  labels: Uint8Array;
  pixels: Uint8Array;
  meta: object;
}): Uint8Array;
export function decodeDataset(buffer: ArrayBuffer | Uint8Array): Dataset;
/** Images [start, start+n) as floats in [0, 1], NHWC. */
export function imagesAsFloat(ds: Dataset, start: number, n: number, out?: Float32Array): Float32Array;
export function labelsAsInt(ds: Dataset, start: number, n: number): Int32Array;
