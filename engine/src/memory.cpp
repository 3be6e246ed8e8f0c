#include "convolab/memory.h"

#include <atomic>
#include <cstdio>
#include <string>

namespace convolab {

namespace {

std::atomic<std::size_t> g_limit{kHeapMaxBytes - kHeapHeadroomBytes};

using u64 = std::uint64_t;
constexpr u64 kFloat = sizeof(float);
// Fit keeps two snapshots (the last good checkpoint and the one being proved).
constexpr u64 kCheckpoints = 2;
// Bookkeeping besides the buffers: the model and layer objects, the spec and
// compile JSON, and BatchNormalization's few per-channel vectors (8 of C).
constexpr u64 kModelOverhead = u64{64} << 10;
constexpr u64 kLayerOverhead = u64{4} << 10;
constexpr u64 kPerChannelOverhead = 8 * kFloat;

// A layer's own per-batch buffers and kernel workspace at `batch`. The
// layers size them in size_t and the kernels count rows in int, which would
// wrap for the batches a search for the largest one tries; every one of
// them grows at most linearly with the batch (a part per example plus fixed
// panels), so past 2^31 bytes n times the one-example size, itself in 64
// bits, stands in: an upper bound, and far over any limit.
// A block's floats from its shape, in 64 bits (its size_t size wraps in
// wasm32 for the huge layers the estimate exists to refuse).
u64 block_floats(const ParamBlock& b) {
  if (b.shape.empty()) return b.size;
  u64 floats = 1;
  for (int d : b.shape) floats *= static_cast<u64>(d);
  return floats;
}

u64 layer_batch_bytes(const Layer& l, int batch) {
  if (batch <= 0) return 0;
  const u64 one = u64{l.buffer_bytes(1)} + l.workspace_bytes(1);
  const u64 bound = one * static_cast<u64>(batch);
  if (bound >= (u64{1} << 31)) return bound;
  return u64{l.buffer_bytes(batch)} + l.workspace_bytes(batch);
}

// The largest batch whose estimate, with per_example more bytes for each
// example, fits `limit` (0 when not even one does).
int largest_batch(const std::vector<std::unique_ptr<Layer>>& layers, const Optimizer* optimizer, u64 limit,
                  u64 per_example = 0) {
  const auto fits = [&](int n) {
    return estimate_memory(layers, optimizer, n).total() + per_example * static_cast<u64>(n) <= limit;
  };
  int lo = 0, hi = 1 << 20;  // the engine's largest batch (Model::check_batch)
  if (fits(hi)) return hi;
  while (hi - lo > 1) {  // lo fits (or is 0), hi does not
    const int mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace

std::size_t memory_limit() { return g_limit.load(std::memory_order_relaxed); }
void set_memory_limit(std::size_t bytes) { g_limit.store(bytes, std::memory_order_relaxed); }

MemoryEstimate estimate_memory(const std::vector<std::unique_ptr<Layer>>& layers, const Optimizer* optimizer,
                               int batch) {
  MemoryEstimate e;
  e.batch = batch;
  const u64 n = batch > 0 ? static_cast<u64>(batch) : 0;
  u64 trainable = 0;
  for (const auto& l : layers)
    for (const auto& b : l->params())
      if (b.trainable) trainable += block_floats(b);
  // The optimizer's slots are as long as the arena (plus a few scalars); a
  // layer's share of them is its share of the arena.
  // state_floats is affine in the arena's length (slots per weight plus a few
  // scalars): read off at 1 and 2, applied in 64 bits.
  const u64 per_weight = optimizer ? optimizer->state_floats(2) - optimizer->state_floats(1) : 0;
  const u64 fixed = optimizer ? optimizer->state_floats(1) - per_weight : 0;
  const u64 slot_floats = per_weight * trainable + (trainable ? fixed : 0);
  e.optimizer = slot_floats * kFloat;
  e.overhead = kModelOverhead;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = *layers[i];
    u64 p = 0, s = 0;
    for (const auto& b : l.params()) (b.trainable ? p : s) += block_floats(b);
    // values + gradients; state + its zero gradients + the copy a step keeps to roll back
    const u64 weights = (2 * p + 3 * s) * kFloat;
    const u64 slots = per_weight * p * kFloat;
    const u64 snapshots = kCheckpoints * (p + s) * kFloat + kCheckpoints * slots;
    const u64 outputs = 2 * n * l.output_shape().size() * kFloat;  // the output and its gradient
    const u64 buffers = layer_batch_bytes(l, batch);
    e.weights += weights;
    e.checkpoints += kCheckpoints * (p + s) * kFloat;
    e.activations += outputs;
    e.layer_buffers += buffers;
    e.overhead += kLayerOverhead + kPerChannelOverhead * static_cast<u64>(l.input_shape().c);
    const u64 share = weights + slots + snapshots + outputs + buffers;
    if (share > e.largest_layer_bytes) {
      e.largest_layer_bytes = share;
      e.largest_layer = static_cast<int>(i);
    }
  }
  e.checkpoints += kCheckpoints * e.optimizer;
  if (!layers.empty()) e.activations += 2 * n * layers.back()->output_shape().size() * kFloat;  // probs, targets
  return e;
}

std::string bytes_text(std::uint64_t bytes) {
  char buf[32];
  const double b = static_cast<double>(bytes);
  if (b >= 1024.0 * 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f GB", b / (1024.0 * 1024 * 1024));
  else if (b >= 1024.0 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f MB", b / (1024.0 * 1024));
  else if (b >= 1024.0)
    std::snprintf(buf, sizeof buf, "%.0f KB", b / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%.0f bytes", b);
  return buf;
}

void check_memory(const MemoryEstimate& e, const std::vector<std::unique_ptr<Layer>>& layers, const char* what,
                  const char* code, const Optimizer* optimizer, std::uint64_t extra_bytes) {
  const u64 limit = memory_limit();
  const u64 needed = e.total() + extra_bytes;
  if (needed <= limit) return;
  const std::string code_name = code;
  const bool per_batch = code_name == "batch-too-large";
  std::string message = *what ? std::string(what) + ": " : "";
  message += per_batch ? "a batch of " + std::to_string(e.batch) + " needs " : "the model needs ";
  message += bytes_text(needed) + " (weights " + bytes_text(e.weights + e.checkpoints) + " with fit's checkpoints";
  if (e.optimizer) message += ", optimizer " + bytes_text(e.optimizer);
  message += ", activations " + bytes_text(e.activations + e.layer_buffers) + " at batch " + std::to_string(e.batch);
  if (extra_bytes) message += ", the engine's copy of the data " + bytes_text(extra_bytes);
  message += "), more than the " + bytes_text(limit) + " Convolab allows";
  const int layer = e.dominant_layer();
  if (layer >= 0)
    message += "; layer " + std::to_string(layer + 1) + " (" + layers[static_cast<std::size_t>(layer)]->type() +
               ") holds " + bytes_text(e.largest_layer_bytes) + " of it";
  if (per_batch) {
    const u64 per_example = e.batch > 0 ? extra_bytes / static_cast<u64>(e.batch) : 0;
    const int fits = largest_batch(layers, optimizer, limit, per_example);
    message += fits > 0 ? " — use a batch of at most " + std::to_string(fits) + ", or a smaller model"
                        : " — use a smaller model";
  } else if (code_name == "input-too-large") {
    message += " — pass fewer examples at a time";
  } else {
    message += " — use fewer filters or units, or a smaller input";
  }
  Error error(message, ErrorKind::Memory);
  error.with_code(code).with_bytes(static_cast<double>(needed), static_cast<double>(limit));
  if (layer >= 0) error.at_layer(layer);
  if (per_batch) error.with_option("batchSize").with_value(e.batch);
  throw error;
}

int largest_batch_within(const std::vector<std::unique_ptr<Layer>>& layers, const Optimizer* optimizer) {
  return largest_batch(layers, optimizer, memory_limit());
}

}  // namespace convolab
