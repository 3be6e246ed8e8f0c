#pragma once
// Dense (fully connected): out(N, U) = act(in(N, I) * kernel(I, U) + bias(U)).
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
  std::vector<float> dpre_;    // (N, U) dL/d(pre-activation)
};

}  // namespace convolab
