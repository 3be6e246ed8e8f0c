#pragma once
// Dropout (inverted, as Keras): in training each value is kept with
// probability 1 - rate and scaled by 1 / (1 - rate), so inference is the
// identity. The mask comes from the layer's own seeded RNG.
#include <vector>

#include "convolab/layer.h"
#include "convolab/rng.h"

namespace convolab {

class Dropout : public Layer {
 public:
  Dropout(const LayerOptions& opts, Shape in);

  void reserve(int max_batch) override;
  void forward(const float* in, float* out, int n, bool training) override;
  void backward(const float* in, const float* out, float* dout, float* din, int n) override;
  std::string describe() const override;
  void set_seed(std::uint64_t seed) override { rng_ = Rng(seed); }

 private:
  float rate_;
  Rng rng_;
  bool masked_ = false;      // the last forward was a training one
  std::vector<float> mask_;  // (N, H, W, C): 0 or 1 / (1 - rate)
};

}  // namespace convolab
