#pragma once
// Helpers shared by the native tests: layer construction from JSON text,
// seeded random fills, and a central-difference gradient check.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "convolab/layer.h"
#include "convolab/rng.h"

namespace convolab::test {

inline std::unique_ptr<Layer> layer_from(const std::string& json, Shape in) {
  return make_layer(Json::parse(json), in, 1);
}

inline std::vector<float> random_vector(std::size_t n, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Binds a layer's parameter blocks to owned storage and fills them randomly.
struct BoundLayer {
  std::unique_ptr<Layer> layer;
  std::vector<float> values, grads;
  BoundLayer(std::unique_ptr<Layer> l, Rng& rng) : layer(std::move(l)) {
    std::size_t total = 0;
    for (auto& b : layer->params()) total += b.size;
    values = random_vector(total, rng, -0.5f, 0.5f);
    grads.assign(total, 0.0f);
    std::size_t off = 0;
    for (auto& b : layer->params()) {
      b.value = values.data() + off;
      b.grad = grads.data() + off;
      off += b.size;
    }
  }
};

// Checks dL/dinput and dL/dparams of L = sum(out * r) against central
// differences. Inputs are pushed away from ReLU kinks and pooling ties by
// the caller's choice of data; tolerance is relative to the gradient scale.
// prepare (optional) runs before every forward, e.g. to fix a dropout mask.
inline void check_layer_gradients(const std::string& json, Shape in, int n, std::uint64_t seed = 1, double tol = 2e-2,
                                  std::function<void(Layer&)> prepare = nullptr) {
  Rng rng(seed);
  BoundLayer bl(layer_from(json, in), rng);
  Layer& L = *bl.layer;
  L.reserve(n);
  const std::size_t in_size = static_cast<std::size_t>(n) * in.size();
  const std::size_t out_size = static_cast<std::size_t>(n) * L.output_shape().size();
  std::vector<float> x = random_vector(in_size, rng);
  std::vector<float> r = random_vector(out_size, rng);
  std::vector<float> out(out_size), dout(out_size), din(in_size, 0.0f);

  auto loss = [&]() {
    if (prepare) prepare(L);
    L.forward(x.data(), out.data(), n, true);
    double s = 0.0;
    for (std::size_t i = 0; i < out_size; ++i) s += static_cast<double>(out[i]) * r[i];
    return s;
  };

  loss();
  dout = r;
  std::fill(bl.grads.begin(), bl.grads.end(), 0.0f);
  L.backward(x.data(), out.data(), dout.data(), din.data(), n);
  // The contract: backward leaves dL/dout intact (the page shows it).
  CHECK(dout == r);

  const double eps = 2e-3;
  const double mid = loss();
  std::size_t checked = 0, at_kink = 0;
  // Returns NaN when the step crosses a kink (ReLU at 0, a max-pool switch):
  // there the second difference is far from the smooth-curvature level.
  auto numeric = [&](float& v) {
    const float saved = v;
    v = saved + static_cast<float>(eps);
    double up = loss();
    v = saved - static_cast<float>(eps);
    double down = loss();
    v = saved;
    if (std::fabs(up - 2 * mid + down) > 2e-5 * std::max(1.0, std::fabs(mid))) return std::nan("");
    return (up - down) / (2 * eps);
  };
  auto compare = [&](const char* what, std::size_t i, double analytic, double num) {
    if (std::isnan(num)) {
      ++at_kink;
      return;
    }
    ++checked;
    double scale = std::max({1.0, std::fabs(analytic), std::fabs(num)});
    INFO(json << ": " << what << "[" << i << "] analytic " << analytic << " numeric " << num);
    CHECK(std::fabs(analytic - num) / scale < tol);
  };
  // Sample a bounded number of coordinates to keep the suite quick.
  const std::size_t in_stride = std::max<std::size_t>(1, in_size / 97);
  for (std::size_t i = 0; i < in_size; i += in_stride) compare("din", i, din[i], numeric(x[i]));
  // Trainable blocks only (BatchNormalization's moving statistics have no gradient).
  std::size_t off = 0;
  for (const auto& b : L.params()) {
    if (b.trainable) {
      const std::size_t p_stride = std::max<std::size_t>(1, b.size / 50);
      for (std::size_t i = 0; i < b.size; i += p_stride)
        compare(b.name.c_str(), i, bl.grads[off + i], numeric(bl.values[off + i]));
    }
    off += b.size;
  }
  // A check that skipped most coordinates would prove nothing.
  INFO(json << ": " << checked << " coordinates checked, " << at_kink << " skipped at kinks");
  CHECK(at_kink * 5 <= checked);
  CHECK(checked > 0);
}

}  // namespace convolab::test
