// The layers Keras CNNs add to the basics: GlobalMaxPooling2D, ZeroPadding2D,
// Cropping2D, UpSampling2D, Reshape, DepthwiseConv2D, SeparableConv2D,
// Conv2DTranspose. Each gets the trio: a forward worked by hand,
// finite-difference gradients of the input and every parameter, and a
// save/load round trip (all of them in one model).
#include "convolab/model.h"
#include "support.h"

using namespace convolab;
using convolab::test::check_layer_gradients;
using convolab::test::layer_from;
using convolab::test::random_vector;

namespace {

// Runs one layer forward on x (one example) with the given weights.
std::vector<float> run(const std::string& json, Shape in, const std::vector<float>& x,
                       const std::vector<std::vector<float>>& weights = {}) {
  auto l = layer_from(json, in);
  std::vector<std::vector<float>> store = weights;
  REQUIRE(store.size() == l->params().size());
  for (std::size_t i = 0; i < store.size(); ++i) {
    REQUIRE(store[i].size() == l->params()[i].size);
    l->params()[i].value = store[i].data();
  }
  l->reserve(1);
  std::vector<float> y(l->output_shape().size());
  l->forward(x.data(), y.data(), 1, false);
  return y;
}

}  // namespace

TEST_CASE("GlobalMaxPooling2D keeps each channel's largest value", "[layers][new]") {
  auto l = layer_from(R"({"type":"globalMaxPooling2d"})", {2, 2, 2});
  CHECK(l->output_shape() == flat_shape(2));
  CHECK(run(R"({"type":"globalMaxPooling2d"})", {2, 2, 2}, {1, -5, 4, -2, 3, -1, 2, -7}) == std::vector<float>{4, -1});
  check_layer_gradients(R"({"type":"globalMaxPooling2d"})", {4, 5, 3}, 2);
  CHECK_THROWS_WITH(layer_from(R"({"type":"globalMaxPooling2d"})", flat_shape(4)),
                    Catch::Contains("layer 1 (GlobalMaxPooling2D): needs an image input"));
}

TEST_CASE("ZeroPadding2D and Cropping2D add and cut edges as tfjs reads their options", "[layers][new]") {
  // [[top, bottom], [left, right]] = [[1, 0], [0, 2]] around a 1x2 image
  CHECK(run(R"({"type":"zeroPadding2d","padding":[[1,0],[0,2]]})", {1, 2, 1}, {1, 2}) ==
        std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0});
  CHECK(layer_from(R"({"type":"zeroPadding2d"})", {3, 4, 2})->output_shape() == Shape{5, 6, 2});  // default 1
  CHECK(layer_from(R"({"type":"zeroPadding2d","padding":[2,1]})", {3, 4, 2})->output_shape() == Shape{7, 6, 2});
  std::vector<float> x(9);
  for (int i = 0; i < 9; ++i) x[i] = static_cast<float>(i);
  CHECK(run(R"({"type":"cropping2d","cropping":[[1,0],[0,1]]})", {3, 3, 1}, x) == std::vector<float>{3, 4, 6, 7});
  CHECK(run(R"({"type":"cropping2d","cropping":1})", {3, 3, 1}, x) == std::vector<float>{4});
  CHECK(layer_from(R"({"type":"cropping2d","cropping":[1,2]})", {5, 6, 3})->output_shape() == Shape{3, 2, 3});
  check_layer_gradients(R"({"type":"zeroPadding2d","padding":[[2,1],[0,3]]})", {3, 4, 2}, 2);
  check_layer_gradients(R"({"type":"cropping2d","cropping":[[1,2],[2,0]]})", {5, 4, 2}, 2);
  CHECK_THROWS_WITH(layer_from(R"({"type":"cropping2d","cropping":2})", {4, 6, 1}),
                    "layer 1 (Cropping2D): cropping [[2,2],[2,2]] leaves nothing of a 4x6 input");
  CHECK_THROWS_WITH(layer_from(R"({"type":"cropping2d"})", {4, 6, 1}), Catch::Contains("'cropping' is required"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"zeroPadding2d","padding":[[1,2,3],[0,0]]})", {4, 6, 1}),
                    Catch::Contains("'padding' must be a whole number, [h, w] or [[top, bottom], [left, right]]"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"zeroPadding2d","padding":-1})", {4, 6, 1}),
                    Catch::Contains("'padding' must be at least 0"));
}

TEST_CASE("UpSampling2D repeats (nearest) or blends (bilinear, tfjs's sampling) pixels", "[layers][new]") {
  CHECK(run(R"({"type":"upSampling2d"})", {1, 2, 1}, {1, 2}) == std::vector<float>{1, 1, 2, 2, 1, 1, 2, 2});
  // source column x/2: 0 → 1, 0.5 → 2, 1 → 3, 1.5 → the last column (3), no half-pixel centres
  CHECK(run(R"({"type":"upSampling2d","size":[1,2],"interpolation":"bilinear"})", {1, 2, 1}, {1, 3}) ==
        std::vector<float>{1, 2, 3, 3});
  // size 3 on 2 rows: source rows 0, 1/3, 2/3, 1, 4/3, 5/3
  auto y = run(R"({"type":"upSampling2d","size":[3,1],"interpolation":"bilinear"})", {2, 1, 1}, {0, 3});
  REQUIRE(y.size() == 6);
  const float want[6] = {0, 1, 2, 3, 3, 3};
  for (int i = 0; i < 6; ++i) CHECK(y[i] == Approx(want[i]).margin(1e-6));
  check_layer_gradients(R"({"type":"upSampling2d","size":[2,3]})", {3, 2, 2}, 2);
  check_layer_gradients(R"({"type":"upSampling2d","size":[3,2],"interpolation":"bilinear"})", {3, 4, 2}, 2);
  CHECK_THROWS_WITH(layer_from(R"({"type":"upSampling2d","interpolation":"bicubic"})", {2, 2, 1}),
                    Catch::Contains("'interpolation' must be 'nearest' or 'bilinear'"));
}

TEST_CASE("Reshape keeps the values and infers one -1", "[layers][new]") {
  auto l = layer_from(R"({"type":"reshape","targetShape":[2,-1]})", flat_shape(6));
  CHECK(l->output_shape() == Shape{1, 2, 3, 2});
  CHECK(l->output_shape().dims() == std::vector<int>{2, 3});
  CHECK(layer_from(R"({"type":"reshape","targetShape":[2,3,1]})", flat_shape(6))->output_shape() == Shape{2, 3, 1});
  CHECK(run(R"({"type":"reshape","targetShape":[6]})", {1, 2, 3}, {1, 2, 3, 4, 5, 6}) ==
        std::vector<float>{1, 2, 3, 4, 5, 6});
  check_layer_gradients(R"({"type":"reshape","targetShape":[4,-1]})", {2, 3, 2}, 2);
  CHECK_THROWS_WITH(layer_from(R"({"type":"reshape","targetShape":[4,2]})", flat_shape(6)),
                    "layer 1 (Reshape): 'targetShape' [4, 2] holds 8 values; the input has 6 (6)");
  CHECK_THROWS_WITH(layer_from(R"({"type":"reshape","targetShape":[-1,-1]})", flat_shape(6)),
                    Catch::Contains("only one -1"));
  CHECK_THROWS_WITH(layer_from(R"({"type":"reshape","targetShape":[1,1,2,3]})", flat_shape(6)),
                    Catch::Contains("1 to 3 axes"));
}

TEST_CASE("DepthwiseConv2D convolves each channel with its own filters", "[layers][new]") {
  // 2x2x2 input, 2x2 kernel, multiplier 2: output channel ch*2 + m
  const std::vector<float> x = {1, 10, 2, 20, 3, 30, 4, 40};
  std::vector<float> k(16);  // (kh, kw, c, m)
  for (int i = 0; i < 16; ++i) k[i] = static_cast<float>(i % 3) - 1.0f;
  std::vector<float> want(4, 0.0f);
  for (int p = 0; p < 4; ++p)
    for (int ch = 0; ch < 2; ++ch)
      for (int m = 0; m < 2; ++m) want[ch * 2 + m] += x[p * 2 + ch] * k[(p * 2 + ch) * 2 + m];
  const std::vector<float> bias = {0.5f, -0.5f, 1, 2};
  for (int i = 0; i < 4; ++i) want[i] += bias[i];
  CHECK(run(R"({"type":"depthwiseConv2d","kernelSize":2,"depthMultiplier":2})", {2, 2, 2}, x, {k, bias}) == want);
  auto l = layer_from(R"({"type":"depthwiseConv2d","kernelSize":3,"depthMultiplier":2,"padding":"same"})", {5, 5, 3});
  CHECK(l->output_shape() == Shape{5, 5, 6});
  CHECK(l->params()[0].name == "depthwiseKernel");
  CHECK(l->params()[0].shape == std::vector<int>{3, 3, 3, 2});
  CHECK(l->macs() == 3u * 3 * 6 * 25);
  check_layer_gradients(R"({"type":"depthwiseConv2d","kernelSize":3})", {5, 6, 2}, 2);
  check_layer_gradients(
      R"({"type":"depthwiseConv2d","kernelSize":[2,3],"depthMultiplier":3,"strides":2,"padding":"same","activation":"tanh"})",
      {7, 6, 2}, 2);
  check_layer_gradients(R"({"type":"depthwiseConv2d","kernelSize":1,"useBias":false})", {3, 3, 4}, 2);
}

TEST_CASE("SeparableConv2D is depthwise then pointwise, weights in tfjs's order", "[layers][new]") {
  // 1x1 depthwise (scales each channel), then a pointwise mix
  const std::vector<float> x = {1, 2, 3, 4};          // 1x2x2
  const std::vector<float> dk = {2, -1};              // (1, 1, 2, 1)
  const std::vector<float> pk = {1, 0, 1, 1, 1, -1};  // (1, 1, 2, 3)
  const std::vector<float> bias = {0, 0.5f, 0};
  // pixel 0: mid = (2, -2) → 2 (1, 0, 1) - 2 (1, 1, -1) = (0, -2, 4), plus bias;
  // pixel 1: mid = (6, -4) → (2, -4, 10), plus bias
  CHECK(run(R"({"type":"separableConv2d","filters":3,"kernelSize":1})", {1, 2, 2}, x, {dk, pk, bias}) ==
        std::vector<float>{0, -1.5f, 4, 2, -3.5f, 10});
  auto l = layer_from(R"({"type":"separableConv2d","filters":4,"kernelSize":3,"depthMultiplier":2})", {6, 6, 3});
  REQUIRE(l->params().size() == 3);
  CHECK(l->params()[0].shape == std::vector<int>{3, 3, 3, 2});
  CHECK(l->params()[1].shape == std::vector<int>{1, 1, 6, 4});
  CHECK(l->params()[1].name == "pointwiseKernel");
  CHECK(l->params()[2].shape == std::vector<int>{4});
  check_layer_gradients(R"({"type":"separableConv2d","filters":3,"kernelSize":3,"depthMultiplier":2})", {5, 5, 2}, 2);
  check_layer_gradients(
      R"({"type":"separableConv2d","filters":2,"kernelSize":[3,2],"strides":[2,1],"padding":"same","activation":"sigmoid"})",
      {6, 5, 3}, 2);
}

TEST_CASE("Conv2DTranspose spreads each input pixel over the kernel; sizes as tfjs", "[layers][new]") {
  // one pixel of value 2 through a 2x2 kernel, stride 2: the kernel times 2
  const std::vector<float> k = {1, 2, 3, 4};  // (2, 2, 1, 1)
  CHECK(run(R"({"type":"conv2dTranspose","filters":1,"kernelSize":2,"strides":2,"useBias":false})", {1, 1, 1}, {2},
            {k}) == std::vector<float>{2, 4, 6, 8});
  // a 1x2 row through a 1x3 kernel, stride 1, valid: width 2 + 3 - 1, overlaps add
  CHECK(run(R"({"type":"conv2dTranspose","filters":1,"kernelSize":[1,3],"useBias":false})", {1, 2, 1}, {1, 10},
            {{1, 2, 3}}) == std::vector<float>{1, 12, 23, 30});
  CHECK(layer_from(R"({"type":"conv2dTranspose","filters":4,"kernelSize":3,"strides":2})", {5, 6, 2})->output_shape() ==
        Shape{11, 13, 4});
  CHECK(layer_from(R"({"type":"conv2dTranspose","filters":4,"kernelSize":3,"strides":2,"padding":"same"})", {5, 6, 2})
            ->output_shape() == Shape{10, 12, 4});
  CHECK(layer_from(R"({"type":"conv2dTranspose","filters":4,"kernelSize":1,"strides":3})", {2, 2, 2})->output_shape() ==
        Shape{6, 6, 4});
  auto l = layer_from(R"({"type":"conv2dTranspose","filters":4,"kernelSize":3})", {5, 6, 2});
  CHECK(l->params()[0].shape == std::vector<int>{3, 3, 4, 2});  // (kh, kw, filters, in)
  check_layer_gradients(R"({"type":"conv2dTranspose","filters":2,"kernelSize":3})", {3, 4, 2}, 2);
  check_layer_gradients(R"({"type":"conv2dTranspose","filters":3,"kernelSize":3,"strides":2,"padding":"same"})",
                        {3, 3, 2}, 2);
  check_layer_gradients(
      R"({"type":"conv2dTranspose","filters":2,"kernelSize":[2,3],"strides":[3,2],"activation":"relu"})", {2, 3, 2}, 2);
  check_layer_gradients(R"({"type":"conv2dTranspose","filters":2,"kernelSize":4,"strides":2,"padding":"same"})",
                        {3, 2, 1}, 2);
}

TEST_CASE("every new layer saves and loads with its weights", "[layers][new][io]") {
  const char* spec = R"({"inputShape":[8,8,2],"layers":[
    {"type":"zeroPadding2d","padding":[1,2]},
    {"type":"depthwiseConv2d","kernelSize":3,"depthMultiplier":2,"activation":"relu"},
    {"type":"separableConv2d","filters":3,"kernelSize":3,"padding":"same"},
    {"type":"cropping2d","cropping":[[1,0],[0,1]]},
    {"type":"conv2dTranspose","filters":2,"kernelSize":2,"strides":2},
    {"type":"upSampling2d","size":[1,2],"interpolation":"bilinear"},
    {"type":"globalMaxPooling2d"},
    {"type":"reshape","targetShape":[1,2]}]})";
  Model m(spec, 3);
  CHECK(m.output_shape().dims() == std::vector<int>{1, 2});
  m.compile(Json::parse(R"({"loss":"meanSquaredError","optimizer":"adam"})"));
  Rng rng(5);
  auto x = random_vector(3 * 128, rng);
  auto t = random_vector(3 * 2, rng);
  m.train_batch(x.data(), t.data(), 3);
  Model back = Model::load(m.save());
  std::vector<float> a(6), b(6);
  m.predict(x.data(), 3, a.data());
  back.predict(x.data(), 3, b.data());
  CHECK(a == b);
  CHECK(std::equal(m.param_values(), m.param_values() + m.param_count(), back.param_values()));
  CHECK(m.train_batch(x.data(), t.data(), 3) == back.train_batch(x.data(), t.data(), 3));
}
