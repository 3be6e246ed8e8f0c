#pragma once
// DepthwiseConv2D, channels-last as tfjs-layers: each input channel is
// convolved with its own depthMultiplier (M) filters; output channel ch*M + m.
// Weights in tfjs's order: depthwiseKernel (KH, KW, C, M), bias (C*M).
//   out(N*OH*OW, C*M) = act(depthwise(in, kernel) + bias)
// Backward: dkernel and din from dL/dpre (kernels::depthwise_*, which read
// the windows in place).
#include <vector>

#include "convolab/activation.h"
#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/window.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

class DepthwiseConv2D : public Layer {
 public:
  DepthwiseConv2D(const LayerOptions& opts, Shape in);

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

  int mult_;
  bool use_bias_;
  PaddingSpec padding_;
  Activation act_;
  bool fused_ = false;
  float alpha_;
  kernels::ConvGeometry geo_{};
  WorkspaceBuffer workspace_;  // the kernels' scratch, shared by forward and backward
  std::vector<float> dpre_;    // (N*OH*OW, C*M)
};

}  // namespace convolab
