#pragma once
// UpSampling2D: (H, W, C) → (H*SH, W*SW, C), 'size' n or [sh, sw] (default
// 2). 'interpolation' as tfjs-layers computes it (tf.image.resize* without
// align corners or half-pixel centres): output row y reads source row
// s = y * (H / (H*SH)):
//   nearest:  in[floor(s)]
//   bilinear: in[floor(s)] * (1 - f) + in[min(floor(s) + 1, H - 1)] * f, f = s - floor(s)
// and the same along columns. Keras 2 (tf.image.resize, half-pixel centres)
// samples at (y + 0.5) / SH - 0.5 instead, so its bilinear output differs.
// Backward is the exact adjoint (each output gradient spread back with the
// same weights).
#include <vector>

#include "convolab/layer.h"

namespace convolab {

class UpSampling2D : public Layer {
 public:
  UpSampling2D(const LayerOptions& opts, Shape in);

  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  // Where one output row (or column) reads from: two source indices and the
  // weight of the second.
  struct Tap {
    int lo, hi;
    float frac;
  };
  static std::vector<Tap> taps(int in, int out, bool bilinear);

  int sh_, sw_;
  bool bilinear_;
  std::vector<Tap> rows_, cols_;  // (OH), (OW)
};

}  // namespace convolab
