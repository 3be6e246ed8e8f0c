#pragma once
// Flatten: (H, W, C) → (1, 1, H*W*C). NHWC is already contiguous in that
// order (the same order Keras flattens in), so this is a copy.
#include "convolab/layer.h"

namespace convolab {

class Flatten : public Layer {
 public:
  Flatten(const LayerOptions& opts, Shape in);
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::size_t buffer_bytes(int) const override { return 0; }  // a copy keeps nothing
};

}  // namespace convolab
