#include "convolab/loss.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "convolab/error.h"

namespace convolab {

Loss parse_loss(const std::string& name) {
  if (name == "categoricalCrossentropy" || name == "sparseCategoricalCrossentropy")
    return Loss::CategoricalCrossentropy;
  if (name == "binaryCrossentropy") return Loss::BinaryCrossentropy;
  if (name == "meanSquaredError") return Loss::MeanSquaredError;
  throw Error("compile: unknown loss '" + name +
                  "' (use categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy or "
                  "meanSquaredError)",
              ErrorKind::Config)
      .with_option("loss")
      .with_value(name);
}

const char* loss_name(Loss l) {
  switch (l) {
    case Loss::CategoricalCrossentropy:
      return "categoricalCrossentropy";
    case Loss::BinaryCrossentropy:
      return "binaryCrossentropy";
    case Loss::MeanSquaredError:
      return "meanSquaredError";
  }
  return "categoricalCrossentropy";
}

namespace {

// p(K) = softmax(z(K)); returns log(sum exp(z - max)) and sets mx.
double softmax_row(const float* z, int k, float* p, float& mx) {
  mx = *std::max_element(z, z + k);
  double sum = 0.0;
  for (int j = 0; j < k; ++j) sum += std::exp(static_cast<double>(z[j] - mx));
  const double log_sum = std::log(sum);
  for (int j = 0; j < k; ++j) p[j] = static_cast<float>(std::exp(static_cast<double>(z[j] - mx) - log_sum));
  return log_sum;
}

}  // namespace

float softmax_cross_entropy(const float* logits, const std::int32_t* labels, int n, int k, float* probs,
                            float* dlogits) {
  double total = 0.0;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int i = 0; i < n; ++i) {
    const float* z = logits + static_cast<std::size_t>(i) * k;
    float* p = probs + static_cast<std::size_t>(i) * k;
    float mx;
    const double log_sum = softmax_row(z, k, p, mx);
    // -log p_y = log(sum exp(z - mx)) - (z_y - mx)
    total += log_sum - static_cast<double>(z[labels[i]] - mx);
    if (dlogits) {
      float* d = dlogits + static_cast<std::size_t>(i) * k;
      for (int j = 0; j < k; ++j) d[j] = p[j] * inv_n;
      d[labels[i]] -= inv_n;
    }
  }
  return static_cast<float>(total / n);
}

float softmax_cross_entropy(const float* logits, const float* targets, int n, int k, float* probs, float* dlogits) {
  double total = 0.0;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int i = 0; i < n; ++i) {
    const float* z = logits + static_cast<std::size_t>(i) * k;
    const float* t = targets + static_cast<std::size_t>(i) * k;
    float* p = probs + static_cast<std::size_t>(i) * k;
    float mx;
    const double log_sum = softmax_row(z, k, p, mx);
    double t_sum = 0.0;
    for (int j = 0; j < k; ++j) {
      // -t log p = t (log_sum - (z - mx))
      total += static_cast<double>(t[j]) * (log_sum - static_cast<double>(z[j] - mx));
      t_sum += t[j];
    }
    if (dlogits) {
      float* d = dlogits + static_cast<std::size_t>(i) * k;
      for (int j = 0; j < k; ++j) d[j] = (p[j] * static_cast<float>(t_sum) - t[j]) * inv_n;
    }
  }
  return static_cast<float>(total / n);
}

float sigmoid_binary_cross_entropy(const float* logits, const float* targets, int n, int k, float* probs,
                                   float* dlogits) {
  const std::size_t count = static_cast<std::size_t>(n) * k;
  const float inv = 1.0f / static_cast<float>(count);
  double total = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const double z = logits[i], t = targets[i];
    total += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::fabs(z)));
    const float p = static_cast<float>(1.0 / (1.0 + std::exp(-z)));
    probs[i] = p;
    if (dlogits) dlogits[i] = (p - targets[i]) * inv;
  }
  return static_cast<float>(total / static_cast<double>(count));
}

float mean_squared_error(const float* y, const float* targets, int n, int k, float* dy) {
  const std::size_t count = static_cast<std::size_t>(n) * k;
  const float scale = 2.0f / static_cast<float>(count);
  double total = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    const float d = y[i] - targets[i];
    total += static_cast<double>(d) * d;
    if (dy) dy[i] = scale * d;
  }
  return static_cast<float>(total / static_cast<double>(count));
}

}  // namespace convolab
