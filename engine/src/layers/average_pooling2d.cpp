#include "convolab/layers/average_pooling2d.h"

namespace convolab {

AveragePooling2D::AveragePooling2D(const LayerOptions& opts, Shape in) : Layer("AveragePooling2D", in) {
  int ph, pw, sh, sw;
  opts.get_pair("poolSize", 2, 2, 1, ph, pw);
  opts.get_pair("strides", ph, pw, 1, sh, sw);  // default stride = window, as Keras
  padding_ = read_padding(opts, "valid");
  if (padding_.mode == PaddingSpec::Mode::Explicit)
    opts.fail_option("padding", "padding must be 'valid' or 'same' for pooling");
  Axis y = window_axis(opts, "pool window", in.h, ph, sh, padding_.mode, 0, ph, pw, in);
  Axis x = window_axis(opts, "pool window", in.w, pw, sw, padding_.mode, 0, ph, pw, in);
  geo_ = {in.h, in.w, in.c, ph, pw, sh, sw, y.pad_before, x.pad_before, y.out, x.out};
  out_ = {y.out, x.out, in.c};
}

std::string AveragePooling2D::describe() const {
  return std::to_string(geo_.ph) + "x" + std::to_string(geo_.pw) + " s" + std::to_string(geo_.sh) +
         (geo_.sh == geo_.sw ? "" : "x" + std::to_string(geo_.sw)) + " " + padding_.str();
}

void AveragePooling2D::forward(const float* in, float* out, int n, bool /*training*/) {
  kernels::avg_pool_forward(in, n, geo_, out);
}

void AveragePooling2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (din) kernels::avg_pool_backward_add(dout, n, geo_, din);
}

}  // namespace convolab
