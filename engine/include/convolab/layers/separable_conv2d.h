#pragma once
// SeparableConv2D as tfjs-layers: a depthwise convolution (depthMultiplier M
// filters per input channel, no bias) then a pointwise 1x1 convolution to
// 'filters' channels, then bias and activation. Weights in tfjs's order:
// depthwiseKernel (KH, KW, C, M), pointwiseKernel (1, 1, C*M, filters), bias (filters).
//   mid(N*OH*OW, C*M) = depthwise(in, depthwiseKernel)
//   out(N*OH*OW, F)   = act(mid * pointwiseKernel(C*M, F) + bias)
#include <vector>

#include "convolab/activated_layer.h"
#include "convolab/conv_options.h"
#include "convolab/kernels_fwd.h"

namespace convolab {

class SeparableConv2D : public ActivatedLayer {
 public:
  SeparableConv2D(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // its per-batch gradients

 private:
  ConvOptions conv_;
  kernels::ConvGeometry geo_{};
  std::vector<float> mid_, dmid_;  // (N*OH*OW, C*M); dpre_ is (N*OH*OW, F)
};

}  // namespace convolab
