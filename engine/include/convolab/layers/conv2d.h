#pragma once
// Conv2D, channels-last, as Keras: kernel (KH, KW, C, OC), bias (OC).
// Forward is one GEMM over the whole batch, with bias and ReLU / leaky ReLU
// applied as the GEMM stores:
//   out(N*OH*OW, OC) = act(cols(N*OH*OW, KH*KW*C) * kernel(KH*KW*C, OC) + bias)
// where cols = im2col(in) is read in place by the kernels (implicit GEMM) or
// built in the workspace where that is faster; a 1x1 stride-1 conv uses in
// as cols.
// Backward: dkernel += cols^T * dout (the same way); din += col2im(dout * kernel^T),
// which for stride 1 the kernels compute as a conv of dout with the flipped kernel.
#include "convolab/activated_layer.h"
#include "convolab/conv_options.h"
#include "convolab/kernels_fwd.h"

namespace convolab {

class Conv2D : public ActivatedLayer {
 public:
  Conv2D(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // dpre, when the activation needs it
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  const kernels::ConvGeometry& geometry() const { return geo_; }

 private:
  bool pointwise() const;

  ConvOptions conv_;
  kernels::ConvGeometry geo_{};  // dpre_ is (N*OH*OW, OC)
};

}  // namespace convolab
