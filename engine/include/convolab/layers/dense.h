#pragma once
// Dense (fully connected): out(N, U) = act(in(N, I) * kernel(I, U) + bias(U)).
// On an input with more than one axis it works on the last one, as
// tfjs-layers: (N, H, W, I) → (N, H, W, U), every position a row of the GEMM.
#include "convolab/activated_layer.h"

namespace convolab {

class Dense : public ActivatedLayer {
 public:
  Dense(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void reserve(int max_batch) override;
  std::size_t workspace_bytes(int max_batch) const override;
  std::size_t buffer_bytes(int max_batch) const override;  // dpre, when the activation needs it
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  int units_;
  int inputs_;
  bool use_bias_;  // dpre_ is (N*H*W, U)
};

}  // namespace convolab
