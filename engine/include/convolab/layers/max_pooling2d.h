#pragma once
// MaxPooling2D: no weights; backward routes each output gradient to the one
// input cell that was the maximum (first in row-major order on ties).
#include <cstdint>
#include <vector>

#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/window.h"

namespace convolab {

class MaxPooling2D : public Layer {
 public:
  MaxPooling2D(const LayerOptions& opts, Shape in);

  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  PaddingSpec padding_;
  kernels::PoolGeometry geo_{};
  std::vector<std::int32_t> argmax_;  // (N, OH, OW, C) flat input index per image
};

}  // namespace convolab
