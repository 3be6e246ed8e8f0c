#pragma once
// SeparableConv2D as tfjs-layers: a depthwise convolution (depthMultiplier M
// filters per input channel, no bias) then a pointwise 1x1 convolution to
// 'filters' channels, then bias and activation. Weights in tfjs's order:
// depthwiseKernel (KH, KW, C, M), pointwiseKernel (1, 1, C*M, filters), bias (filters).
//   mid(N*OH*OW, C*M) = depthwise(in, depthwiseKernel)
//   out(N*OH*OW, F)   = act(mid * pointwiseKernel(C*M, F) + bias)
#include <vector>

#include "convolab/activation.h"
#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/window.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

class SeparableConv2D : public Layer {
 public:
  SeparableConv2D(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  Activation output_activation() const override { return act_; }
  void set_output_activation_fused(bool fused) override { fused_ = fused; }

  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // its per-batch gradients

 private:
  Activation applied() const { return fused_ ? Activation::Linear : act_; }

  int filters_, mult_;
  bool use_bias_;
  PaddingSpec padding_;
  Activation act_;
  bool fused_ = false;
  float alpha_;
  kernels::ConvGeometry geo_{};
  std::vector<float> mid_, dmid_;  // (N*OH*OW, C*M)
  WorkspaceBuffer workspace_;      // the kernels' scratch, shared by forward and backward
  std::vector<float> dpre_;        // (N*OH*OW, F)
};

}  // namespace convolab
