#pragma once
// GlobalMaxPooling2D: (H, W, C) → (C), the largest value of each channel over
// the whole image; a max pool whose window is the image. Backward routes each
// gradient to that maximum (the first in row-major order on ties, as tfjs).
#include <cstdint>
#include <vector>

#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"

namespace convolab {

class GlobalMaxPooling2D : public Layer {
 public:
  GlobalMaxPooling2D(const LayerOptions& opts, Shape in);

  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;

 private:
  kernels::PoolGeometry geo_{};
  std::vector<std::int32_t> argmax_;  // (N, C) flat input index per image
};

}  // namespace convolab
