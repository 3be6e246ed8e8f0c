#pragma once
// Optimizers update the whole parameter arena at once: w, g and their state
// are flat arrays of the same length, so each rule is one loop.
#include <memory>
#include <string>
#include <vector>

#include "convolab/json.h"

namespace convolab {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* name() const = 0;
  // w -= update(g); state is sized on first use and kept between steps.
  virtual void step(float* w, const float* g, std::size_t n) = 0;
  void set_learning_rate(float lr) { lr_ = lr; }
  float learning_rate() const { return lr_; }

 protected:
  float lr_ = 0.01f;
};

// {"type": "sgd", "learningRate": 0.01, "momentum": 0.9}; throws Error.
std::unique_ptr<Optimizer> make_optimizer(const Json& config);

}  // namespace convolab
