#pragma once
// GlobalAveragePooling2D: (H, W, C) → (1, 1, C), the mean of each channel
// over the whole image; an average pool whose window is the image.
#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"

namespace convolab {

class GlobalAveragePooling2D : public Layer {
 public:
  GlobalAveragePooling2D(const LayerOptions& opts, Shape in);

  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;

 private:
  kernels::PoolGeometry geo_{};
};

}  // namespace convolab
