// The CommonJS typings: require('convolab') and require('convolab/worker').
import convolab = require('convolab');
import worker = require('convolab/worker');

export async function run(): Promise<void> {
  const cl = await convolab.loadConvolab();
  const model = cl.sequential({
    inputShape: [4, 4, 1],
    layers: [{ type: 'flatten' }, { type: 'dense', units: 2 }],
  });
  const p = model.predict(new Float32Array(16), 1);
  const isError: boolean =
    new cl.SpecError('x') instanceof cl.ConvolabError && new cl.MemoryError('x') instanceof cl.ConvolabError;
  const w = await worker.loadConvolabWorker();
  w.terminate();
  void [p, isError];
}
