#pragma once
// Losses start the backward chain: they return the mean loss over the batch
// and write dL/dlogits with the 1/N of the mean already applied.
#include <cstdint>

namespace convolab {

// Softmax fused with cross-entropy, from logits, numerically stable
// (log-sum-exp with the row max subtracted).
// logits(N, K), labels(N) in [0, K) → probs(N, K), dlogits(N, K) = (p - y)/N.
float softmax_cross_entropy(const float* logits, const std::int32_t* labels, int n, int k,
                            float* probs, float* dlogits);

}  // namespace convolab
