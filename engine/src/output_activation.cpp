#include "convolab/output_activation.h"

#include <algorithm>

namespace convolab {

namespace {

// The activations a GEMM can apply as it stores its result.
bool epilogue_can_apply(Activation a) {
  return a == Activation::Linear || a == Activation::Relu || a == Activation::LeakyRelu;
}

kernels::Act kernel_act(Activation a) {
  return a == Activation::Relu        ? kernels::Act::Relu
         : a == Activation::LeakyRelu ? kernels::Act::LeakyRelu
                                      : kernels::Act::Linear;
}

}  // namespace

OutputActivation::OutputActivation(const LayerOptions& opts) {
  act_ = opts.get_activation("activation", "linear");
  alpha_ = static_cast<float>(opts.get_number("alpha", 0.3));
  // backward reads the slope from the output's sign, which needs alpha > 0
  if (act_ == Activation::LeakyRelu && !(alpha_ > 0.0f)) opts.fail_option("alpha", "'alpha' must be above 0", alpha_);
}

kernels::Epilogue OutputActivation::epilogue(const float* bias) const {
  kernels::Epilogue ep;
  ep.bias = bias;
  const Activation act = applied();
  if (epilogue_can_apply(act)) {
    ep.act = kernel_act(act);
    ep.alpha = alpha_;
  }
  return ep;
}

void OutputActivation::finish_forward(float* out, int rows, int cols) const {
  const Activation act = applied();
  if (!epilogue_can_apply(act)) activation_forward(act, alpha_, out, rows, cols);
}

void OutputActivation::forward(float* out, int rows, int cols) const {
  activation_forward(applied(), alpha_, out, rows, cols);
}

const float* OutputActivation::backward(const float* out, const float* dout, float* dpre, int rows, int cols) const {
  const Activation act = applied();
  if (act == Activation::Linear) return dout;
  const std::size_t count = static_cast<std::size_t>(rows) * cols;
  if (epilogue_can_apply(act)) {
    // one pass that writes beside dout
    kernels::act_backward(kernel_act(act), alpha_, out, dout, dpre, count);
  } else {
    std::copy(dout, dout + count, dpre);
    activation_backward(act, alpha_, out, dpre, rows, cols);
  }
  return dpre;
}

}  // namespace convolab
