// Conv2D forward against a naive seven-loop reference and a hand-worked case.
#include "support.h"

using namespace convolab;
using convolab::test::BoundLayer;
using convolab::test::layer_from;

namespace {

// out[n][oy][ox][oc] = b[oc] + sum_{ky,kx,c} in[n][oy*s+ky-p][ox*s+kx-p][c] * w[ky][kx][c][oc]
std::vector<float> naive_conv(const std::vector<float>& in, const float* w, const float* b, int n, Shape s, int kh,
                              int kw, int oc, int sh, int sw, int pt, int pl, int oh, int ow) {
  std::vector<float> out(static_cast<std::size_t>(n) * oh * ow * oc);
  for (int i = 0; i < n; ++i)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int o = 0; o < oc; ++o) {
          double acc = b ? b[o] : 0.0;
          for (int ky = 0; ky < kh; ++ky)
            for (int kx = 0; kx < kw; ++kx)
              for (int c = 0; c < s.c; ++c) {
                int iy = oy * sh + ky - pt, ix = ox * sw + kx - pl;
                if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
                acc += static_cast<double>(in[((static_cast<std::size_t>(i) * s.h + iy) * s.w + ix) * s.c + c]) *
                       w[((ky * kw + kx) * s.c + c) * oc + o];
              }
          out[((static_cast<std::size_t>(i) * oh + oy) * ow + ox) * oc + o] = static_cast<float>(acc);
        }
  return out;
}

}  // namespace

TEST_CASE("Conv2D forward matches the naive 7-loop reference", "[conv2d]") {
  struct Case {
    Shape in;
    int kh, kw, oc, sh, sw;
    const char* padding;
    int pt, pl;
  };
  const Case cases[] = {
      {{7, 7, 1}, 3, 3, 1, 1, 1, "\"valid\"", 0, 0},
      {{7, 7, 3}, 3, 3, 4, 2, 2, "\"valid\"", 0, 0},
      {{8, 9, 2}, 5, 5, 3, 1, 1, "\"same\"", 2, 2},
      {{8, 8, 2}, 3, 3, 5, 2, 2, "\"same\"", 0, 0},  // TF: total pad 1 → 0 top, 1 bottom
      {{6, 7, 3}, 2, 3, 2, 1, 2, "1", 1, 1},
      {{5, 5, 4}, 1, 1, 6, 1, 1, "\"valid\"", 0, 0},
  };
  Rng rng(7);
  for (const Case& c : cases) {
    std::string json = "{\"type\":\"conv2d\",\"filters\":" + std::to_string(c.oc) + ",\"kernelSize\":[" +
                       std::to_string(c.kh) + "," + std::to_string(c.kw) + "],\"strides\":[" + std::to_string(c.sh) +
                       "," + std::to_string(c.sw) + "],\"padding\":" + c.padding + "}";
    BoundLayer bl(layer_from(json, c.in), rng);
    const int n = 2;
    Shape o = bl.layer->output_shape();
    auto x = convolab::test::random_vector(static_cast<std::size_t>(n) * c.in.size(), rng);
    std::vector<float> out(static_cast<std::size_t>(n) * o.size());
    bl.layer->reserve(n);
    bl.layer->forward(x.data(), out.data(), n, false);
    auto ref = naive_conv(x, bl.layer->params()[0].value, bl.layer->params()[1].value, n, c.in, c.kh, c.kw, c.oc, c.sh,
                          c.sw, c.pt, c.pl, o.h, o.w);
    INFO(json);
    REQUIRE(ref.size() == out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      INFO("index " << i);
      CHECK(out[i] == Approx(ref[i]).margin(1e-5));
    }
  }
}

TEST_CASE("Conv2D forward on a hand-worked 3x3 example", "[conv2d]") {
  // 3x3 input 1..9, 2x2 kernel [[1,0],[0,-1]], bias 0.5: out = x[y][x] - x[y+1][x+1] + 0.5 = -3.5 everywhere
  Rng rng(1);
  BoundLayer bl(layer_from(R"({"type":"conv2d","filters":1,"kernelSize":2})", {3, 3, 1}), rng);
  float* w = bl.layer->params()[0].value;
  w[0] = 1;
  w[1] = 0;
  w[2] = 0;
  w[3] = -1;
  bl.layer->params()[1].value[0] = 0.5f;
  std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9}, out(4);
  bl.layer->reserve(1);
  bl.layer->forward(x.data(), out.data(), 1, false);
  for (float v : out) CHECK(v == Approx(-3.5f));
}

TEST_CASE("Conv2D forward matches the naive reference over a grid of kernels, strides and paddings", "[conv2d]") {
  // kernels 1x1 .. 11x11 (square and not), strides 1-3, valid/same/explicit,
  // an odd-sized input, batch 2
  const std::pair<int, int> kernels[] = {{1, 1}, {2, 2}, {3, 3}, {3, 1}, {1, 5},
                                         {4, 3}, {5, 5}, {7, 7}, {9, 2}, {11, 11}};
  const Shape in{13, 11, 3};
  Rng rng(21);
  int configs = 0;
  for (auto k : kernels)
    for (int sh = 1; sh <= 3; ++sh)
      for (int sw : {1, 3})
        for (int mode = 0; mode < 3; ++mode) {
          const int p = std::min(k.first, k.second) / 2;  // explicit padding, smaller than the kernel
          const std::string padding = mode == 0 ? "\"valid\"" : mode == 1 ? "\"same\"" : std::to_string(p);
          const std::string json = "{\"type\":\"conv2d\",\"filters\":4,\"kernelSize\":[" + std::to_string(k.first) +
                                   "," + std::to_string(k.second) + "],\"strides\":[" + std::to_string(sh) + "," +
                                   std::to_string(sw) + "],\"padding\":" + padding + "}";
          BoundLayer bl(layer_from(json, in), rng);  // every one of these fits
          const Shape o = bl.layer->output_shape();
          auto axis = [&](int len, int kk, int s, int out) {
            if (mode == 0) return 0;
            if (mode == 2) return p;
            return std::max(0, (out - 1) * s + kk - len) / 2;
          };
          const int n = 2;
          auto x = convolab::test::random_vector(static_cast<std::size_t>(n) * in.size(), rng);
          std::vector<float> out(static_cast<std::size_t>(n) * o.size());
          bl.layer->reserve(n);
          bl.layer->forward(x.data(), out.data(), n, false);
          auto ref = naive_conv(x, bl.layer->params()[0].value, bl.layer->params()[1].value, n, in, k.first, k.second,
                                4, sh, sw, axis(in.h, k.first, sh, o.h), axis(in.w, k.second, sw, o.w), o.h, o.w);
          INFO(json);
          REQUIRE(ref.size() == out.size());
          for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == Approx(ref[i]).margin(1e-5));
          ++configs;
        }
  CHECK(configs == 180);
}
