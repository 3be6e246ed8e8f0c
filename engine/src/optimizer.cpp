#include "convolab/optimizer.h"

#include <cmath>
#include <cstdio>

#include "convolab/error.h"

namespace convolab {

namespace {

// tfjs's backend epsilon for float32, the default of adam / rmsprop / adadelta.
constexpr double kTfjsEpsilon = 1e-7;

void size_state(std::vector<float>& s, std::size_t n, float fill = 0.0f) {
  if (s.size() != n) s.assign(n, fill);
}

// tf.train.sgd(lr): w -= lr * g.
class Sgd : public Optimizer {
 public:
  explicit Sgd(float lr) { lr_ = lr; }
  const char* name() const override { return "sgd"; }
  void step(float* w, const float* g, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) w[i] -= lr_ * g[i];
  }
};

// tf.train.momentum(lr, m, useNesterov): a = m*a + g;
//   plain:    w -= lr * a
//   Nesterov: w -= lr * (g + m*a)   (with the new a)
// The first plain step equals SGD (a starts at 0).
class Momentum : public Optimizer {
 public:
  Momentum(float lr, float m, bool nesterov) : m_(m), nesterov_(nesterov) { lr_ = lr; }
  const char* name() const override { return nesterov_ ? "nesterov" : "momentum"; }
  void step(float* w, const float* g, std::size_t n) override {
    size_state(accum_, n);
    for (std::size_t i = 0; i < n; ++i) {
      accum_[i] = m_ * accum_[i] + g[i];
      w[i] += -lr_ * (nesterov_ ? g[i] + accum_[i] * m_ : accum_[i]);
    }
  }
  std::vector<std::vector<float>*> state() override { return {&accum_}; }
  std::size_t state_floats(std::size_t params) const override { return params; }

 private:
  float m_;
  bool nesterov_;
  std::vector<float> accum_;
};

// tf.train.adam(lr, b1, b2, eps): m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
//   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
// b1^t and b2^t are running float32 products (accBeta1/2 in tfjs), started at
// b1, b2 and multiplied after each step. eps is added to sqrt(v_hat), not
// Keras's epsilon-hat form.
class Adam : public Optimizer {
 public:
  Adam(float lr, float b1, float b2, float eps) : b1_(b1), b2_(b2), eps_(eps), acc_{b1, b2} { lr_ = lr; }
  const char* name() const override { return "adam"; }
  void step(float* w, const float* g, std::size_t n) override {
    size_state(m_, n);
    size_state(v_, n);
    const float one_minus_acc1 = 1.0f - acc_[0], one_minus_acc2 = 1.0f - acc_[1];
    const float c1 = 1.0f - b1_, c2 = 1.0f - b2_;
    for (std::size_t i = 0; i < n; ++i) {
      m_[i] = m_[i] * b1_ + g[i] * c1;
      v_[i] = v_[i] * b2_ + g[i] * g[i] * c2;
      const float m_hat = m_[i] / one_minus_acc1, v_hat = v_[i] / one_minus_acc2;
      w[i] += m_hat / (std::sqrt(v_hat) + eps_) * -lr_;
    }
    acc_[0] *= b1_;
    acc_[1] *= b2_;
  }
  std::vector<std::vector<float>*> state() override { return {&m_, &v_, &acc_}; }
  std::size_t state_floats(std::size_t params) const override { return 2 * params + 2; }

 private:
  float b1_, b2_, eps_;
  std::vector<float> acc_;  // {b1^t, b2^t}
  std::vector<float> m_, v_;
};

// tf.train.rmsprop(lr, decay, momentum, eps, centered):
//   ms = decay*ms + (1-decay)*g^2;  mom = momentum*mom + lr*g / sqrt(ms + eps);
//   w -= mom                        (eps inside the square root)
// Centered, the variance replaces the second moment, as TensorFlow and Keras
// compute it: mg = decay*mg + (1-decay)*g; the root is sqrt(ms - mg^2 + eps).
// (tfjs 4.22 subtracts eps there, so a zero gradient gives it a NaN.)
class RmsProp : public Optimizer {
 public:
  RmsProp(float lr, float decay, float momentum, float eps, bool centered)
      : decay_(decay), momentum_(momentum), eps_(eps), centered_(centered) {
    lr_ = lr;
  }
  const char* name() const override { return "rmsprop"; }
  void step(float* w, const float* g, std::size_t n) override {
    size_state(ms_, n);
    size_state(mom_, n);
    if (centered_) size_state(mg_, n);
    const float c = 1.0f - decay_;
    for (std::size_t i = 0; i < n; ++i) {
      ms_[i] = ms_[i] * decay_ + g[i] * g[i] * c;
      float second = ms_[i];
      if (centered_) {
        mg_[i] = mg_[i] * decay_ + g[i] * c;
        second -= mg_[i] * mg_[i];
      }
      mom_[i] = mom_[i] * momentum_ + g[i] * lr_ / std::sqrt(second + eps_);
      w[i] -= mom_[i];
    }
  }
  std::vector<std::vector<float>*> state() override {
    if (centered_) return {&ms_, &mom_, &mg_};
    return {&ms_, &mom_};
  }
  std::size_t state_floats(std::size_t params) const override { return (centered_ ? 3 : 2) * params; }

 private:
  float decay_, momentum_, eps_;
  bool centered_;
  std::vector<float> ms_, mom_, mg_;
};

// tf.train.adadelta(lr, rho, eps), exactly as tfjs 4.22 computes it:
//   update = sqrt(au + eps) / sqrt(ag + eps) * g   (ag BEFORE this step's
//            accumulation: tfjs divides by the old accumulator, unlike the paper)
//   ag = rho*ag + (1-rho)*g^2;  au = rho*au + (1-rho)*update^2;  w -= lr*update
class Adadelta : public Optimizer {
 public:
  Adadelta(float lr, float rho, float eps) : rho_(rho), eps_(eps) { lr_ = lr; }
  const char* name() const override { return "adadelta"; }
  void step(float* w, const float* g, std::size_t n) override {
    size_state(ag_, n);
    size_state(au_, n);
    const float c = 1.0f - rho_;
    for (std::size_t i = 0; i < n; ++i) {
      const float update = std::sqrt(au_[i] + eps_) / std::sqrt(ag_[i] + eps_) * g[i];
      ag_[i] = ag_[i] * rho_ + g[i] * g[i] * c;
      au_[i] = au_[i] * rho_ + update * update * c;
      w[i] += update * -lr_;
    }
  }
  std::vector<std::vector<float>*> state() override { return {&ag_, &au_}; }
  std::size_t state_floats(std::size_t params) const override { return 2 * params; }

 private:
  float rho_, eps_;
  std::vector<float> ag_, au_;
};

double read_number(const Json& c, const char* key, double fallback, double lo, double hi, bool hi_open) {
  if (!c.has(key) || c[key].is_null()) return fallback;
  if (!c[key].is_number())
    throw Error(std::string("optimizer: '") + key + "' must be a number", ErrorKind::Config).with_option(key);
  double v = c[key].as_number();
  if (!(v >= lo && (hi_open ? v < hi : v <= hi))) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "optimizer: '%s' must be from %g to %s%g, got %g", key, lo, hi_open ? "below " : "",
                  hi, v);
    throw Error(buf, ErrorKind::Config).with_option(key).with_value(v);
  }
  return v;
}

bool read_bool(const Json& c, const char* key, bool fallback) {
  if (!c.has(key) || c[key].is_null()) return fallback;
  if (!c[key].is_bool())
    throw Error(std::string("optimizer: '") + key + "' must be true or false", ErrorKind::Config).with_option(key);
  return c[key].as_bool();
}

}  // namespace

std::unique_ptr<Optimizer> make_optimizer(const Json& config) {
  if (config.has("type") && !config["type"].is_string())
    throw Error("optimizer: 'type' must be a string", ErrorKind::Config).with_option("type");
  const std::string type = config["type"].is_string() ? config["type"].as_string() : "sgd";
  auto lr = [&](double fallback) {
    return static_cast<float>(read_number(config, "learningRate", fallback, 1e-12, 100.0, false));
  };
  auto num = [&](const char* key, double fallback, double lo, double hi, bool hi_open) {
    return static_cast<float>(read_number(config, key, fallback, lo, hi, hi_open));
  };
  if (type == "sgd" || type == "momentum") {
    const float m = num("momentum", type == "momentum" ? 0.9 : 0.0, 0.0, 1.0, true);
    const bool nesterov = read_bool(config, "useNesterov", false);
    if (m == 0.0f && !nesterov) return std::make_unique<Sgd>(lr(0.01));
    return std::make_unique<Momentum>(lr(0.01), m, nesterov);
  }
  if (type == "adam")
    return std::make_unique<Adam>(lr(0.001), num("beta1", 0.9, 0.0, 1.0, true), num("beta2", 0.999, 0.0, 1.0, true),
                                  num("epsilon", kTfjsEpsilon, 1e-12, 1.0, false));
  if (type == "rmsprop")
    return std::make_unique<RmsProp>(lr(0.001), num("decay", 0.9, 0.0, 1.0, true), num("momentum", 0.0, 0.0, 1.0, true),
                                     num("epsilon", kTfjsEpsilon, 1e-12, 1.0, false),
                                     read_bool(config, "centered", false));
  if (type == "adadelta")
    return std::make_unique<Adadelta>(lr(0.001), num("rho", 0.95, 0.0, 1.0, true),
                                      num("epsilon", kTfjsEpsilon, 1e-12, 1.0, false));
  throw Error("optimizer: unknown type '" + type + "' (use sgd, momentum, adam, rmsprop or adadelta)",
              ErrorKind::Config)
      .with_option("type")
      .with_value(type);
}

}  // namespace convolab
