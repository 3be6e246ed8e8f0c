// At most one request of a kind in flight: while one computes, a newer one
// replaces the queued one, so a fast drawing never builds a backlog of
// predictions.
export function latestOnly(run) {
  let busy = false,
    queued = null;
  async function next(job) {
    busy = true;
    try {
      const reply = await run(job.payload);
      if (reply !== undefined) job.onReply(reply);
    } catch (e) {
      job.onError(e);
    } finally {
      busy = false;
      if (queued) {
        const q = queued;
        queued = null;
        next(q);
      }
    }
  }
  return (payload, onReply, onError) => {
    const job = { payload, onReply, onError };
    if (busy) queued = job;
    else next(job);
  };
}
