#pragma once
// A sequential model: spec (JSON) → validated plan (layers, shapes, costs,
// one parameter arena) → train / evaluate / predict on contiguous batches.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "convolab/json.h"
#include "convolab/layer.h"
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

  // {"optimizer": {"type": "sgd", "learningRate": 0.01, "momentum": 0.9},
  //  "loss": "categoricalCrossentropy"}
  void compile(const Json& config);
  void set_learning_rate(float lr);

  // One SGD step on (x(N,H,W,C), labels(N)); returns the mean loss. When the
  // loss is not finite the update is skipped and Error is thrown, so the
  // weights stay the last good ones.
  float train_batch(const float* x, const std::int32_t* labels, int n);
  // probs(N, K) = softmax of the last layer's output.
  void predict(const float* x, int n, float* probs);
  Evaluation evaluate(const float* x, const std::int32_t* labels, int n);

  const Json& spec() const { return spec_; }
  Shape input_shape() const { return input_; }
  int num_classes() const { return static_cast<int>(output_shape().size()); }
  Shape output_shape() const { return layers_.back()->output_shape(); }
  std::size_t num_layers() const { return layers_.size(); }
  Layer& layer(std::size_t i) { return *layers_.at(i); }
  const Layer& layer(std::size_t i) const { return *layers_.at(i); }
  std::size_t param_count() const { return values_.size(); }
  float* param_values() { return values_.data(); }
  const std::vector<LayerTiming>& timings() const { return timings_; }
  // Output of layer i for the last forward batch: (last_batch, OH, OW, OC).
  const float* activation(std::size_t i) const { return acts_.at(i).data(); }
  int last_batch() const { return last_batch_; }

  Json summary_json() const;
  std::string summary() const;

 private:
  void build(std::uint64_t seed);
  void reserve(int n);
  void forward(const float* x, int n, bool training);

  Json spec_;
  Shape input_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<float> values_, grads_;            // parameter arena
  std::vector<std::vector<float>> acts_, dacts_;  // per layer output: (N, OH, OW, OC)
  std::vector<float> probs_;                     // (N, K)
  std::unique_ptr<Optimizer> optimizer_;
  std::vector<LayerTiming> timings_;
  int capacity_ = 0;
  int last_batch_ = 0;
};

}  // namespace convolab
