#include "convolab/layers/max_pooling2d.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

MaxPooling2D::MaxPooling2D(const LayerOptions& opts, Shape in) : Layer("MaxPooling2D", in) {
  opts.require_image(in);
  int ph, pw, sh, sw;
  opts.get_pair("poolSize", 2, 2, 1, ph, pw);
  opts.get_pair("strides", ph, pw, 1, sh, sw);  // default stride = window, as Keras
  padding_ = read_padding(opts, "valid");
  Axis y = window_axis(opts, "pool window", in.h, ph, sh, padding_.mode, padding_.ph, ph, pw, in);
  Axis x = window_axis(opts, "pool window", in.w, pw, sw, padding_.mode, padding_.pw, ph, pw, in);
  geo_ = {in.h, in.w, in.c, ph, pw, sh, sw, y.pad_before, x.pad_before, y.out, x.out};
  out_ = {y.out, x.out, in.c};
}

std::string MaxPooling2D::describe() const {
  return std::to_string(geo_.ph) + "x" + std::to_string(geo_.pw) + " s" + std::to_string(geo_.sh) + " " +
         padding_.str();
}

void MaxPooling2D::reserve(int max_batch) {
  std::size_t need = static_cast<std::size_t>(max_batch) * out_.size();
  grow_exactly(argmax_, need);
}

void MaxPooling2D::forward(const float* in, float* out, int n, bool /*training*/) {
  kernels::max_pool_forward(in, n, geo_, out, argmax_.data());
}

void MaxPooling2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (din) kernels::max_pool_backward_add(dout, argmax_.data(), n, geo_, din);
}

}  // namespace convolab
