#pragma once
// The activation layers: Activation ({"activation": "tanh"}), ReLU,
// LeakyReLU ({"alpha": 0.3}) and Softmax (over channels). One element-wise
// (softmax: per-row) function, no weights; the same math as a fused
// activation option.
#include <vector>

#include "convolab/activation.h"
#include "convolab/layer.h"

namespace convolab {

class ActivationLayer : public Layer {
 public:
  ActivationLayer(std::string display, Activation act, const LayerOptions& opts, Shape in);

  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  Activation output_activation() const override { return act_; }
  void set_output_activation_fused(bool fused) override { fused_ = fused; }

 private:
  Activation applied() const { return fused_ ? Activation::Linear : act_; }
  int rows(int n) const { return n * in_.h * in_.w; }

  Activation act_;
  bool fused_ = false;
  float alpha_;
  std::vector<float> dpre_;  // (N*H*W, C)
};

}  // namespace convolab
