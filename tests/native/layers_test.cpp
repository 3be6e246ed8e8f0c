// Hand-worked forward cases for the element-wise and normalisation layers.
#include <cmath>

#include "support.h"

using namespace convolab;
using convolab::test::BoundLayer;
using convolab::test::layer_from;

TEST_CASE("activation layers compute the textbook functions", "[activation]") {
  std::vector<float> x = {-2.0f, -0.5f, 0.0f, 1.5f}, y(4);
  auto run = [&](const std::string& json) {
    auto l = layer_from(json, {1, 1, 4});
    l->reserve(1);
    l->forward(x.data(), y.data(), 1, false);
    return y;
  };
  CHECK(run(R"({"type":"reLU"})") == std::vector<float>{0, 0, 0, 1.5f});
  CHECK(run(R"({"type":"leakyReLU"})") == std::vector<float>{-0.6f, -0.15f, 0, 1.5f});
  CHECK(run(R"({"type":"leakyReLU","alpha":0.1})") == std::vector<float>{-0.2f, -0.05f, 0, 1.5f});
  auto sig = run(R"({"type":"activation","activation":"sigmoid"})");
  for (int i = 0; i < 4; ++i) CHECK(sig[i] == Approx(1.0 / (1.0 + std::exp(-x[i]))));
  auto th = run(R"({"type":"activation","activation":"tanh"})");
  for (int i = 0; i < 4; ++i) CHECK(th[i] == Approx(std::tanh(x[i])));
  auto sm = run(R"({"type":"softmax"})");
  double z = 0;
  for (float v : x) z += std::exp(v);
  for (int i = 0; i < 4; ++i) CHECK(sm[i] == Approx(std::exp(x[i]) / z));
  CHECK(run(R"({"type":"activation","activation":"linear"})") == x);
  CHECK_THROWS_WITH(layer_from(R"({"type":"activation"})", {1, 1, 4}),
                    Catch::Contains("layer 1 (Activation): 'activation' is required"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"leakyReLU","alpha":0})", {1, 1, 4}),
                    Catch::Contains("'alpha' must be above 0"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"dense","units":2,"activation":"leakyRelu","alpha":-1})", {1, 1, 4}),
                    "layer 1 (Dense): 'alpha' must be above 0");
}

TEST_CASE("Dropout is inverted, seeded, and the identity at inference", "[dropout]") {
  auto l = layer_from(R"({"type":"dropout","rate":0.25})", {1, 1, 4000});
  l->reserve(1);
  l->set_seed(9);
  std::vector<float> x(4000, 2.0f), y(4000), y2(4000);
  l->forward(x.data(), y.data(), 1, true);
  int kept = 0;
  for (float v : y) {
    CHECK((v == 0.0f || v == Approx(2.0f / 0.75f)));
    kept += v != 0.0f;
  }
  CHECK(kept > 2850);  // 3000 expected; 3 sd ≈ 82
  CHECK(kept < 3150);
  l->set_seed(9);
  l->forward(x.data(), y2.data(), 1, true);
  CHECK(y == y2);  // same seed, same mask
  l->forward(x.data(), y2.data(), 1, false);
  CHECK(y2 == x);
  CHECK_THROWS_WITH(layer_from(R"({"type":"dropout","rate":1})", {1, 1, 4}),
                    Catch::Contains("'rate' must be at least 0 and below 1"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"dropout"})", {1, 1, 4}), Catch::Contains("'rate' is required"));
}

TEST_CASE("BatchNormalization uses batch statistics in training and moving averages at inference", "[batchnorm]") {
  Rng rng(1);
  BoundLayer bl(layer_from(R"({"type":"batchNormalization","momentum":0.5,"epsilon":0.001})", {1, 1, 2}), rng);
  auto& p = bl.layer->params();
  REQUIRE(p.size() == 4);
  CHECK(p[0].name == "gamma");
  CHECK(p[2].name == "movingMean");
  CHECK_FALSE(p[2].trainable);
  const float gamma[2] = {2.0f, 1.0f}, beta[2] = {0.5f, -1.0f};
  for (int c = 0; c < 2; ++c) {
    p[0].value[c] = gamma[c];
    p[1].value[c] = beta[c];
    p[2].value[c] = 0.0f;
    p[3].value[c] = 1.0f;
  }
  // channel 0: {1, 3} mean 2 var 1; channel 1: {10, 10} mean 10 var 0
  std::vector<float> x = {1, 10, 3, 10}, y(4);
  bl.layer->reserve(2);
  bl.layer->forward(x.data(), y.data(), 2, true);
  const float s0 = 1.0f / std::sqrt(1.0f + 0.001f);
  CHECK(y[0] == Approx(2.0f * -1.0f * s0 + 0.5f));
  CHECK(y[2] == Approx(2.0f * 1.0f * s0 + 0.5f));
  CHECK(y[1] == Approx(-1.0f));
  // moving = moving - (moving - batch) * (1 - momentum)
  CHECK(p[2].value[0] == Approx(1.0f));
  CHECK(p[2].value[1] == Approx(5.0f));
  CHECK(p[3].value[0] == Approx(1.0f));
  CHECK(p[3].value[1] == Approx(0.5f));
  bl.layer->forward(x.data(), y.data(), 2, false);
  CHECK_THROWS_WITH(layer_from(R"({"type":"batchNormalization","scale":"no"})", {1, 1, 2}),
                    Catch::Contains("layer 1 (BatchNormalization): 'scale' must be"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"batchNormalization","axis":1})", {1, 1, 2}),
                    Catch::Contains("only 'axis': -1"));
  CHECK(y[0] == Approx(2.0f * (1.0f - 1.0f) / std::sqrt(1.001f) + 0.5f));
  CHECK(y[1] == Approx((10.0f - 5.0f) / std::sqrt(0.501f) - 1.0f));
}

TEST_CASE("BatchNormalization without scale has no gamma (1), without center no beta (0)", "[batchnorm]") {
  Rng rng(1);
  const std::vector<float> x = {1, 10, 3, 10};
  const float s0 = 1.0f / std::sqrt(1.0f + 0.001f);
  {
    BoundLayer bl(layer_from(R"({"type":"batchNormalization","scale":false})", {1, 1, 2}), rng);
    auto& p = bl.layer->params();
    REQUIRE(p.size() == 3);
    CHECK(p[0].name == "beta");
    CHECK(p[1].name == "movingMean");
    p[0].value[0] = 0.5f;
    p[1].value[1] = 0.0f;
    std::vector<float> y(4);
    bl.layer->reserve(2);
    bl.layer->forward(x.data(), y.data(), 2, true);
    CHECK(y[0] == Approx(-1.0f * s0 + 0.5f));
    CHECK(p[1].value[1] == Approx(0.1f));  // moving mean 0 -> 0.99*0 + 0.01*10
  }
  {
    BoundLayer bl(layer_from(R"({"type":"batchNormalization","center":false,"scale":false})", {1, 1, 2}), rng);
    auto& p = bl.layer->params();
    REQUIRE(p.size() == 2);
    CHECK(p[0].name == "movingMean");
    CHECK(p[1].name == "movingVariance");
    std::vector<float> y(4);
    bl.layer->reserve(2);
    bl.layer->forward(x.data(), y.data(), 2, true);
    CHECK(y[0] == Approx(-1.0f * s0));
    CHECK(y[2] == Approx(1.0f * s0));
  }
}

TEST_CASE("initialisers follow Keras and the seed", "[init]") {
  auto l =
      layer_from(R"({"type":"dense","units":50,"kernelInitializer":"heNormal","biasInitializer":"ones"})", {1, 1, 200});
  CHECK(l->params()[0].init == Init::HeNormal);
  CHECK(l->params()[1].init == Init::Ones);
  CHECK_THROWS_WITH(layer_from(R"({"type":"dense","units":5,"kernelInitializer":"orthogonal"})", {1, 1, 4}),
                    Catch::Contains("layer 1 (Dense): 'kernelInitializer': unknown initializer 'orthogonal'"));
}
