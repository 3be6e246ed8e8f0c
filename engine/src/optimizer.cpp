#include "convolab/optimizer.h"

#include <cmath>

#include "convolab/error.h"

namespace convolab {

namespace {

// tf.train.sgd: w -= lr * g.  tf.train.momentum(lr, m): a = m*a + g; w -= lr*a.
class Sgd : public Optimizer {
 public:
  Sgd(float lr, float momentum) : momentum_(momentum) { lr_ = lr; }
  const char* name() const override { return momentum_ > 0 ? "momentum" : "sgd"; }
  void step(float* w, const float* g, std::size_t n) override {
    if (momentum_ == 0.0f) {
      for (std::size_t i = 0; i < n; ++i) w[i] -= lr_ * g[i];
      return;
    }
    if (velocity_.size() != n) velocity_.assign(n, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
      velocity_[i] = momentum_ * velocity_[i] + g[i];
      w[i] -= lr_ * velocity_[i];
    }
  }

 private:
  float momentum_;
  std::vector<float> velocity_;
};

double read_number(const Json& c, const char* key, double fallback, double lo, double hi) {
  if (!c.has(key) || c[key].is_null()) return fallback;
  if (!c[key].is_number()) throw Error(std::string("optimizer: '") + key + "' must be a number");
  double v = c[key].as_number();
  if (!(v >= lo && v <= hi))
    throw Error(std::string("optimizer: '") + key + "' must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v;
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const Json& config) {
  std::string type = config["type"].is_string() ? config["type"].as_string() : "sgd";
  double lr = read_number(config, "learningRate", 0.01, 1e-9, 100.0);
  if (type == "sgd" || type == "momentum") {
    double m = read_number(config, "momentum", type == "momentum" ? 0.9 : 0.0, 0.0, 0.9999);
    return std::make_unique<Sgd>(static_cast<float>(lr), static_cast<float>(m));
  }
  throw Error("optimizer: unknown type '" + type + "' (use sgd or momentum)");
}

}  // namespace convolab
