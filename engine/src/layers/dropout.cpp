#include "convolab/layers/dropout.h"
#include "convolab/workspace_buffer.h"

#include <algorithm>
#include <cstdio>

namespace convolab {

Dropout::Dropout(const LayerOptions& opts, Shape in) : Layer("Dropout", in) {
  const double rate = opts.get_number("rate", -1.0);
  if (!opts.has("rate"))
    opts.fail_option("rate", "'rate' is required (the fraction of values to drop, from 0 to below 1)");
  if (rate < 0.0 || rate >= 1.0) opts.fail_option("rate", "'rate' must be at least 0 and below 1", rate);
  rate_ = static_cast<float>(rate);
  out_ = in;
}

std::string Dropout::describe() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "rate %g", static_cast<double>(rate_));
  return buf;
}

void Dropout::reserve(int max_batch) {
  const std::size_t need = static_cast<std::size_t>(max_batch) * in_.size();
  grow_exactly(mask_, need);
}

void Dropout::forward(const float* in, float* out, int n, bool training) {
  const std::size_t count = static_cast<std::size_t>(n) * in_.size();
  masked_ = training && rate_ > 0.0f;
  if (!masked_) {
    std::copy(in, in + count, out);
    return;
  }
  const float scale = 1.0f / (1.0f - rate_);
  for (std::size_t i = 0; i < count; ++i) {
    mask_[i] = rng_.uniform() >= rate_ ? scale : 0.0f;
    out[i] = in[i] * mask_[i];
  }
}

void Dropout::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const std::size_t count = static_cast<std::size_t>(n) * in_.size();
  if (!masked_) {
    for (std::size_t i = 0; i < count; ++i) din[i] += dout[i];
    return;
  }
  for (std::size_t i = 0; i < count; ++i) din[i] += dout[i] * mask_[i];
}

}  // namespace convolab
