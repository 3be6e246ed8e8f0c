// Models of any output shape: predict is the layer stack (no softmax added to
// a linear last layer), losses over the last axis at every position, labels
// per position, accuracy per position, fromLogits, and inputs checked for
// NaN / infinities before they touch the model.
#include <cmath>
#include <limits>

#include "convolab/model.h"
#include "support.h"

using namespace convolab;
using convolab::test::random_vector;

namespace {

// A fully convolutional net: 4x4x2 in, 4x4x3 out (a 1x1 conv: 3 scores per pixel).
const char* kPixelNet = R"({"inputShape":[4,4,2],"layers":[
  {"type":"conv2d","filters":3,"kernelSize":1,"activation":"%ACT%"}]})";

std::string pixel_net(const char* act) {
  std::string s = kPixelNet;
  s.replace(s.find("%ACT%"), 5, act);
  return s;
}

}  // namespace

TEST_CASE("predict returns exactly what a linear last layer computes", "[model][outputs]") {
  Model m(pixel_net("linear"));
  CHECK(m.output_shape() == Shape{4, 4, 3});
  CHECK(m.loss() == Loss::CategoricalCrossentropy);
  CHECK(m.from_logits());
  Rng rng(1);
  auto x = random_vector(2 * 32, rng);
  std::vector<float> y(2 * 48);
  m.predict(x.data(), 2, y.data());
  // out(pixel, k) = sum_c x(pixel, c) kernel(c, k) (bias starts at 0)
  const float* w = m.layer(0).params()[0].value;
  for (int p = 0; p < 32; ++p)
    for (int k = 0; k < 3; ++k) CHECK(y[p * 3 + k] == Approx(x[p * 2] * w[k] + x[p * 2 + 1] * w[3 + k]).margin(1e-6));
}

TEST_CASE("losses run over the last axis at every position", "[model][outputs][loss]") {
  Rng rng(2);
  const int n = 2, positions = 16, k = 3;
  auto x = random_vector(n * 32, rng);
  std::vector<std::int32_t> labels(n * positions);
  for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int32_t>((i * 7) % k);
  std::vector<float> onehot(n * positions * k, 0.0f);
  for (std::size_t i = 0; i < labels.size(); ++i) onehot[i * k + labels[i]] = 1.0f;

  Model m(pixel_net("linear"));
  std::vector<float> z(n * positions * k);
  m.predict(x.data(), n, z.data());
  // categorical: the mean over batch and positions of -log softmax(z)[label]
  double want = 0;
  int right = 0;
  for (int r = 0; r < n * positions; ++r) {
    const float* row = z.data() + r * k;
    double sum = 0;
    for (int j = 0; j < k; ++j) sum += std::exp(static_cast<double>(row[j]));
    want += std::log(sum) - row[labels[r]];
    right += std::max_element(row, row + k) - row == labels[r];
  }
  want /= n * positions;
  const Evaluation e = m.evaluate(x.data(), labels.data(), n);
  CHECK(e.loss == Approx(want).epsilon(1e-5));
  CHECK(e.accuracy == Approx(static_cast<double>(right) / (n * positions)));
  CHECK(m.evaluate(x.data(), onehot.data(), n).loss == Approx(want).epsilon(1e-5));

  // meanSquaredError: the mean over every element
  m.compile(Json::parse(R"({"loss":"meanSquaredError"})"));
  auto t = random_vector(z.size(), rng);
  double mse = 0;
  for (std::size_t i = 0; i < z.size(); ++i) mse += (z[i] - t[i]) * (z[i] - t[i]);
  CHECK(m.evaluate(x.data(), t.data(), n).loss == Approx(mse / z.size()).epsilon(1e-5));

  // binaryCrossentropy from logits: per element
  m.compile(Json::parse(R"({"loss":"binaryCrossentropy"})"));
  CHECK(m.from_logits());
  for (auto& v : t) v = v > 0 ? 1.0f : 0.0f;
  double bce = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    const double p = 1 / (1 + std::exp(-static_cast<double>(z[i])));
    bce -= t[i] * std::log(p) + (1 - t[i]) * std::log(1 - p);
  }
  CHECK(m.evaluate(x.data(), t.data(), n).loss == Approx(bce / z.size()).epsilon(1e-5));

  // integer labels per position train exactly like their one-hot targets
  Model a(pixel_net("softmax"), 5), b(pixel_net("softmax"), 5);
  CHECK(a.train_batch(x.data(), labels.data(), n) == b.train_batch(x.data(), onehot.data(), n));
  CHECK(std::equal(a.param_values(), a.param_values() + a.param_count(), b.param_values()));
  labels[17] = 3;
  CHECK_THROWS_WITH(a.train_batch(x.data(), labels.data(), n),
                    "train: label 3 of example 1, position 1 is outside 0..2");
}

TEST_CASE("fromLogits picks how a cross-entropy reads the outputs; predict never changes", "[model][outputs][loss]") {
  Rng rng(3);
  auto x = random_vector(32, rng);
  Model soft(pixel_net("softmax"), 4);
  CHECK_FALSE(soft.from_logits());
  std::vector<float> p(48);
  soft.predict(x.data(), 1, p.data());
  for (int r = 0; r < 16; ++r) CHECK(p[r * 3] + p[r * 3 + 1] + p[r * 3 + 2] == Approx(1.0));
  // softmax outputs read as logits: the loss applies softmax again (as Keras)
  soft.compile(Json::parse(R"({"loss":"categoricalCrossentropy","fromLogits":true})"));
  std::vector<float> p2(48);
  soft.predict(x.data(), 1, p2.data());
  CHECK(p2 == p);
  std::vector<std::int32_t> labels(16, 1);
  double want = 0;
  for (int r = 0; r < 16; ++r) {
    double sum = 0;
    for (int j = 0; j < 3; ++j) sum += std::exp(static_cast<double>(p[r * 3 + j]));
    want += std::log(sum) - p[r * 3 + 1];
  }
  CHECK(soft.evaluate(x.data(), labels.data(), 1).loss == Approx(want / 16).epsilon(1e-5));
  Model lin(pixel_net("linear"));
  CHECK_THROWS_WITH(lin.compile(Json::parse(R"({"loss":"categoricalCrossentropy","fromLogits":false})")),
                    Catch::Contains("needs probabilities from a final softmax when fromLogits is false"));
}

TEST_CASE("NaN and infinite inputs and targets are refused before the model is touched", "[model][outputs][input]") {
  Model m(pixel_net("linear"), 6);
  m.compile(Json::parse(R"({"loss":"meanSquaredError"})"));
  Rng rng(4);
  auto x = random_vector(2 * 32, rng);
  auto t = random_vector(2 * 48, rng);
  const std::vector<float> w0(m.param_values(), m.param_values() + m.param_count());
  auto x_bad = x;
  x_bad[32 + 2 * 5 + 1] = std::numeric_limits<float>::quiet_NaN();  // example 1, row 1, column 1, channel 1
  CHECK_THROWS_WITH(m.train_batch(x_bad.data(), t.data(), 2),
                    "train: x: example 1, row 1, column 1, channel 1 is NaN; every value must be a finite number");
  x_bad[32 + 2 * 5 + 1] = -std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH(m.predict(x_bad.data(), 2, t.data()),
                    Catch::Contains("predict: x: example 1") && Catch::Contains("is -Infinity"));
  auto t_bad = t;
  t_bad[3 * 4 + 2] = std::numeric_limits<float>::infinity();  // example 0, row 1, column 0, channel 2
  CHECK_THROWS_WITH(m.train_batch(x.data(), t_bad.data(), 2),
                    "train: target: example 0, row 1, column 0, channel 2 is Infinity; every value must be a finite "
                    "number");
  CHECK_THROWS_WITH(m.evaluate(x_bad.data(), t.data(), 2), Catch::Contains("evaluate: x: example 1"));
  CHECK(std::equal(w0.begin(), w0.end(), m.param_values()));
  CHECK(m.last_train_batch() == 0);
  CHECK_THROWS_WITH(m.set_learning_rate(std::numeric_limits<float>::quiet_NaN()),
                    Catch::Contains("the learning rate must be a finite number above 0, got nan"));
  CHECK_THROWS_WITH(m.set_learning_rate(-0.1f), Catch::Contains("must be a finite number above 0, got -0.1"));
}
