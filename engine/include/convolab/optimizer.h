#pragma once
// Optimizers update the whole parameter arena at once: w, g and their state
// are flat arrays of the same length, so each rule is one loop. The update
// rules are TensorFlow.js 4.22's (tfjs-core src/optimizers/*), float32
// arithmetic in the same order, so one step matches tf.train.* to rounding.
#include <memory>
#include <string>
#include <vector>

#include "convolab/json.h"

namespace convolab {

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual const char* name() const = 0;
  // w -= update(g); state is sized on the first step and kept between steps.
  virtual void step(float* w, const float* g, std::size_t n) = 0;
  void set_learning_rate(float lr) { lr_ = lr; }
  float learning_rate() const { return lr_; }
  // The optimizer's state as flat buffers, for save/load: each is empty
  // (before the first step) or as long as the arena; some hold a few scalars.
  virtual std::vector<std::vector<float>*> state() { return {}; }
  // Floats state() holds once sized for an arena of `params` (the memory
  // estimate counts them before the first step sizes them).
  virtual std::size_t state_floats(std::size_t /*params*/) const { return 0; }

 protected:
  float lr_ = 0.01f;
};

// {"type": "sgd"|"momentum"|"adam"|"rmsprop"|"adadelta", "learningRate",
//  "momentum", "useNesterov", "beta1", "beta2", "epsilon", "rho", "decay"};
// throws Error naming the bad option. Defaults are tfjs's (docs/model-spec.md).
std::unique_ptr<Optimizer> make_optimizer(const Json& config);

}  // namespace convolab
