#pragma once
// The activation a Dense or convolution layer ends in (its "activation" and
// "alpha" options). In a layer that ends in a GEMM, linear, ReLU and leaky
// ReLU are applied by the GEMM as it stores its result (the epilogue) and
// sigmoid, tanh and softmax run after it; the other layers apply it in one
// pass after their kernels (forward). When the loss works from logits it
// takes the activation over (set_fused_into_loss) and none is applied here.
#include "convolab/activation.h"
#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"

namespace convolab {

class OutputActivation {
 public:
  OutputActivation() = default;  // linear
  explicit OutputActivation(const LayerOptions& opts);

  Activation declared() const { return act_; }
  void set_fused_into_loss(bool fused) { fused_ = fused; }
  // Whether backward may write dL/d(pre-activation) beside dL/dout: a layer
  // reserves a (N*OH*OW, OC) buffer for it when this is true.
  bool needs_dpre() const { return act_ != Activation::Linear; }

  // The GEMM's epilogue: bias (may be null), and the activation when the
  // kernels can apply it as they store.
  kernels::Epilogue epilogue(const float* bias) const;
  // out(rows, cols) := act(out) for an activation the epilogue left out.
  void finish_forward(float* out, int rows, int cols) const;
  // out(rows, cols) := act(out), for a layer whose kernels apply none.
  void forward(float* out, int rows, int cols) const;
  // dL/d(pre-activation) of out(rows, cols) = act(pre), given dout = dL/dout:
  // dout itself when no activation is applied, otherwise written into
  // dpre(rows, cols) and returned. dout stays intact.
  const float* backward(const float* out, const float* dout, float* dpre, int rows, int cols) const;

 private:
  Activation applied() const { return fused_ ? Activation::Linear : act_; }

  Activation act_ = Activation::Linear;
  float alpha_ = 0.3f;
  bool fused_ = false;
};

}  // namespace convolab
