#pragma once
// Dense (fully connected): out(N, U) = act(in(N, I) * kernel(I, U) + bias(U)).
// On an input with more than one axis it works on the last one, as
// tfjs-layers: (N, H, W, I) → (N, H, W, U), every position a row of the GEMM.
#include <vector>

#include "convolab/activation.h"
#include "convolab/layer.h"

namespace convolab {

class Dense : public Layer {
 public:
  Dense(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  Activation output_activation() const override { return act_; }
  void set_output_activation_fused(bool fused) override { fused_ = fused; }

 private:
  Activation applied() const { return fused_ ? Activation::Linear : act_; }

  int units_;
  int inputs_;
  bool use_bias_;
  Activation act_;
  bool fused_ = false;
  float alpha_;
  std::vector<float> dpre_;  // (N*H*W, U) dL/d(pre-activation)
};

}  // namespace convolab
