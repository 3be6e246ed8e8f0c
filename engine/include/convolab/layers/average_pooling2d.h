#pragma once
// AveragePooling2D: no weights; each output is the mean of the window's
// in-bounds cells (with 'same' padding a border window averages fewer cells,
// as TensorFlow does); backward spreads the gradient evenly over them.
#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/window.h"

namespace convolab {

class AveragePooling2D : public Layer {
 public:
  AveragePooling2D(const LayerOptions& opts, Shape in);

  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  PaddingSpec padding_;
  kernels::PoolGeometry geo_{};
};

}  // namespace convolab
