#pragma once
// DepthwiseConv2D, channels-last as tfjs-layers: each input channel is
// convolved with its own depthMultiplier (M) filters; output channel ch*M + m.
// Weights in tfjs's order: depthwiseKernel (KH, KW, C, M), bias (C*M).
//   out(N*OH*OW, C*M) = act(depthwise(in, kernel) + bias)
// Backward: dkernel and din from dL/dpre (kernels::depthwise_*, which read
// the windows in place).
#include "convolab/activated_layer.h"
#include "convolab/conv_options.h"
#include "convolab/kernels_fwd.h"

namespace convolab {

class DepthwiseConv2D : public ActivatedLayer {
 public:
  DepthwiseConv2D(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // its per-batch gradients

 private:
  ConvOptions conv_;
  kernels::ConvGeometry geo_{};  // dpre_ is (N*OH*OW, C*M)
};

}  // namespace convolab
