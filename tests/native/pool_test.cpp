// Pooling forward against naive loops over a grid of configurations, and
// hand-worked cases for TensorFlow's 'same' rule (average over real cells).
#include <limits>

#include "support.h"

using namespace convolab;
using convolab::test::layer_from;

namespace {

// The window of output (oy, ox) starts at oy*s - pad_before; 'same' puts
// floor(P/2) before, P = max(0, (out-1)*s + k - in).
int pad_before(int in, int k, int s, bool same, int out) {
  if (!same) return 0;
  return std::max(0, (out - 1) * s + k - in) / 2;
}

std::vector<float> naive_pool(const std::vector<float>& x, int n, Shape in, int kh, int kw, int sh, int sw, bool same,
                              Shape out, bool average) {
  const int pt = pad_before(in.h, kh, sh, same, out.h), pl = pad_before(in.w, kw, sw, same, out.w);
  std::vector<float> y(static_cast<std::size_t>(n) * out.size());
  for (int i = 0; i < n; ++i)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox)
        for (int c = 0; c < in.c; ++c) {
          double best = -std::numeric_limits<double>::infinity(), sum = 0.0;
          int count = 0;
          for (int ky = 0; ky < kh; ++ky)
            for (int kx = 0; kx < kw; ++kx) {
              const int iy = oy * sh + ky - pt, ix = ox * sw + kx - pl;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              const double v = x[((static_cast<std::size_t>(i) * in.h + iy) * in.w + ix) * in.c + c];
              best = std::max(best, v);
              sum += v;
              ++count;
            }
          y[((static_cast<std::size_t>(i) * out.h + oy) * out.w + ox) * out.c + c] =
              static_cast<float>(average ? sum / count : best);
        }
  return y;
}

}  // namespace

TEST_CASE("max and average pooling forward match naive loops over a grid", "[pool]") {
  Rng rng(3);
  int configs = 0;
  for (const char* type : {"maxPooling2d", "averagePooling2d"})
    for (Shape in : {Shape{7, 7, 2}, Shape{8, 9, 3}, Shape{5, 4, 1}})
      for (int k = 1; k <= 3; ++k)
        for (int s = 1; s <= 3; ++s)
          for (bool same : {false, true}) {
            const int kw = k == 3 ? 2 : k;  // also a non-square window
            const std::string json = std::string("{\"type\":\"") + type + "\",\"poolSize\":[" + std::to_string(k) +
                                     "," + std::to_string(kw) + "],\"strides\":" + std::to_string(s) +
                                     ",\"padding\":\"" + (same ? "same" : "valid") + "\"}";
            auto layer = layer_from(json, in);
            const Shape out = layer->output_shape();
            const int n = 2;
            auto x = convolab::test::random_vector(static_cast<std::size_t>(n) * in.size(), rng);
            std::vector<float> y(static_cast<std::size_t>(n) * out.size());
            layer->reserve(n);
            layer->forward(x.data(), y.data(), n, false);
            auto ref = naive_pool(x, n, in, k, kw, s, s, same, out, std::string(type) == "averagePooling2d");
            INFO(json << " on " << in.str());
            REQUIRE(ref.size() == y.size());
            for (std::size_t i = 0; i < y.size(); ++i) CHECK(y[i] == Approx(ref[i]).margin(1e-6));
            ++configs;
          }
  CHECK(configs == 108);
}

TEST_CASE("'same' average pooling divides by the real cells, as TensorFlow", "[pool]") {
  // 3x3 input 1..9, 2x2 windows stride 2 'same': out 2x2, pad 1 bottom/right.
  // windows: {1,2,4,5} → 3; {3,6} → 4.5; {7,8} → 7.5; {9} → 9
  auto layer = layer_from(R"({"type":"averagePooling2d","poolSize":2,"padding":"same"})", {3, 3, 1});
  REQUIRE(layer->output_shape() == Shape{2, 2, 1});
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, y(4);
  layer->forward(x.data(), y.data(), 1, false);
  CHECK(y == std::vector<float>{3.0f, 4.5f, 7.5f, 9.0f});
  // backward: each output's gradient spread over its real cells
  std::vector<float> dy = {4, 2, 2, 1}, dx(9, 0.0f);
  layer->backward(x.data(), y.data(), dy.data(), dx.data(), 1);
  CHECK(dx == std::vector<float>{1, 1, 1, 1, 1, 1, 1, 1, 1});
}

TEST_CASE("max pooling routes the gradient to the first maximum", "[pool]") {
  auto layer = layer_from(R"({"type":"maxPooling2d","poolSize":2})", {2, 2, 1});
  std::vector<float> x = {1, 5, 5, 2}, y(1), dy = {3}, dx(4, 0.0f);
  layer->reserve(1);
  layer->forward(x.data(), y.data(), 1, true);
  CHECK(y[0] == 5.0f);
  layer->backward(x.data(), y.data(), dy.data(), dx.data(), 1);
  CHECK(dx == std::vector<float>{0, 3, 0, 0});
}

TEST_CASE("GlobalAveragePooling2D averages each channel over the image", "[pool]") {
  auto layer = layer_from(R"({"type":"globalAveragePooling2d"})", {2, 3, 2});
  REQUIRE(layer->output_shape() == Shape{1, 1, 2, 1});
  // channel 0: 0..5 → 2.5; channel 1: 10 * (0..5) → 25; second image doubled
  std::vector<float> x(24), y(4);
  for (int i = 0; i < 6; ++i) {
    x[2 * i] = static_cast<float>(i);
    x[2 * i + 1] = 10.0f * i;
    x[12 + 2 * i] = 2.0f * i;
    x[12 + 2 * i + 1] = 20.0f * i;
  }
  layer->forward(x.data(), y.data(), 2, false);
  CHECK(y == std::vector<float>{2.5f, 25.0f, 5.0f, 50.0f});
}

TEST_CASE("pooling rejects windows that do not fit", "[pool][shape]") {
  CHECK_THROWS_WITH(layer_from(R"({"type":"averagePooling2d","poolSize":4})", {3, 3, 1}),
                    "layer 1 (AveragePooling2D): a 4x4 pool window does not fit a 3x3 input with padding 'valid'");
  CHECK_THROWS_WITH(layer_from(R"({"type":"averagePooling2d","padding":1})", {3, 3, 1}),
                    Catch::Contains("padding must be 'valid' or 'same'"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"maxPooling2d","poolSize":0})", {3, 3, 1}),
                    Catch::Contains("'poolSize' must be at least 1"));
}
