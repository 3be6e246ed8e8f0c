#pragma once
// Dense (fully connected): out(N, U) = in(N, I) * kernel(I, U) + bias(U).
#include "convolab/activation.h"
#include "convolab/layer.h"

namespace convolab {

class Dense : public Layer {
 public:
  Dense(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

  Activation activation() const { return act_; }
  void set_activation(Activation a) { act_ = a; }

 private:
  int units_;
  int inputs_;
  bool use_bias_;
  Activation act_;
  float alpha_;
};

}  // namespace convolab
