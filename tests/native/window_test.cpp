// Output-size rule, with the worked examples from the lecture notes.
#include "support.h"

using convolab::Shape;
using convolab::test::layer_from;

TEST_CASE("output size follows floor((in - k + 2p) / s) + 1 on the notes' examples", "[shape]") {
  CHECK(layer_from(R"({"type":"conv2d","filters":1,"kernelSize":3})", {7, 7, 1})->output_shape() == Shape{5, 5, 1});
  CHECK(layer_from(R"({"type":"conv2d","filters":1,"kernelSize":3,"strides":2})", {7, 7, 1})->output_shape() ==
        Shape{3, 3, 1});
  CHECK(layer_from(R"({"type":"conv2d","filters":1,"kernelSize":3,"padding":1})", {7, 7, 1})->output_shape() ==
        Shape{7, 7, 1});
  CHECK(layer_from(R"({"type":"conv2d","filters":10,"kernelSize":5})", {32, 32, 3})->output_shape() ==
        Shape{28, 28, 10});
  CHECK(layer_from(R"({"type":"conv2d","filters":10,"kernelSize":3,"padding":1})", {32, 32, 3})->output_shape() ==
        Shape{32, 32, 10});
}

TEST_CASE("'same' padding gives ceil(in / stride)", "[shape]") {
  CHECK(layer_from(R"({"type":"conv2d","filters":2,"kernelSize":5,"padding":"same"})", {28, 28, 1})->output_shape() ==
        Shape{28, 28, 2});
  CHECK(layer_from(R"({"type":"conv2d","filters":2,"kernelSize":3,"strides":2,"padding":"same"})", {7, 7, 1})
            ->output_shape() == Shape{4, 4, 2});
  CHECK(layer_from(R"({"type":"maxPooling2d","poolSize":2})", {28, 28, 8})->output_shape() == Shape{14, 14, 8});
  CHECK(layer_from(R"({"type":"maxPooling2d","poolSize":2,"padding":"same"})", {7, 7, 3})->output_shape() ==
        Shape{4, 4, 3});
}

TEST_CASE("parameter counts match the notes", "[shape]") {
  auto count = [](const std::string& json, Shape in) {
    auto l = layer_from(json, in);
    std::size_t w = 0, b = 0;
    for (auto& p : l->params()) (p.is_bias ? b : w) += p.size;
    return std::make_pair(w, b);
  };
  CHECK(count(R"({"type":"conv2d","filters":10,"kernelSize":5})", {32, 32, 3}) ==
        std::make_pair<std::size_t, std::size_t>(750, 10));
  CHECK(count(R"({"type":"conv2d","filters":1,"kernelSize":5})", {5, 5, 3}) ==
        std::make_pair<std::size_t, std::size_t>(75, 1));
  CHECK(count(R"({"type":"conv2d","filters":4,"kernelSize":5})", {5, 5, 3}) ==
        std::make_pair<std::size_t, std::size_t>(300, 4));
}

TEST_CASE("invalid layers are rejected with a message naming the layer", "[shape]") {
  CHECK_THROWS_WITH(layer_from(R"({"type":"conv2d","filters":1,"kernelSize":5})", {3, 3, 1}),
                    "layer 1 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'");
  CHECK(layer_from(R"({"type":"dense","units":10})", {7, 7, 16})->output_shape() == Shape{7, 7, 10});
  CHECK_THROWS_WITH(layer_from(R"({"type":"conv2d","filters":0,"kernelSize":3})", {7, 7, 1}),
                    Catch::Contains("'filters' must be at least 1"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"conv3d"})", {7, 7, 1}), Catch::Contains("unknown type 'conv3d'"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"conv2d","filters":2,"kernelSize":3,"activation":"swish"})", {7, 7, 1}),
                    Catch::Contains("unknown activation 'swish'"));
}
