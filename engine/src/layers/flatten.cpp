#include "convolab/layers/flatten.h"

#include <algorithm>

namespace convolab {

Flatten::Flatten(const LayerOptions& opts, Shape in) : Layer("Flatten", in) {
  opts.require_rank_at_least(in, 2);  // tfjs: a flat input has nothing to flatten
  out_ = flat_shape(static_cast<int>(in.size()));
}

void Flatten::forward(const float* in, float* out, int n, bool) {
  std::copy(in, in + static_cast<std::size_t>(n) * in_.size(), out);
}

void Flatten::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const std::size_t count = static_cast<std::size_t>(n) * in_.size();
  for (std::size_t i = 0; i < count; ++i) din[i] += dout[i];
}

}  // namespace convolab
