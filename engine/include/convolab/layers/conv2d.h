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
#include <vector>

#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/output_activation.h"
#include "convolab/window.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

class Conv2D : public Layer {
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
  Activation output_activation() const override { return act_.declared(); }
  void set_output_activation_fused(bool fused) override { act_.set_fused_into_loss(fused); }

 private:
  bool pointwise() const;

  int filters_;
  bool use_bias_;
  PaddingSpec padding_;
  OutputActivation act_;
  kernels::ConvGeometry geo_{};
  WorkspaceBuffer workspace_;  // the kernels' scratch, shared by forward and backward
  std::vector<float> dpre_;    // (N*OH*OW, OC) dL/d(pre-activation); dout stays intact
};

}  // namespace convolab
