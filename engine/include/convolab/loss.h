#pragma once
// Losses start the backward chain: they return the mean loss over the batch
// and write dL/d(output) with the 1/N of the mean already applied.
// Targets are floats (N, K): one-hot rows for class labels, 0/1 for binary.
#include <cstdint>
#include <string>

namespace convolab {

enum class Loss { CategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError };

// "categoricalCrossentropy" | "sparseCategoricalCrossentropy" (same loss,
// labels as integers) | "binaryCrossentropy" | "meanSquaredError"; throws Error.
Loss parse_loss(const std::string& name);
const char* loss_name(Loss l);

// Softmax fused with cross-entropy, from logits, numerically stable
// (log-sum-exp with the row max subtracted).
// logits(N, K), labels(N) in [0, K) → probs(N, K), dlogits(N, K) = (p - y)/N.
float softmax_cross_entropy(const float* logits, const std::int32_t* labels, int n, int k, float* probs,
                            float* dlogits);
// The same with soft targets(N, K): L = -1/N sum t log softmax(z);
// dlogits = (p * sum(t) - t) / N. dlogits may be null.
float softmax_cross_entropy(const float* logits, const float* targets, int n, int k, float* probs, float* dlogits);

// Sigmoid fused with binary cross-entropy, from logits, stable:
// per element max(z, 0) - z t + log(1 + exp(-|z|)); L = mean over N*K (as
// Keras: mean over the last axis, then over the batch);
// dlogits = (sigmoid(z) - t) / (N*K). probs = sigmoid(z). dlogits may be null.
float sigmoid_binary_cross_entropy(const float* logits, const float* targets, int n, int k, float* probs,
                                   float* dlogits);

// L = mean over N*K of (y - t)^2; dy = 2 (y - t) / (N*K). dy may be null.
float mean_squared_error(const float* y, const float* targets, int n, int k, float* dy);

}  // namespace convolab
