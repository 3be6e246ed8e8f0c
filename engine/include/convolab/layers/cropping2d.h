#pragma once
// Cropping2D: (H, W, C) → (H - top - bottom, W - left - right, C), the
// image with rows and columns cut from its edges. 'cropping' (required, as
// tfjs-layers): n, [h, w] or [[top, bottom], [left, right]]. Something must
// be left: tfjs builds a 0-sized output there, Convolab refuses it.
#include "convolab/layer.h"

namespace convolab {

class Cropping2D : public Layer {
 public:
  Cropping2D(const LayerOptions& opts, Shape in);

  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  Sides crop_;
};

}  // namespace convolab
