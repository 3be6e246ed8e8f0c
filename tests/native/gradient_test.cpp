// Finite-difference gradient checks of every layer's backward pass, across
// options: strides 1-3, valid/same/explicit padding, non-square and 1x1
// kernels, odd sizes, every activation, batch > 1.
#include "support.h"

using convolab::Layer;
using convolab::Shape;
using convolab::test::check_layer_gradients;

TEST_CASE("Conv2D gradients match finite differences", "[gradients][conv2d]") {
  check_layer_gradients(R"({"type":"conv2d","filters":3,"kernelSize":3})", {6, 6, 2}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":5,"padding":"same"})", {7, 7, 1}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":[2,3],"strides":2,"padding":"same"})", {7, 8, 3},
                        3);
  check_layer_gradients(R"({"type":"conv2d","filters":4,"kernelSize":1})", {4, 4, 3}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":3,"activation":"tanh"})", {5, 5, 2}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":3,"kernelSize":3,"activation":"relu"})", {6, 6, 2}, 2);
}

TEST_CASE("Conv2D gradients across strides, paddings and kernel shapes", "[gradients][conv2d]") {
  const char* paddings[] = {"\"valid\"", "\"same\"", "1", "[2,1]"};
  const char* kernels[] = {"1", "3", "[3,2]", "[1,4]", "5"};
  int checked = 0;
  for (int stride = 1; stride <= 3; ++stride)
    for (const char* pad : paddings)
      for (const char* k : kernels) {
        // explicit padding must stay below the kernel size
        if ((std::string(pad) == "1" || std::string(pad) == "[2,1]") &&
            (std::string(k) == "1" || std::string(k) == "[1,4]"))
          continue;
        if (std::string(pad) == "[2,1]" && std::string(k) == "[3,2]") continue;
        const std::string json = std::string(R"({"type":"conv2d","filters":2,"kernelSize":)") + k +
                                 ",\"strides\":" + std::to_string(stride) + ",\"padding\":" + pad + "}";
        check_layer_gradients(json, {7, 9, 2}, 2, 3 + stride);
        ++checked;
      }
  check_layer_gradients(R"({"type":"conv2d","filters":3,"kernelSize":[3,5],"strides":[2,3],"padding":"same"})",
                        {9, 11, 2}, 3);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":11,"padding":"same"})", {11, 11, 1}, 2);
  check_layer_gradients(R"({"type":"conv2d","filters":2,"kernelSize":3,"useBias":false})", {5, 5, 3}, 2);
  CHECK(checked >= 40);
}

TEST_CASE("Conv2D and Dense gradients with every fused activation", "[gradients][activation]") {
  for (const char* act : {"linear", "relu", "leakyRelu", "sigmoid", "tanh", "softmax"}) {
    check_layer_gradients(
        std::string(R"({"type":"conv2d","filters":3,"kernelSize":3,"padding":"same","activation":")") + act + "\"}",
        {5, 5, 2}, 2);
    check_layer_gradients(std::string(R"({"type":"dense","units":5,"activation":")") + act + "\"}", {1, 1, 7}, 3);
  }
  check_layer_gradients(R"({"type":"dense","units":5,"activation":"leakyRelu","alpha":0.1})", {1, 1, 7}, 3);
}

TEST_CASE("MaxPooling2D gradients match finite differences", "[gradients][pool]") {
  // random data has no ties, so the max is differentiable
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":2})", {6, 6, 3}, 2);
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":3,"strides":2,"padding":"same"})", {7, 7, 2}, 2);
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":[2,3],"strides":[1,2]})", {7, 8, 2}, 2);
  check_layer_gradients(R"({"type":"maxPooling2d","poolSize":3,"strides":3,"padding":"same"})", {8, 7, 1}, 3);
}

TEST_CASE("AveragePooling2D gradients match finite differences", "[gradients][pool]") {
  for (int stride = 1; stride <= 3; ++stride)
    for (const char* pad : {"valid", "same"})
      for (const char* size : {"2", "3", "[2,3]"}) {
        const std::string json = std::string(R"({"type":"averagePooling2d","poolSize":)") + size +
                                 ",\"strides\":" + std::to_string(stride) + ",\"padding\":\"" + pad + "\"}";
        check_layer_gradients(json, {7, 8, 2}, 2);
      }
  check_layer_gradients(R"({"type":"averagePooling2d"})", {6, 6, 3}, 3);
}

TEST_CASE("GlobalAveragePooling2D, Flatten and Dense gradients match finite differences", "[gradients][dense]") {
  check_layer_gradients(R"({"type":"globalAveragePooling2d"})", {5, 3, 4}, 3);
  check_layer_gradients(R"({"type":"flatten"})", {3, 4, 2}, 2);
  check_layer_gradients(R"({"type":"dense","units":5})", {1, 1, 7}, 3);
  check_layer_gradients(R"({"type":"dense","units":6,"activation":"relu"})", {1, 1, 9}, 3);
  check_layer_gradients(R"({"type":"dense","units":4,"activation":"sigmoid"})", {1, 1, 6}, 2);
  check_layer_gradients(R"({"type":"dense","units":4,"activation":"softmax"})", {1, 1, 6}, 2);
  check_layer_gradients(R"({"type":"dense","units":3,"useBias":false})", {1, 1, 5}, 2);
}

TEST_CASE("activation layers' gradients match finite differences", "[gradients][activation]") {
  check_layer_gradients(R"({"type":"reLU"})", {4, 5, 3}, 2);
  check_layer_gradients(R"({"type":"leakyReLU"})", {4, 5, 3}, 2);
  check_layer_gradients(R"({"type":"leakyReLU","alpha":0.05})", {3, 3, 2}, 2);
  check_layer_gradients(R"({"type":"softmax"})", {3, 2, 5}, 2);
  for (const char* act : {"linear", "relu", "leakyRelu", "sigmoid", "tanh", "softmax"})
    check_layer_gradients(std::string(R"({"type":"activation","activation":")") + act + "\"}", {3, 4, 3}, 2);
}

TEST_CASE("Dropout gradients match finite differences with the mask held fixed", "[gradients][dropout]") {
  auto fix_mask = [](Layer& l) { l.set_seed(1234); };
  check_layer_gradients(R"({"type":"dropout","rate":0.5})", {4, 4, 3}, 2, 1, 2e-2, fix_mask);
  check_layer_gradients(R"({"type":"dropout","rate":0.2})", {1, 1, 20}, 3, 1, 2e-2, fix_mask);
  check_layer_gradients(R"({"type":"dropout","rate":0})", {2, 2, 2}, 2, 1, 2e-2, fix_mask);
}

TEST_CASE("BatchNormalization gradients match finite differences (batch statistics)", "[gradients][batchnorm]") {
  check_layer_gradients(R"({"type":"batchNormalization"})", {4, 5, 3}, 2);
  check_layer_gradients(R"({"type":"batchNormalization","epsilon":0.01})", {1, 1, 6}, 5);
  check_layer_gradients(R"({"type":"batchNormalization","momentum":0.9})", {3, 3, 2}, 3, 7);
  check_layer_gradients(R"({"type":"batchNormalization","center":false})", {2, 3, 2}, 3);
  check_layer_gradients(R"({"type":"batchNormalization","scale":false})", {2, 3, 2}, 3);
  check_layer_gradients(R"({"type":"batchNormalization","center":false,"scale":false})", {2, 2, 3}, 4);
}
