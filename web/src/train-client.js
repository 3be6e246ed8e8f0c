// The page's side of the training worker: posts commands, fans incoming
// messages out to listeners by type, and pairs predict/inspect replies with
// their requests. Only the latest request of each kind is kept in flight.
export class TrainClient {
  constructor(url) {
    this.worker = new Worker(url, { type: 'module' });
    this.listeners = new Map();
    this.nextId = 1;
    this.inFlight = new Map();   // kind → { id, latest }
    this.worker.onmessage = ({ data }) => this.#dispatch(data);
    this.worker.onerror = (e) => this.#dispatch({ type: 'error', message: `The training worker failed: ${e.message || 'could not start'}` });
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  send(type, payload = {}, transfer = []) { this.worker.postMessage({ type, ...payload }, transfer); }

  /**
   * predict/inspect: while one is computing, newer requests replace the
   * queued one, so a fast drawing never builds a backlog.
   */
  request(kind, payload, onReply) {
    const slot = this.inFlight.get(kind) ?? { busy: false, queued: null };
    this.inFlight.set(kind, slot);
    const job = { payload, onReply };
    if (slot.busy) { slot.queued = job; return; }
    this.#run(kind, slot, job);
  }

  #run(kind, slot, job) {
    slot.busy = true;
    const id = this.nextId++;
    slot.current = { id, onReply: job.onReply };
    this.send(kind, { ...job.payload, id });
  }

  #dispatch(msg) {
    const kind = { prediction: 'predict', inspected: 'inspect' }[msg.type] ?? (msg.type === 'error' && ['predict', 'inspect'].includes(msg.during) ? msg.during : null);
    if (kind) {
      const slot = this.inFlight.get(kind);
      if (slot?.current?.id === msg.id) {
        const { onReply } = slot.current;
        slot.busy = false; slot.current = null;
        if (msg.type !== 'error') onReply(msg);
        if (slot.queued) { const q = slot.queued; slot.queued = null; this.#run(kind, slot, q); }
      }
      if (msg.type !== 'error') return;
    }
    for (const fn of this.listeners.get(msg.type) ?? []) fn(msg);
  }
}
