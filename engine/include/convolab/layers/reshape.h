#pragma once
// Reshape: the same values in a new shape, 'targetShape' (required, as
// tfjs-layers) of 1 to 3 axes, at most one of them -1 (inferred). Row-major
// order is kept, so forward and backward are copies.
#include "convolab/layer.h"

namespace convolab {

class Reshape : public Layer {
 public:
  Reshape(const LayerOptions& opts, Shape in);
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override { return "to " + out_.str(); }
};

}  // namespace convolab
