#pragma once
// ZeroPadding2D: (H, W, C) → (top + H + bottom, left + W + right, C), the
// image in the middle of zeros. 'padding' as tfjs-layers: n (all four
// sides), [h, w] (top = bottom = h, left = right = w) or [[top, bottom],
// [left, right]]; default 1.
#include "convolab/layer.h"

namespace convolab {

class ZeroPadding2D : public Layer {
 public:
  ZeroPadding2D(const LayerOptions& opts, Shape in);

  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  Sides pad_;
};

}  // namespace convolab
