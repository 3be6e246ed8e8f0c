// Gradients against a double-precision reference: naive double loops for
// convolution and pooling, differentiated by central differences in double,
// compared with the layers' float backward at 1e-4 of the gradient's scale
// over a grid of strides, paddings, kernel shapes, odd sizes and batch 2.
#include <cmath>
#include <functional>
#include <limits>

#include "support.h"

using namespace convolab;
using convolab::test::BoundLayer;
using convolab::test::layer_from;
using convolab::test::random_vector;

namespace {

struct Geometry {
  Shape in, out;
  int kh, kw, sh, sw, pt, pl;
};

// 'same': floor(P/2) before, P = max(0, (out-1)*s + k - in); explicit: p.
int before(int in, int k, int s, int out, const std::string& pad, int explicit_pad) {
  if (pad == "same") return std::max(0, (out - 1) * s + k - in) / 2;
  if (pad == "valid") return 0;
  return explicit_pad;
}

using Vec = std::vector<double>;

// out(N, OH, OW, OC) = act(b + sum in * w) in double.
Vec conv_d(const Vec& x, const Vec& w, const Vec& b, int n, const Geometry& g,
           const std::function<double(double)>& act) {
  Vec out(static_cast<std::size_t>(n) * g.out.size());
  for (int i = 0; i < n; ++i)
    for (int oy = 0; oy < g.out.h; ++oy)
      for (int ox = 0; ox < g.out.w; ++ox)
        for (int o = 0; o < g.out.c; ++o) {
          double acc = b.empty() ? 0.0 : b[o];
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx) {
              const int iy = oy * g.sh + ky - g.pt, ix = ox * g.sw + kx - g.pl;
              if (iy < 0 || iy >= g.in.h || ix < 0 || ix >= g.in.w) continue;
              for (int c = 0; c < g.in.c; ++c)
                acc += x[((static_cast<std::size_t>(i) * g.in.h + iy) * g.in.w + ix) * g.in.c + c] *
                       w[((static_cast<std::size_t>(ky) * g.kw + kx) * g.in.c + c) * g.out.c + o];
            }
          out[((static_cast<std::size_t>(i) * g.out.h + oy) * g.out.w + ox) * g.out.c + o] = act(acc);
        }
  return out;
}

Vec pool_d(const Vec& x, int n, const Geometry& g, bool average) {
  Vec out(static_cast<std::size_t>(n) * g.out.size());
  for (int i = 0; i < n; ++i)
    for (int oy = 0; oy < g.out.h; ++oy)
      for (int ox = 0; ox < g.out.w; ++ox)
        for (int c = 0; c < g.in.c; ++c) {
          double best = -std::numeric_limits<double>::infinity(), sum = 0;
          int count = 0;
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx) {
              const int iy = oy * g.sh + ky - g.pt, ix = ox * g.sw + kx - g.pl;
              if (iy < 0 || iy >= g.in.h || ix < 0 || ix >= g.in.w) continue;
              const double v = x[((static_cast<std::size_t>(i) * g.in.h + iy) * g.in.w + ix) * g.in.c + c];
              best = std::max(best, v);
              sum += v;
              ++count;
            }
          out[((static_cast<std::size_t>(i) * g.out.h + oy) * g.out.w + ox) * g.out.c + c] =
              average ? sum / count : best;
        }
  return out;
}

double dot(const Vec& a, const std::vector<float>& r) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * r[i];
  return s;
}

Vec to_d(const float* p, std::size_t n) { return Vec(p, p + n); }

// Compares analytic (float, from the layer) with central differences of the
// double reference f(vars) along every coordinate of vars.
void compare(const char* what, const std::string& json, const std::vector<float>& analytic, Vec vars,
             const std::function<double(const Vec&)>& f) {
  const double h = 1e-6;
  double scale = 0;
  for (float a : analytic) scale = std::max(scale, static_cast<double>(std::fabs(a)));
  double worst = 0;
  std::size_t at = 0;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const double saved = vars[i];
    vars[i] = saved + h;
    const double up = f(vars);
    vars[i] = saved - h;
    const double down = f(vars);
    vars[i] = saved;
    const double err = std::fabs(analytic[i] - (up - down) / (2 * h)) / std::max(scale, 1e-12);
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  INFO(json << ": d" << what << "[" << at << "] worst error " << worst << " of the gradient scale " << scale);
  CHECK(worst < 1e-4);
}

}  // namespace

TEST_CASE("Conv2D gradients match a double-precision reference over a grid", "[gradients][conv2d]") {
  const std::vector<std::string> kernels = {"1", "3", "[2,3]", "[5,1]"};
  const std::vector<std::string> paddings = {"\"valid\"", "\"same\"", "1", "[2,1]"};
  int configs = 0;
  for (int s = 1; s <= 3; ++s)
    for (const auto& k : kernels)
      for (const auto& pad : paddings)
        for (const char* act : {"linear", "tanh"}) {
          const std::string json = R"({"type":"conv2d","filters":3,"kernelSize":)" + k + R"(,"strides":)" +
                                   (s == 3 ? "[3,2]" : std::to_string(s)) + R"(,"padding":)" + pad +
                                   R"(,"activation":")" + act + "\"}";
          const Shape in{7, 6, 2};
          std::unique_ptr<Layer> made;
          try {
            made = layer_from(json, in);
          } catch (const Error&) {
            continue;  // explicit padding not smaller than the kernel
          }
          Rng rng(static_cast<std::uint64_t>(configs + 1));
          BoundLayer bl(std::move(made), rng);
          Layer& L = *bl.layer;
          const int n = 2;
          const Shape out = L.output_shape();
          const auto& kshape = L.params()[0].shape;
          const int sw = s == 3 ? 2 : s;
          const std::string pad_mode = pad == "\"valid\"" ? "valid" : pad == "\"same\"" ? "same" : "explicit";
          const int ph = pad == "1" ? 1 : pad == "[2,1]" ? 2 : 0, pw = pad == "1" ? 1 : pad == "[2,1]" ? 1 : 0;
          const Geometry g{in,
                           out,
                           kshape[0],
                           kshape[1],
                           s,
                           sw,
                           before(in.h, kshape[0], s, out.h, pad_mode, ph),
                           before(in.w, kshape[1], sw, out.w, pad_mode, pw)};
          auto x = random_vector(static_cast<std::size_t>(n) * in.size(), rng);
          auto r = random_vector(static_cast<std::size_t>(n) * out.size(), rng);
          std::vector<float> y(r.size()), dy = r, dx(x.size(), 0.0f);
          L.reserve(n);
          L.forward(x.data(), y.data(), n, true);
          std::fill(bl.grads.begin(), bl.grads.end(), 0.0f);
          L.backward(x.data(), y.data(), dy.data(), dx.data(), n);
          const auto& kb = L.params()[0];
          const auto& bb = L.params()[1];
          std::function<double(double)> fn =
              std::string(act) == "tanh" ? [](double v) { return std::tanh(v); } : [](double v) { return v; };
          const Vec xd = to_d(x.data(), x.size()), wd = to_d(kb.value, kb.size), bd = to_d(bb.value, bb.size);
          compare("x", json, dx, xd, [&](const Vec& v) { return dot(conv_d(v, wd, bd, n, g, fn), r); });
          compare("kernel", json, std::vector<float>(kb.grad, kb.grad + kb.size), wd,
                  [&](const Vec& v) { return dot(conv_d(xd, v, bd, n, g, fn), r); });
          compare("bias", json, std::vector<float>(bb.grad, bb.grad + bb.size), bd,
                  [&](const Vec& v) { return dot(conv_d(xd, wd, v, n, g, fn), r); });
          ++configs;
        }
  CHECK(configs == 66);  // 96 combinations minus explicit paddings not smaller than the kernel
}

TEST_CASE("pooling gradients match a double-precision reference over a grid", "[gradients][pool]") {
  int configs = 0;
  for (const char* type : {"maxPooling2d", "averagePooling2d"})
    for (int s = 1; s <= 3; ++s)
      for (const char* pad : {"valid", "same"})
        for (auto k : {std::make_pair(2, 2), std::make_pair(3, 3), std::make_pair(2, 3), std::make_pair(1, 1)}) {
          const std::string json = std::string("{\"type\":\"") + type + "\",\"poolSize\":[" + std::to_string(k.first) +
                                   "," + std::to_string(k.second) + "],\"strides\":" + std::to_string(s) +
                                   ",\"padding\":\"" + pad + "\"}";
          const Shape in{7, 8, 2};
          auto L = layer_from(json, in);
          const Shape out = L->output_shape();
          const Geometry g{in,
                           out,
                           k.first,
                           k.second,
                           s,
                           s,
                           before(in.h, k.first, s, out.h, pad, 0),
                           before(in.w, k.second, s, out.w, pad, 0)};
          Rng rng(static_cast<std::uint64_t>(100 + configs));
          const int n = 2;
          auto x = random_vector(static_cast<std::size_t>(n) * in.size(), rng);
          auto r = random_vector(static_cast<std::size_t>(n) * out.size(), rng);
          std::vector<float> y(r.size()), dy = r, dx(x.size(), 0.0f);
          L->reserve(n);
          L->forward(x.data(), y.data(), n, true);
          L->backward(x.data(), y.data(), dy.data(), dx.data(), n);
          const bool average = std::string(type) == "averagePooling2d";
          // random data has no ties, and a 1e-6 step never reorders a window
          compare("x", json, dx, to_d(x.data(), x.size()),
                  [&](const Vec& v) { return dot(pool_d(v, n, g, average), r); });
          ++configs;
        }
  CHECK(configs == 48);
}
