#include "convolab/activation.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "../kernels/kernels.h"
#include "convolab/error.h"

namespace convolab {

Activation parse_activation(const std::string& name) {
  if (name.empty() || name == "linear") return Activation::Linear;
  if (name == "relu") return Activation::Relu;
  if (name == "leakyRelu" || name == "leaky_relu") return Activation::LeakyRelu;
  if (name == "sigmoid") return Activation::Sigmoid;
  if (name == "tanh") return Activation::Tanh;
  if (name == "softmax") return Activation::Softmax;
  throw Error("unknown activation '" + name + "' (use linear, relu, leakyRelu, sigmoid, tanh or softmax)",
              ErrorKind::Spec)
      .with_value(name);
}

const char* activation_name(Activation a) {
  switch (a) {
    case Activation::Linear:
      return "linear";
    case Activation::Relu:
      return "relu";
    case Activation::LeakyRelu:
      return "leakyRelu";
    case Activation::Sigmoid:
      return "sigmoid";
    case Activation::Tanh:
      return "tanh";
    case Activation::Softmax:
      return "softmax";
  }
  return "linear";
}

void activation_forward(Activation a, float alpha, float* x, int rows, int cols) {
  const std::size_t count = static_cast<std::size_t>(rows) * cols;
  switch (a) {
    case Activation::Linear:
      return;
    // ReLU, leaky ReLU and softmax run on the SIMD kernels (kernels.h).
    case Activation::Relu:
      kernels::bias_act(x, rows, cols, nullptr, kernels::Act::Relu, 0.0f);
      return;
    case Activation::LeakyRelu:
      kernels::bias_act(x, rows, cols, nullptr, kernels::Act::LeakyRelu, alpha);
      return;
    case Activation::Sigmoid:
      for (std::size_t i = 0; i < count; ++i) x[i] = 1.0f / (1.0f + std::exp(-x[i]));
      return;
    case Activation::Tanh:
      for (std::size_t i = 0; i < count; ++i) x[i] = std::tanh(x[i]);
      return;
    case Activation::Softmax:
      kernels::softmax_rows(x, rows, cols);
      return;
  }
}

void activation_backward(Activation a, float alpha, const float* y, float* dy, int rows, int cols) {
  const std::size_t count = static_cast<std::size_t>(rows) * cols;
  switch (a) {
    case Activation::Linear:
      return;
    case Activation::Relu:
      kernels::act_backward(kernels::Act::Relu, 0.0f, y, dy, dy, count);
      return;
    case Activation::LeakyRelu:
      // y > 0 iff pre > 0 (alpha > 0), so the slope is readable from y.
      kernels::act_backward(kernels::Act::LeakyRelu, alpha, y, dy, dy, count);
      return;
    case Activation::Sigmoid:
      for (std::size_t i = 0; i < count; ++i) dy[i] *= y[i] * (1.0f - y[i]);
      return;
    case Activation::Tanh:
      for (std::size_t i = 0; i < count; ++i) dy[i] *= 1.0f - y[i] * y[i];
      return;
    case Activation::Softmax:
      // dpre_j = y_j * (dy_j - sum_k dy_k y_k)
      for (int r = 0; r < rows; ++r) {
        const float* yr = y + static_cast<std::size_t>(r) * cols;
        float* dr = dy + static_cast<std::size_t>(r) * cols;
        float dot = 0.0f;
        for (int j = 0; j < cols; ++j) dot += dr[j] * yr[j];
        for (int j = 0; j < cols; ++j) dr[j] = yr[j] * (dr[j] - dot);
      }
      return;
  }
}

const float* activation_backward_to(Activation a, float alpha, const float* y, const float* dy, float* work, int rows,
                                    int cols) {
  if (a == Activation::Linear) return dy;
  std::copy(dy, dy + static_cast<std::size_t>(rows) * cols, work);
  activation_backward(a, alpha, y, work, rows, cols);
  return work;
}

}  // namespace convolab
