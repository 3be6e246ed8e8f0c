// Finite-difference gradient checks of every layer's backward pass.
#include "support.h"

using convolab::Shape;
using convolab::test::check_layer_gradients;

TEST_CASE("Conv2D gradients match finite differences", "[gradients][conv2d]") {
  check_layer_gradients(R"({"type":"conv2d","filters":3,"kernelSize":3})", {6, 6, 2}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":5,"padding":"same"})", {7, 7, 1}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":[2,3],"strides":2,"padding":"same"})", {7, 8, 3}, 3);
  check_layer_gradients(R"({"type":"conv2d","filters":4,"kernelSize":1})", {4, 4, 3}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":3,"activation":"tanh"})", {5, 5, 2}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":3,"kernelSize":3,"activation":"relu"})", {6, 6, 2}, 2);
}

TEST_CASE("MaxPooling2D gradients match finite differences", "[gradients][pool]") {
  // random data has no ties, so the max is differentiable
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":2})", {6, 6, 3}, 2);
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":3,"strides":2,"padding":"same"})", {7, 7, 2}, 2);
}

TEST_CASE("Flatten and Dense gradients match finite differences", "[gradients][dense]") {
  check_layer_gradients(R"({"type":"flatten"})", {3, 4, 2}, 2);
  check_layer_gradients(R"({"type":"dense","units":5})", {1, 1, 7}, 3);
  check_layer_gradients(R"({"type":"dense","units":6,"activation":"relu"})", {1, 1, 9}, 3);
  check_layer_gradients(R"({"type":"dense","units":4,"activation":"sigmoid"})", {1, 1, 6}, 2);
  check_layer_gradients(R"({"type":"dense","units":4,"activation":"softmax"})", {1, 1, 6}, 2);
}
