#pragma once
// How much memory a model holds, counted before anything is allocated, and
// the limit it must fit in. A model (at build and compile) or a batch (at
// reserve) whose estimate is over the limit is refused with a memory Error
// that carries both numbers (bytes_needed, bytes_limit), so the caller never
// meets an allocation failure or, in WebAssembly, an abort.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "convolab/layer.h"
#include "convolab/optimizer.h"

namespace convolab {

// The wasm heap maximum the build sets (-sMAXIMUM_MEMORY, CMakeLists.txt);
// native builds use the same number so both refuse the same models.
#ifdef CONVOLAB_HEAP_MAX_BYTES
constexpr std::size_t kHeapMaxBytes = CONVOLAB_HEAP_MAX_BYTES;
#else
constexpr std::size_t kHeapMaxBytes = std::size_t{1} << 30;
#endif
// What the heap keeps for everything but one model's buffers: the runtime,
// the stacks (the threaded build's workers too), the bindings' small state.
constexpr std::size_t kHeapHeadroomBytes = std::size_t{64} << 20;

// The bytes one model (with one batch) may hold; kHeapMaxBytes less the
// headroom unless an embedder set another (bindings/embind.cpp sets it from
// the heap maximum the module really has).
std::size_t memory_limit();
void set_memory_limit(std::size_t bytes);

// What a model holds at a batch capacity, by what it is for. Counts every
// buffer the engine sizes by the model (the arenas, the optimizer's slots,
// two snapshots for fit's divergence checkpoints) and by the batch (every
// layer's output and its gradient, the loss buffers, each layer's own
// per-batch buffers and kernel workspace).
// In 64 bits: in wasm32 a size_t would wrap on the models it must refuse.
struct MemoryEstimate {
  int batch = 0;
  std::uint64_t weights = 0;        // parameters, their gradients, non-trainable state
  std::uint64_t optimizer = 0;      // the optimizer's slots (momentum, Adam's moments)
  std::uint64_t checkpoints = 0;    // two snapshots of weights, state and optimizer slots
  std::uint64_t activations = 0;    // per batch: layer outputs and their gradients, loss buffers
  std::uint64_t layer_buffers = 0;  // per batch: the layers' own buffers and kernel workspaces
  std::uint64_t overhead = 0;       // bookkeeping: layer objects, the spec, small per-channel buffers
  // The layer whose weights and per-batch buffers are the largest share, and that share.
  int largest_layer = -1;
  std::uint64_t largest_layer_bytes = 0;

  std::uint64_t total() const { return weights + optimizer + checkpoints + activations + layer_buffers + overhead; }
  // The layer at fault when it holds at least half of the total, else -1.
  int dominant_layer() const { return largest_layer >= 0 && 2 * largest_layer_bytes >= total() ? largest_layer : -1; }
};

// optimizer may be null (plain SGD: no slots).
MemoryEstimate estimate_memory(const std::vector<std::unique_ptr<Layer>>& layers, const Optimizer* optimizer,
                               int batch);

// "1.5 GB", "312.4 MB", "96 KB": binary units, for messages.
std::string bytes_text(std::uint64_t bytes);

// Throws a memory Error (kind Memory, code, bytes_needed, bytes_limit, the
// dominant layer) when e plus extra_bytes (buffers the caller adds, such as
// the bindings' copies of a batch) is over memory_limit(). code:
// "model-too-large" (what the model holds at batch 1 or its capacity),
// "batch-too-large" (a batch; the message names the largest that fits;
// extra_bytes then grow with the batch) or "input-too-large" (the data of
// one call, copied in whole, does not fit beside the model).
// what begins the message: "model", "compile", "train", ... ("" for none).
void check_memory(const MemoryEstimate& e, const std::vector<std::unique_ptr<Layer>>& layers, const char* what,
                  const char* code, const Optimizer* optimizer, std::uint64_t extra_bytes = 0);

// The largest batch whose estimate fits memory_limit() (0 when not even one does).
int largest_batch_within(const std::vector<std::unique_ptr<Layer>>& layers, const Optimizer* optimizer);

}  // namespace convolab
