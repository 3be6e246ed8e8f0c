// Each optimizer over two steps against the update rule of TensorFlow.js
// (tfjs-core 4.22 src/optimizers), evaluated here in double precision.
#include <cmath>

#include "convolab/optimizer.h"
#include "support.h"

using namespace convolab;

namespace {

const std::vector<float> kW0 = {0.5f, -1.0f, 2.0f};
const std::vector<float> kG1 = {0.1f, -0.3f, 0.02f};
const std::vector<float> kG2 = {-0.2f, 0.05f, 0.4f};

std::vector<float> run(const std::string& config) {
  auto opt = make_optimizer(Json::parse(config));
  std::vector<float> w = kW0;
  opt->step(w.data(), kG1.data(), w.size());
  opt->step(w.data(), kG2.data(), w.size());
  return w;
}

void expect_close(const std::vector<float>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("element " << i);
    CHECK(got[i] == Approx(want[i]).epsilon(1e-5).margin(1e-7));
  }
}

}  // namespace

TEST_CASE("sgd: w -= lr g", "[optimizer]") {
  std::vector<double> want(3);
  for (int i = 0; i < 3; ++i) want[i] = kW0[i] - 0.1 * kG1[i] - 0.1 * kG2[i];
  expect_close(run(R"({"type":"sgd","learningRate":0.1})"), want);
}

TEST_CASE("momentum: a = m a + g; w -= lr a (and Nesterov: w -= lr (g + m a))", "[optimizer]") {
  std::vector<double> plain(3), nesterov(3);
  for (int i = 0; i < 3; ++i) {
    double a = kG1[i];
    plain[i] = kW0[i] - 0.1 * a;
    nesterov[i] = kW0[i] - 0.1 * (kG1[i] + 0.9 * a);
    a = 0.9 * a + kG2[i];
    plain[i] -= 0.1 * a;
    nesterov[i] -= 0.1 * (kG2[i] + 0.9 * a);
  }
  expect_close(run(R"({"type":"momentum","learningRate":0.1,"momentum":0.9})"), plain);
  expect_close(run(R"({"type":"sgd","learningRate":0.1,"momentum":0.9})"), plain);
  expect_close(run(R"({"type":"momentum","learningRate":0.1,"momentum":0.9,"useNesterov":true})"), nesterov);
}

TEST_CASE("adam: bias-corrected moments, epsilon added to sqrt(v_hat)", "[optimizer]") {
  const double lr = 0.01, b1 = 0.8, b2 = 0.95, eps = 1e-3;
  std::vector<double> want(3);
  for (int i = 0; i < 3; ++i) {
    double w = kW0[i], m = 0, v = 0;
    const float gs[2] = {kG1[i], kG2[i]};
    for (int t = 1; t <= 2; ++t) {
      m = b1 * m + (1 - b1) * gs[t - 1];
      v = b2 * v + (1 - b2) * gs[t - 1] * gs[t - 1];
      w -= lr * (m / (1 - std::pow(b1, t))) / (std::sqrt(v / (1 - std::pow(b2, t))) + eps);
    }
    want[i] = w;
  }
  expect_close(run(R"({"type":"adam","learningRate":0.01,"beta1":0.8,"beta2":0.95,"epsilon":0.001})"), want);
}

TEST_CASE("rmsprop: ms = d ms + (1-d) g^2; mom = mu mom + lr g / sqrt(ms + eps); w -= mom", "[optimizer]") {
  const double lr = 0.01, d = 0.9, mu = 0.5, eps = 1e-7;
  std::vector<double> want(3);
  for (int i = 0; i < 3; ++i) {
    double w = kW0[i], ms = 0, mom = 0;
    for (float g : {kG1[i], kG2[i]}) {
      ms = d * ms + (1 - d) * g * g;
      mom = mu * mom + lr * g / std::sqrt(ms + eps);
      w -= mom;
    }
    want[i] = w;
  }
  expect_close(run(R"({"type":"rmsprop","learningRate":0.01,"momentum":0.5})"), want);
}

TEST_CASE("centered rmsprop: mg = d mg + (1-d) g; the root is sqrt(ms - mg^2 + eps), as TensorFlow", "[optimizer]") {
  const double lr = 0.01, d = 0.8, mu = 0.3, eps = 1e-4;
  std::vector<double> want(3);
  for (int i = 0; i < 3; ++i) {
    double w = kW0[i], ms = 0, mg = 0, mom = 0;
    for (float g : {kG1[i], kG2[i]}) {
      ms = d * ms + (1 - d) * g * g;
      mg = d * mg + (1 - d) * g;
      mom = mu * mom + lr * g / std::sqrt(ms - mg * mg + eps);
      w -= mom;
    }
    want[i] = w;
  }
  expect_close(
      run(R"({"type":"rmsprop","learningRate":0.01,"decay":0.8,"momentum":0.3,"epsilon":1e-4,"centered":true})"), want);
  // a zero gradient leaves the weight alone (tfjs 4.22 would make it NaN)
  auto opt = make_optimizer(Json::parse(R"({"type":"rmsprop","centered":true})"));
  std::vector<float> w = {1.5f};
  const float zero = 0.0f;
  opt->step(w.data(), &zero, 1);
  CHECK(w[0] == 1.5f);
}

TEST_CASE("adadelta: tfjs's rule, dividing by the accumulator from before the step", "[optimizer]") {
  const double lr = 1.0, rho = 0.95, eps = 1e-6;
  std::vector<double> want(3);
  for (int i = 0; i < 3; ++i) {
    double w = kW0[i], ag = 0, au = 0;
    for (float g : {kG1[i], kG2[i]}) {
      const double u = std::sqrt(au + eps) / std::sqrt(ag + eps) * g;
      ag = rho * ag + (1 - rho) * g * g;
      au = rho * au + (1 - rho) * u * u;
      w -= lr * u;
    }
    want[i] = w;
  }
  expect_close(run(R"({"type":"adadelta","learningRate":1,"epsilon":1e-6})"), want);
}

TEST_CASE("the learning rate can change between steps", "[optimizer]") {
  auto opt = make_optimizer(Json::parse(R"({"type":"momentum","learningRate":0.1,"momentum":0.5})"));
  std::vector<float> w = {1.0f};
  const float g = 1.0f;
  opt->step(w.data(), &g, 1);  // a = 1, w = 1 - 0.1
  opt->set_learning_rate(0.01f);
  opt->step(w.data(), &g, 1);  // a = 1.5, w -= 0.015
  CHECK(w[0] == Approx(1.0 - 0.1 - 0.015));
}

TEST_CASE("bad optimizer configs are rejected with the option's name", "[optimizer]") {
  CHECK_THROWS_WITH(make_optimizer(Json::parse(R"({"type":"lbfgs"})")), Catch::Contains("unknown type 'lbfgs'"));
  CHECK_THROWS_WITH(make_optimizer(Json::parse(R"({"type":"adam","beta1":1})")),
                    Catch::Contains("'beta1' must be from 0 to below 1"));
  CHECK_THROWS_WITH(make_optimizer(Json::parse(R"({"type":"sgd","learningRate":-1})")),
                    Catch::Contains("'learningRate'"));
  CHECK_THROWS_WITH(make_optimizer(Json::parse(R"({"type":"momentum","useNesterov":"yes"})")),
                    Catch::Contains("'useNesterov' must be true or false"));
  CHECK_THROWS_WITH(make_optimizer(Json::parse(R"({"type":"rmsprop","centered":1})")),
                    Catch::Contains("'centered' must be true or false"));
}
