#include "convolab/layers/zero_padding2d.h"

#include <algorithm>

namespace convolab {

ZeroPadding2D::ZeroPadding2D(const LayerOptions& opts, Shape in) : Layer("ZeroPadding2D", in) {
  opts.require_image(in);
  pad_ = opts.get_sides("padding", 1);
  out_ = {in.h + pad_.top + pad_.bottom, in.w + pad_.left + pad_.right, in.c};
}

std::string ZeroPadding2D::describe() const { return pad_.str(); }

void ZeroPadding2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int c = in_.c;
  std::fill(out, out + static_cast<std::size_t>(n) * out_.size(), 0.0f);
  const std::size_t row = static_cast<std::size_t>(in_.w) * c;
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < in_.h; ++y) {
      const float* src = in + (static_cast<std::size_t>(i) * in_.h + y) * row;
      float* dst = out + ((static_cast<std::size_t>(i) * out_.h + y + pad_.top) * out_.w + pad_.left) * c;
      std::copy(src, src + row, dst);
    }
}

void ZeroPadding2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const int c = in_.c;
  const std::size_t row = static_cast<std::size_t>(in_.w) * c;
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < in_.h; ++y) {
      float* dst = din + (static_cast<std::size_t>(i) * in_.h + y) * row;
      const float* src = dout + ((static_cast<std::size_t>(i) * out_.h + y + pad_.top) * out_.w + pad_.left) * c;
      for (std::size_t j = 0; j < row; ++j) dst[j] += src[j];
    }
}

}  // namespace convolab
