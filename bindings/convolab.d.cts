// CommonJS typings: require('convolab') has loadConvolab; the classes are on
// the loaded object (cl.ConvolabError, cl.Tensor), their types are here.
import type { Convolab, LoadOptions } from './convolab.js';
export type * from './convolab.js';
export function loadConvolab(options?: LoadOptions): Promise<Convolab>;
