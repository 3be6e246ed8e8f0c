// CommonJS typings of convolab/worker.
import type { WorkerConvolab, WorkerLoadOptions } from './worker.js';
export type * from './worker.js';
export function loadConvolabWorker(options?: WorkerLoadOptions): Promise<WorkerConvolab>;
