#include "convolab/layers/cropping2d.h"

#include <algorithm>

namespace convolab {

Cropping2D::Cropping2D(const LayerOptions& opts, Shape in) : Layer("Cropping2D", in) {
  opts.require_image(in);
  if (!opts.has("cropping"))
    opts.fail_option("cropping", "'cropping' is required (n, [h, w] or [[top, bottom], [left, right]])");
  crop_ = opts.get_sides("cropping", 0);
  const int h = in.h - crop_.top - crop_.bottom, w = in.w - crop_.left - crop_.right;
  if (h < 1 || w < 1)
    opts.fail_option("cropping", "cropping " + crop_.str() + " leaves nothing of a " + std::to_string(in.h) + "x" +
                                     std::to_string(in.w) + " input");
  out_ = {h, w, in.c};
}

std::string Cropping2D::describe() const { return crop_.str(); }

void Cropping2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int c = in_.c;
  const std::size_t row = static_cast<std::size_t>(out_.w) * c;
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < out_.h; ++y) {
      const float* src = in + ((static_cast<std::size_t>(i) * in_.h + y + crop_.top) * in_.w + crop_.left) * c;
      std::copy(src, src + row, out + (static_cast<std::size_t>(i) * out_.h + y) * row);
    }
}

void Cropping2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const int c = in_.c;
  const std::size_t row = static_cast<std::size_t>(out_.w) * c;
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < out_.h; ++y) {
      float* dst = din + ((static_cast<std::size_t>(i) * in_.h + y + crop_.top) * in_.w + crop_.left) * c;
      const float* src = dout + (static_cast<std::size_t>(i) * out_.h + y) * row;
      for (std::size_t j = 0; j < row; ++j) dst[j] += src[j];
    }
}

}  // namespace convolab
