#pragma once
// Element-wise (and softmax: per-row) activations, applied in place after a
// layer's linear part. Backward needs only the activation's output y, so a
// layer keeps no pre-activation copy.
#include <string>

namespace convolab {

enum class Activation { Linear, Relu, LeakyRelu, Sigmoid, Tanh, Softmax };

// Throws convolab::Error naming the allowed values.
Activation parse_activation(const std::string& name);
const char* activation_name(Activation a);

// x(rows, cols) := act(x); softmax runs over each row (the channel axis).
void activation_forward(Activation a, float alpha, float* x, int rows, int cols);
// dy(rows, cols) := dL/d(pre-activation), given y = act(pre) and dy = dL/dy.
void activation_backward(Activation a, float alpha, const float* y, float* dy, int rows, int cols);
// The same without touching dy: returns dy itself for Linear, otherwise
// writes dL/d(pre-activation) into work(rows, cols) and returns work.
const float* activation_backward_to(Activation a, float alpha, const float* y, const float* dy, float* work, int rows,
                                    int cols);

}  // namespace convolab
