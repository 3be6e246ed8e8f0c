#include "convolab/layers/activation_layer.h"
#include "convolab/workspace_buffer.h"

#include <algorithm>
#include <cstdio>

namespace convolab {

ActivationLayer::ActivationLayer(std::string display, Activation act, const LayerOptions& opts, Shape in)
    : Layer(std::move(display), in), act_(act) {
  alpha_ = static_cast<float>(opts.get_number("alpha", 0.3));
  if (act_ == Activation::LeakyRelu && !(alpha_ > 0.0f)) opts.fail_option("alpha", "'alpha' must be above 0", alpha_);
  out_ = in;
}

std::string ActivationLayer::describe() const {
  if (act_ != Activation::LeakyRelu) return activation_name(act_);
  char buf[40];
  std::snprintf(buf, sizeof buf, "leakyRelu %g", static_cast<double>(alpha_));
  return buf;
}

void ActivationLayer::reserve(int max_batch) {
  const std::size_t need = static_cast<std::size_t>(max_batch) * in_.size();
  grow_exactly(dpre_, need);
}

void ActivationLayer::forward(const float* in, float* out, int n, bool /*training*/) {
  std::copy(in, in + static_cast<std::size_t>(n) * in_.size(), out);
  activation_forward(applied(), alpha_, out, rows(n), in_.c);
}

void ActivationLayer::backward(const float*, const float* out, float* dout, float* din, int n) {
  if (!din) return;
  const float* dpre = activation_backward_to(applied(), alpha_, out, dout, dpre_.data(), rows(n), in_.c);
  const std::size_t count = static_cast<std::size_t>(n) * in_.size();
  for (std::size_t i = 0; i < count; ++i) din[i] += dpre[i];
}

}  // namespace convolab
