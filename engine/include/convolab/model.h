#pragma once
// A sequential model: spec (JSON) → validated plan (layers, shapes, costs,
// one parameter arena) → train / evaluate / predict on contiguous batches.
// The spec and compile formats are documented in docs/model-spec.md.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "convolab/json.h"
#include "convolab/layer.h"
#include "convolab/loss.h"
#include "convolab/memory.h"
#include "convolab/optimizer.h"

namespace convolab {

struct LayerTiming {
  double forward_ms = 0;
  double backward_ms = 0;
};

struct Evaluation {
  float loss = 0;
  float accuracy = 0;
};

class Model {
 public:
  // spec: {"inputShape": [H, W, C], "layers": [{"type": ...}, ...]}.
  // Throws Error naming the failing layer before allocating anything big.
  explicit Model(const std::string& spec_json, std::uint64_t seed = 42);
  explicit Model(const Json& spec, std::uint64_t seed = 42);
  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;

  // {"optimizer": {"type": "sgd", "learningRate": 0.01, "momentum": 0.9, "l2": 0},
  //  "loss": "categoricalCrossentropy", "fromLogits": true}. Until compile() is called the model
  // uses SGD and the loss that fits its last activation (softmax or linear:
  // categoricalCrossentropy; sigmoid: binaryCrossentropy; else meanSquaredError).
  // Compiling again replaces the optimizer and its state.
  void compile(const Json& config);
  // The config in force, with the current learning rate.
  Json compile_config() const;
  void set_learning_rate(float lr);
  float learning_rate() const { return optimizer_->learning_rate(); }
  Loss loss() const { return loss_; }
  // Whether the cross-entropy reads the outputs as logits (see compile).
  bool from_logits() const { return from_logits_; }
  Optimizer& optimizer() { return *optimizer_; }

  // One optimizer step on x(N,H,W,C) with integer labels(N, positions) (class
  // indices along the last axis; 0/1 for a single output) or float targets
  // shaped like the output (N, ...output_shape). Returns the mean loss (plus
  // the L2 penalty). NaN or infinite x or targets are refused before the
  // model is touched. When the loss is not finite the update is skipped and
  // Error is thrown, so the weights stay the last good ones.
  float train_batch(const float* x, const std::int32_t* labels, int n);
  float train_batch(const float* x, const float* targets, int n);
  // out(N, ...output_shape): exactly what the layers compute (a linear last
  // layer gives raw outputs; a final softmax gives probabilities).
  void predict(const float* x, int n, float* out);
  // Mean loss (without the L2 penalty) and accuracy, the mean over positions
  // of: argmax match for K > 1, (probability > 0.5) == (target > 0.5) for K == 1.
  Evaluation evaluate(const float* x, const std::int32_t* labels, int n);
  Evaluation evaluate(const float* x, const float* targets, int n);

  const Json& spec() const { return spec_; }
  std::uint64_t seed() const { return seed_; }
  Shape input_shape() const { return input_; }
  // K, the output's last axis (classes for the cross-entropies), and the
  // positions (H*W of the output) at which it repeats.
  int num_classes() const { return output_shape().c; }
  int positions() const { return output_shape().positions(); }
  std::size_t output_size() const { return output_shape().size(); }
  Shape output_shape() const { return layers_.back()->output_shape(); }
  std::size_t num_layers() const { return layers_.size(); }
  // Throws Error naming the layer (1-based) when there is no layer i.
  Layer& layer(std::size_t i);
  const Layer& layer(std::size_t i) const;

  // The trainable parameter arena (what the optimizer updates), layer order,
  // each layer's blocks in order (kernel, bias; gamma, beta).
  std::size_t param_count() const { return values_.size(); }
  float* param_values() { return values_.data(); }
  const float* param_values() const { return values_.data(); }
  const float* param_grads() const { return grads_.data(); }
  // Non-trainable state (BatchNormalization's moving mean / variance).
  std::size_t state_count() const { return state_.size(); }
  float* state_values() { return state_.data(); }
  const float* state_values() const { return state_.data(); }

  // Everything a training step changes: the weights, the non-trainable state
  // and the optimizer's state (momentum, Adam's moments), but not the
  // learning rate, which is the caller's to set. A run that diverges rolls
  // back to one taken earlier (fit's checkpoints).
  struct Snapshot {
    std::vector<float> params, state;
    std::vector<std::vector<float>> optimizer;
    std::uint64_t optimizer_generation = 0;  // which compile's optimizer it holds
    bool taken = false;
  };
  // Copies into s, reusing its buffers (no allocation once sized).
  void take_snapshot(Snapshot& s);
  // Puts s back. The optimizer's part only when the same compile's optimizer
  // still runs (compiling again starts a fresh one, which stays as it is).
  void restore_snapshot(const Snapshot& s);

  // Per-layer weights by 0-based layer index and block index (see
  // layer(i).params() for names and shapes). Throws Error on a bad index or size.
  const ParamBlock& block(std::size_t layer, std::size_t block) const;
  std::vector<float> get_weights(std::size_t layer, std::size_t block) const;
  void set_weights(std::size_t layer, std::size_t block, const float* values, std::size_t count);
  // dL/d(block) of the last train_batch (zeros before any training and for state blocks).
  const float* weight_gradient(std::size_t layer, std::size_t block) const;

  const std::vector<LayerTiming>& timings() const { return timings_; }
  // Output of layer i for the last forward batch (train or predict): (last_batch, OH, OW, OC).
  const float* activation(std::size_t i) const { return acts_.at(i).data(); }
  int last_batch() const { return last_batch_; }
  // dL/d(output of layer i) for the last train_batch: (train_batch_size, OH, OW, OC).
  // For the last layer with a fused softmax/sigmoid it is dL/dlogits.
  const float* gradient(std::size_t i) const { return dacts_.at(i).data(); }
  int last_train_batch() const { return last_train_batch_; }
  // Examples of the last train_batch the model got right, by evaluate's rule,
  // on that step's outputs (before its update); 0 before any training. With
  // positions (a feature map), each example counts the fraction of its
  // positions that are right.
  double last_train_correct() const { return last_train_correct_; }

  // What the model holds at a batch capacity (convolab/memory.h), and the
  // largest batch whose estimate fits memory_limit(); a larger one is refused
  // before anything grows, with a memory Error that gives both numbers.
  MemoryEstimate memory_estimate(int batch) const;
  int max_batch() const;
  // Throws that memory Error (code: "batch-too-large", "input-too-large")
  // unless the model at a batch of `batch` (or its capacity, when larger)
  // plus extra_bytes of the caller's own copies fits; for embedders that copy
  // a call's data in before the engine sees it.
  void check_memory_for(int batch, std::size_t extra_bytes, const char* what, const char* code) const;

  Json summary_json() const;
  std::string summary() const;

  // Versioned binary .clmodel (docs/model-spec.md): spec, compile config,
  // weights, state, optionally the optimizer's state, CRC-32.
  std::vector<std::uint8_t> save(bool with_optimizer = true) const;
  // Validates everything first; returns a complete model or throws Error
  // naming what is wrong (never a half-loaded model).
  static Model load(const std::uint8_t* bytes, std::size_t size);
  static Model load(const std::vector<std::uint8_t>& bytes) { return load(bytes.data(), bytes.size()); }

 private:
  void build();
  void reserve(int n);
  int inference_chunk() const;  // examples predict / evaluate run at a time
  void forward(const float* x, int n, bool training);
  float train_step(const float* x, const float* targets, int n);
  void labels_to_targets(const std::int32_t* labels, int n, const char* what);
  void check_batch(int n, const char* what) const;
  void check_input(const float* x, int n, const char* what) const;
  float accuracy_threshold() const;
  // Loss of the last layer's output against targets; dout may be null.
  float loss_of(const float* out, const float* targets, int n, float* probs, float* dout) const;
  // out(N, K) → what predict returns (softmax / sigmoid applied when fused).
  void to_output(const float* out, int n, float* dst) const;
  Evaluation evaluate_targets(const float* x, const float* targets, int n);

  Json spec_;
  Json compile_;
  std::uint64_t seed_ = 42;
  Shape input_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<float> values_, grads_;             // trainable parameter arena
  std::vector<float> state_;                      // non-trainable state arena
  std::vector<float> state_grads_;                // zeros: the "gradient" of state blocks
  std::vector<float> state_before_step_;          // state_ as it was before the step in progress
  std::vector<std::vector<float>> acts_, dacts_;  // per layer output: (N, OH, OW, OC)
  std::vector<float> probs_;                      // (N, ...output_shape)
  std::vector<float> targets_;                    // (N, ...output_shape) labels expanded
  std::unique_ptr<Optimizer> optimizer_;
  std::uint64_t optimizer_generation_ = 0;  // counts compiles: see Snapshot
  Loss loss_ = Loss::CategoricalCrossentropy;
  Activation fused_ = Activation::Linear;  // final activation the loss applies
  bool from_logits_ = true;
  float l2_ = 0.0f;
  std::vector<LayerTiming> timings_;
  int capacity_ = 0;
  int last_batch_ = 0;
  int last_train_batch_ = 0;
  double last_train_correct_ = 0;
};

}  // namespace convolab
