#pragma once
// Dense (fully connected): out(N, U) = act(in(N, I) * kernel(I, U) + bias(U)).
// On an input with more than one axis it works on the last one, as
// tfjs-layers: (N, H, W, I) → (N, H, W, U), every position a row of the GEMM.
#include <vector>

#include "convolab/layer.h"
#include "convolab/output_activation.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

class Dense : public Layer {
 public:
  Dense(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // dpre, when the activation needs it
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  Activation output_activation() const override { return act_.declared(); }
  void set_output_activation_fused(bool fused) override { act_.set_fused_into_loss(fused); }

 private:
  int units_;
  int inputs_;
  bool use_bias_;
  OutputActivation act_;
  WorkspaceBuffer workspace_;  // the kernels' scratch, shared by forward and backward
  std::vector<float> dpre_;    // (N*H*W, U) dL/d(pre-activation)
};

}  // namespace convolab
