#include "convolab/layers/global_average_pooling2d.h"

namespace convolab {

GlobalAveragePooling2D::GlobalAveragePooling2D(const LayerOptions& opts, Shape in)
    : Layer("GlobalAveragePooling2D", in) {
  opts.require_image(in);
  geo_ = {in.h, in.w, in.c, in.h, in.w, in.h, in.w, 0, 0, 1, 1};
  out_ = flat_shape(in.c);
}

void GlobalAveragePooling2D::forward(const float* in, float* out, int n, bool /*training*/) {
  kernels::avg_pool_forward(in, n, geo_, out);
}

void GlobalAveragePooling2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (din) kernels::avg_pool_backward_add(dout, n, geo_, din);
}

}  // namespace convolab
