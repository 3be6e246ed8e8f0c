#include "convolab/layers/global_max_pooling2d.h"
#include "convolab/workspace_buffer.h"

namespace convolab {

GlobalMaxPooling2D::GlobalMaxPooling2D(const LayerOptions& opts, Shape in) : Layer("GlobalMaxPooling2D", in) {
  opts.require_image(in);
  geo_ = {in.h, in.w, in.c, in.h, in.w, in.h, in.w, 0, 0, 1, 1};
  out_ = flat_shape(in.c);
}

void GlobalMaxPooling2D::reserve(int max_batch) {
  const std::size_t need = static_cast<std::size_t>(max_batch) * out_.size();
  grow_exactly(argmax_, need);
}

void GlobalMaxPooling2D::forward(const float* in, float* out, int n, bool /*training*/) {
  kernels::max_pool_forward(in, n, geo_, out, argmax_.data());
}

void GlobalMaxPooling2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (din) kernels::max_pool_backward_add(dout, argmax_.data(), n, geo_, din);
}

}  // namespace convolab
