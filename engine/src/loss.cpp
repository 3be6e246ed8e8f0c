#include "convolab/loss.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace convolab {

float softmax_cross_entropy(const float* logits, const std::int32_t* labels, int n, int k,
                            float* probs, float* dlogits) {
  double total = 0.0;
  const float inv_n = 1.0f / static_cast<float>(n);
  for (int i = 0; i < n; ++i) {
    const float* z = logits + static_cast<std::size_t>(i) * k;
    float* p = probs + static_cast<std::size_t>(i) * k;
    const float mx = *std::max_element(z, z + k);
    double sum = 0.0;
    for (int j = 0; j < k; ++j) sum += std::exp(static_cast<double>(z[j] - mx));
    const double log_sum = std::log(sum);
    for (int j = 0; j < k; ++j) p[j] = static_cast<float>(std::exp(static_cast<double>(z[j] - mx) - log_sum));
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

}  // namespace convolab
