#pragma once
// BatchNormalization over the channel axis, as tfjs-layers (axis -1):
//   training:  y = gamma * (x - mean_B) / sqrt(var_B + eps) + beta, with the
//              batch's per-channel mean and (biased) variance over N*H*W, and
//              moving = moving - (moving - batch) * (1 - momentum);
//   inference: the same with the moving mean and variance.
// Blocks, in tfjs order: gamma (unless scale: false), beta (unless center:
// false), both trainable, then movingMean, movingVariance (state, no gradient).
#include <vector>

#include "convolab/layer.h"

namespace convolab {

class BatchNormalization : public Layer {
 public:
  BatchNormalization(const LayerOptions& opts, Shape in);

  std::uint64_t macs() const override { return in_.size(); }
  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;

 private:
  float momentum_, epsilon_;
  int gamma_ = -1, beta_ = -1;                      // block indices; -1: not learned
  int moving_mean_ = -1, moving_var_ = -1;          // block indices of the state
  std::vector<float> ones_, zeros_, scratch_grad_;  // (C) stand-ins for a missing gamma / beta
  bool batch_stats_ = false;                        // the last forward used batch statistics
  std::vector<float> xhat_;                         // (N*H*W, C) normalised input of the last training batch
  std::vector<float> inv_std_;                      // (C) 1/sqrt(var + eps) of the last forward
  // (C) per-channel sums, in double: forward's batch mean and sum of squared
  // deviations from it, backward's sum(dy) and sum(dy * xhat).
  std::vector<double> batch_mean_, sq_dev_sum_, dy_sum_, dy_xhat_sum_;
};

}  // namespace convolab
