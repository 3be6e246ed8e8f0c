// Model level: the reference net's summary checked by hand, spec rejection,
// losses against hand-worked values and finite differences, weights access.
#include <cmath>

#include "convolab/model.h"
#include "support.h"
#include "support_model.h"

using namespace convolab;
using convolab::test::kReferenceSpec;
using convolab::test::random_vector;

TEST_CASE("the reference net's summary matches a hand count", "[model][summary]") {
  Model m(kReferenceSpec);
  Json s = m.summary_json();
  const auto& rows = s["layers"].items();
  REQUIRE(rows.size() == 6);
  auto shape = [&](int i) {  // [h, w, c] for an image, [k] for a flat output (as tfjs)
    const auto& o = rows[i]["outputShape"].items();
    if (o.size() == 1) return convolab::flat_shape(static_cast<int>(o[0].as_number()));
    return Shape{static_cast<int>(o[0].as_number()), static_cast<int>(o[1].as_number()),
                 static_cast<int>(o[2].as_number())};
  };
  // conv 5x5x1 -> 8, same: 28x28x8, 5*5*1*8 = 200 weights + 8 biases, 200 * 28*28 = 156,800 MACs
  CHECK(shape(0) == Shape{28, 28, 8});
  CHECK(rows[0]["weights"].as_number() == 200);
  CHECK(rows[0]["biases"].as_number() == 8);
  CHECK(rows[0]["macs"].as_number() == 156800);
  CHECK(shape(1) == Shape{14, 14, 8});
  // conv 5x5x8 -> 16 on 14x14: 3,200 weights + 16 biases, 3200 * 196 = 627,200 MACs
  CHECK(shape(2) == Shape{14, 14, 16});
  CHECK(rows[2]["weights"].as_number() == 3200);
  CHECK(rows[2]["biases"].as_number() == 16);
  CHECK(rows[2]["macs"].as_number() == 627200);
  CHECK(shape(3) == Shape{7, 7, 16});
  CHECK(shape(4) == Shape{1, 1, 784, 1});
  // dense 784 -> 10: 7,840 weights + 10 biases, 7,840 MACs
  CHECK(shape(5) == Shape{1, 1, 10, 1});
  CHECK(rows[5]["weights"].as_number() == 7840);
  CHECK(rows[5]["macs"].as_number() == 7840);
  CHECK(rows[5]["options"].as_string() == "10 softmax");  // fused into the loss, still shown
  CHECK(s["totals"]["weights"].as_number() == 11240);
  CHECK(s["totals"]["biases"].as_number() == 34);
  CHECK(s["totals"]["params"].as_number() == 11274);
  // the largest batch whose memory estimate fits the limit (about 176 KB an
  // example: outputs and their gradients, 2 * (6272 + 1568 + 3136 + 784 + 784
  // + 10) floats, the layers' own buffers, the convolutions' workspaces)
  const int max_batch = static_cast<int>(s["totals"]["maxBatch"].as_number());
  CHECK(max_batch > 5000);
  CHECK(m.memory_estimate(max_batch).total() <= memory_limit());
  CHECK(m.memory_estimate(max_batch + 1).total() > memory_limit());
  CHECK(s["totals"]["macs"].as_number() == 791840);
  CHECK(m.param_count() == 11274);
  const std::string text = m.summary();
  CHECK_THAT(text,
             Catch::Contains("Total params: 11274 (11240 weights + 34 biases); forward MACs per example: 791840"));
  CHECK_THAT(text, Catch::Contains("8@5x5 s1 same relu"));
}

TEST_CASE("invalid specs are rejected with the layer index, type and reason", "[model][shape]") {
  auto reject = [](const std::string& layers) {
    try {
      Model m(std::string(R"({"inputShape":[28,28,1],"layers":[)") + layers + "]}");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(
      reject(
          R"({"type":"conv2d","filters":4,"kernelSize":5},{"type":"maxPooling2d","poolSize":8},{"type":"conv2d","filters":4,"kernelSize":5})") ==
      "layer 3 (Conv2D): a 5x5 kernel does not fit a 3x3 input with padding 'valid'");
  // tfjs-layers' rank checks: an image layer after a flat one, Flatten of a flat input
  CHECK(reject(R"({"type":"flatten"},{"type":"conv2d","filters":2,"kernelSize":1})") ==
        "layer 2 (Conv2D): needs an image input (height, width, channels); its input has shape [784] (1 axis)");
  CHECK_THAT(reject(R"({"type":"flatten"},{"type":"flatten"})"),
             Catch::Contains("layer 2 (Flatten): needs an input of at least 2 axes"));
  CHECK_THAT(reject(R"({"type":"globalAveragePooling2d"},{"type":"maxPooling2d"})"),
             Catch::Contains("layer 2 (MaxPooling2D): needs an image input"));
  CHECK_THAT(reject(R"({"type":"flatten"},{"type":"dense","units":10},{"type":"dropout","rate":2})"),
             Catch::Contains("layer 3 (Dropout): 'rate' must be at least 0 and below 1"));
  // any output shape is a model: a conv-only net, Dense along the last axis of an image
  CHECK(reject(R"({"type":"conv2d","filters":4,"kernelSize":3})") == "accepted");
  CHECK(reject(R"({"type":"conv2d","filters":16,"kernelSize":3,"strides":4},{"type":"dense","units":10})") ==
        "accepted");
  CHECK_THAT(reject(R"({"type":"flatten"},{"type":"dense","units":10,"activation":"gelu"})"),
             Catch::Contains("layer 2 (Dense): unknown activation 'gelu'"));
  CHECK_THAT(reject(R"({"type":"conv2d","filters":4,"kernelSize":[3,3,3]})"),
             Catch::Contains("layer 1 (Conv2D): 'kernelSize' must be a whole number or a pair"));
  CHECK_THAT(reject(R"({"type":"conv2d","filters":4000000,"kernelSize":3})"),
             Catch::Contains("layer 1 (Conv2D): 'filters' is too large"));
  CHECK_THAT(
      reject(
          R"({"type":"conv2d","filters":40000,"kernelSize":1,"padding":"same"},{"type":"flatten"},{"type":"dense","units":2})"),
      Catch::Contains("layer 1 (Conv2D): its output 28x28x40000 has more than"));
  CHECK_THROWS_WITH(Model(R"({"inputShape":[28,28,1,1],"layers":[]})"),
                    Catch::Contains("'inputShape' must be [height, width, channels]"));
  CHECK_THROWS_WITH(Model(R"({"inputShape":[],"layers":[]})"),
                    Catch::Contains("'inputShape' must be [height, width, channels]"));
  // 784 * 300000 weights + 300000 biases: 1.8 GB with their gradients, as much again for fit's checkpoints
  CHECK_THAT(reject(R"({"type":"flatten"},{"type":"dense","units":300000})"),
             Catch::StartsWith("model: the model needs 3.5 GB") && Catch::Contains("more than the 960.0 MB") &&
                 Catch::Contains("layer 2 (Dense) holds"));
}

TEST_CASE("compile checks the loss against the last activation", "[model][loss]") {
  Model m(R"({"inputShape":[1,1,4],"layers":[{"type":"dense","units":3,"activation":"relu"}]})");
  CHECK(m.loss() == Loss::MeanSquaredError);
  CHECK_THROWS_WITH(m.compile(Json::parse(R"({"loss":"categoricalCrossentropy"})")),
                    "compile: categoricalCrossentropy needs a final softmax (or linear logits, or fromLogits: true); "
                    "layer 1 (Dense) ends in relu");
  CHECK_THROWS_WITH(m.compile(Json::parse(R"({"loss":"binaryCrossentropy","fromLogits":false})")),
                    "compile: binaryCrossentropy needs probabilities from a final sigmoid when fromLogits is false; "
                    "layer 1 (Dense) ends in relu");
  CHECK_THROWS_WITH(m.compile(Json::parse(R"({"loss":"binaryCrossentropy","fromLogits":1})")),
                    "compile: 'fromLogits' must be true or false");
  CHECK_THROWS_WITH(m.compile(Json::parse(R"({"loss":"hinge"})")), Catch::Contains("unknown loss 'hinge'"));
  CHECK_THROWS_WITH(m.compile(Json::parse(R"({"optimizer":{"type":"adam","l2":-1}})")), Catch::Contains("'l2'"));
  CHECK(m.loss() == Loss::MeanSquaredError);  // a rejected compile changes nothing
  Model s(R"({"inputShape":[1,1,4],"layers":[{"type":"dense","units":1,"activation":"sigmoid"}]})");
  CHECK(s.loss() == Loss::BinaryCrossentropy);
  CHECK_FALSE(s.from_logits());
  m.compile(Json::parse(R"({"loss":"categoricalCrossentropy","fromLogits":true})"));  // relu outputs as logits
  CHECK(m.from_logits());
  CHECK(m.compile_config()["fromLogits"].as_bool());
}

TEST_CASE("the compile config reports the learning rate as it was given, not float32's expansion", "[model]") {
  Model m(R"({"inputShape":[1,1,4],"layers":[{"type":"dense","units":3}]})");
  m.compile(Json::parse(R"({"optimizer":{"type":"adam","learningRate":0.001},"loss":"meanSquaredError"})"));
  CHECK(m.compile_config()["optimizer"]["learningRate"].as_number() == 0.001);
  m.set_learning_rate(0.3f);
  CHECK(m.compile_config()["optimizer"]["learningRate"].as_number() == 0.3);
  m.set_learning_rate(1.0f / 3.0f);
  CHECK(static_cast<float>(m.compile_config()["optimizer"]["learningRate"].as_number()) == 1.0f / 3.0f);
}

TEST_CASE("the compile config names the loss as given: sparseCategoricalCrossentropy computes as the categorical one",
          "[model]") {
  Model m(R"({"inputShape":[1,1,4],"layers":[{"type":"dense","units":3,"activation":"softmax"}]})");
  m.compile(Json::parse(R"({"loss":"sparseCategoricalCrossentropy"})"));
  CHECK(m.loss() == Loss::CategoricalCrossentropy);
  CHECK(m.compile_config()["loss"].as_string() == "sparseCategoricalCrossentropy");
  Model linear(R"({"inputShape":[1,1,4],"layers":[{"type":"dense","units":3}]})");
  CHECK_THROWS_WITH(linear.compile(Json::parse(R"({"loss":"sparseCategoricalCrossentropy","fromLogits":false})")),
                    Catch::StartsWith("compile: sparseCategoricalCrossentropy needs probabilities"));
}

TEST_CASE("losses on hand-worked values", "[loss]") {
  // softmax of (0, ln 3): (1/4, 3/4); label 1: -ln(3/4)
  const float logits[2] = {0.0f, std::log(3.0f)};
  const std::int32_t label = 1;
  float probs[2], d[2];
  CHECK(softmax_cross_entropy(logits, &label, 1, 2, probs, d) == Approx(-std::log(0.75)));
  CHECK(d[0] == Approx(0.25f));
  CHECK(d[1] == Approx(-0.25f));
  const float soft[2] = {0.5f, 0.5f};
  CHECK(softmax_cross_entropy(logits, soft, 1, 2, probs, d) == Approx(-0.5 * std::log(0.25) - 0.5 * std::log(0.75)));
  CHECK(d[0] == Approx(-0.25f));
  // sigmoid(ln 3) = 3/4; target 0: -ln(1/4); stable at huge logits
  const float z[2] = {std::log(3.0f), 200.0f}, t[2] = {0.0f, 1.0f};
  CHECK(sigmoid_binary_cross_entropy(z, t, 1, 2, probs, d) == Approx(-std::log(0.25) / 2));
  CHECK(d[0] == Approx(0.75f / 2));
  CHECK(d[1] == Approx(0.0f).margin(1e-12));
  const float y[2] = {1.0f, 3.0f}, target[2] = {0.0f, 1.0f};
  CHECK(mean_squared_error(y, target, 1, 2, d) == Approx((1.0 + 4.0) / 2));
  CHECK(d[0] == Approx(1.0f));
  CHECK(d[1] == Approx(2.0f));
}

namespace {

// Analytic weight gradients of the model's loss (from train_batch) against
// central differences of evaluate()'s loss, restoring the weights each time.
void check_model_gradients(const std::string& spec, const std::string& config, const std::vector<float>& targets, int n,
                           float l2 = 0.0f) {
  Model m(spec, 5);
  m.compile(Json::parse(config));
  Rng rng(11);
  auto x = random_vector(static_cast<std::size_t>(n) * m.input_shape().size(), rng);
  std::vector<float> w0(m.param_values(), m.param_values() + m.param_count());
  m.train_batch(x.data(), targets.data(), n);
  std::vector<float> g(m.param_grads(), m.param_grads() + m.param_count());
  std::copy(w0.begin(), w0.end(), m.param_values());
  auto loss = [&]() {
    double penalty = 0.0;
    for (std::size_t li = 0; li < m.num_layers(); ++li)
      for (const auto& b : m.layer(li).params())
        if (b.regularized)
          for (std::size_t i = 0; i < b.size; ++i) penalty += static_cast<double>(b.value[i]) * b.value[i];
    return static_cast<double>(m.evaluate(x.data(), targets.data(), n).loss) + l2 * penalty;
  };
  const double eps = 1e-3;
  int checked = 0;
  for (std::size_t i = 0; i < w0.size(); i += std::max<std::size_t>(1, w0.size() / 60)) {
    float& v = m.param_values()[i];
    v = w0[i] + static_cast<float>(eps);
    const double up = loss();
    v = w0[i] - static_cast<float>(eps);
    const double down = loss();
    v = w0[i];
    const double num = (up - down) / (2 * eps);
    INFO(config << " param " << i << " analytic " << g[i] << " numeric " << num);
    CHECK(std::fabs(g[i] - num) < 2e-2 * std::max(1e-2, std::fabs(num)) + 2e-4);
    ++checked;
  }
  CHECK(checked > 10);
}

const char* kSmallNet = R"({"inputShape":[5,5,2],"layers":[
  {"type":"conv2d","filters":3,"kernelSize":3,"padding":"same","activation":"tanh"},
  {"type":"averagePooling2d","poolSize":2,"padding":"same"},
  {"type":"flatten"},
  {"type":"dense","units":%K%,"activation":"%ACT%"}]})";

std::string small_net(int k, const char* act) {
  std::string s = kSmallNet;
  s.replace(s.find("%K%"), 3, std::to_string(k));
  s.replace(s.find("%ACT%"), 5, act);
  return s;
}

}  // namespace

TEST_CASE("every loss's gradient through a model matches finite differences", "[gradients][loss][model]") {
  Rng rng(2);
  const int n = 3;
  std::vector<float> soft = random_vector(n * 4, rng, 0.0f, 1.0f);
  std::vector<float> onehot = {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0};
  check_model_gradients(small_net(4, "softmax"), R"({"loss":"categoricalCrossentropy"})", onehot, n);
  check_model_gradients(small_net(4, "softmax"), R"({"loss":"categoricalCrossentropy"})", soft, n);
  check_model_gradients(small_net(4, "linear"), R"({"loss":"categoricalCrossentropy"})", onehot, n);
  check_model_gradients(small_net(1, "sigmoid"), R"({"loss":"binaryCrossentropy"})", {1, 0, 1}, n);
  check_model_gradients(small_net(4, "sigmoid"), R"({"loss":"binaryCrossentropy"})", soft, n);
  check_model_gradients(small_net(4, "linear"), R"({"loss":"meanSquaredError"})", soft, n);
  check_model_gradients(small_net(4, "softmax"), R"({"loss":"meanSquaredError"})", onehot, n);
  check_model_gradients(small_net(4, "sigmoid"), R"({"loss":"meanSquaredError"})", soft, n);
  check_model_gradients(small_net(4, "softmax"),
                        R"({"loss":"categoricalCrossentropy","optimizer":{"type":"sgd","l2":0.05}})", onehot, n, 0.05f);
}

TEST_CASE("integer labels train the same as their one-hot targets", "[model][loss]") {
  Model a(small_net(4, "softmax"), 3), b(small_net(4, "softmax"), 3);
  Rng rng(4);
  auto x = random_vector(2 * 50, rng);
  const std::int32_t labels[2] = {2, 0};
  const std::vector<float> targets = {0, 0, 1, 0, 1, 0, 0, 0};
  CHECK(a.train_batch(x.data(), labels, 2) == b.train_batch(x.data(), targets.data(), 2));
  CHECK(std::equal(a.param_values(), a.param_values() + a.param_count(), b.param_values()));
  CHECK_THROWS_WITH(a.train_batch(x.data(), std::vector<std::int32_t>{4, 0}.data(), 2),
                    Catch::Contains("label 4 of example 0 is outside 0..3"));
}

TEST_CASE("a step counts its examples right by evaluate's rule, on the outputs before its update", "[model][loss]") {
  const int n = 40;
  Rng rng(6);
  auto x = random_vector(n * 50, rng);
  std::vector<std::int32_t> labels(n);
  std::vector<float> binary(n), soft(n * 4);
  for (int i = 0; i < n; ++i) {
    labels[i] = (i * 7) % 4;
    binary[i] = static_cast<float>(i % 2);
  }
  for (float& t : soft) t = rng.uniform();
  auto check = [&](const char* act, int k, const char* loss, auto train) {
    // twins from one seed: b still has the weights a's step started from
    Model a(small_net(k, act), 5), b(small_net(k, act), 5);
    a.compile(Json::parse(std::string(R"({"optimizer":{"type":"sgd","learningRate":0.5},"loss":")") + loss + "\"}"));
    b.compile(Json::parse(std::string(R"({"loss":")") + loss + "\"}"));
    CHECK(a.last_train_correct() == 0);
    const Evaluation before = train(a, b);
    INFO(loss << ": " << a.last_train_correct() << " of " << n);
    CHECK(a.last_train_correct() > 0);
    CHECK(a.last_train_correct() < n);
    CHECK(a.last_train_correct() == static_cast<int>(std::lround(before.accuracy * n)));
  };
  check("softmax", 4, "categoricalCrossentropy", [&](Model& a, Model& b) {
    a.train_batch(x.data(), labels.data(), n);
    return b.evaluate(x.data(), labels.data(), n);
  });
  check("sigmoid", 1, "binaryCrossentropy", [&](Model& a, Model& b) {
    a.train_batch(x.data(), binary.data(), n);
    return b.evaluate(x.data(), binary.data(), n);
  });
  check("linear", 4, "meanSquaredError", [&](Model& a, Model& b) {
    a.train_batch(x.data(), soft.data(), n);
    return b.evaluate(x.data(), soft.data(), n);
  });
}

TEST_CASE("predict returns probabilities; layer gradients stay readable", "[model]") {
  Model m(small_net(4, "softmax"), 8);
  Rng rng(4);
  auto x = random_vector(3 * 50, rng);
  const std::int32_t labels[3] = {1, 2, 3};
  m.train_batch(x.data(), labels, 3);
  // the last layer's gradient is dL/dlogits = (p - y) / N with the pre-step weights' p
  const float* g = m.gradient(m.num_layers() - 1);
  double row_sum = 0;
  for (int j = 0; j < 4; ++j) row_sum += g[j];
  CHECK(row_sum == Approx(0.0).margin(1e-6));
  CHECK(g[1] < 0.0f);
  std::vector<float> probs(12);
  m.predict(x.data(), 3, probs.data());
  for (int i = 0; i < 3; ++i) {
    double s = 0;
    for (int j = 0; j < 4; ++j) s += probs[i * 4 + j];
    CHECK(s == Approx(1.0));
  }
}

TEST_CASE("weights get/set by layer and block", "[model][weights]") {
  Model m(kReferenceSpec);
  CHECK(m.block(0, 0).name == "kernel");
  CHECK(m.block(0, 0).shape == std::vector<int>{5, 5, 1, 8});
  CHECK(m.block(5, 1).name == "bias");
  std::vector<float> w(200, 0.25f);
  m.set_weights(0, 0, w.data(), w.size());
  CHECK(m.get_weights(0, 0) == w);
  CHECK(m.param_values()[0] == 0.25f);
  CHECK_THROWS_WITH(m.set_weights(0, 0, w.data(), 199), "weights: layer 0 (Conv2D) kernel has 200 values; got 199");
  CHECK_THROWS_WITH(m.get_weights(1, 0), Catch::Contains("layer 1 (MaxPooling2D) has no weights"));
  CHECK_THROWS_WITH(m.get_weights(6, 0), Catch::Contains("there is no layer 6"));
  w[3] = std::nanf("");
  CHECK_THROWS_WITH(m.set_weights(0, 0, w.data(), w.size()), Catch::Contains("value 3 is not a finite number"));
  CHECK(m.get_weights(0, 0)[3] == 0.25f);
}

TEST_CASE("the same seed gives bit-identical weights and training", "[model][seed]") {
  Model a(kReferenceSpec, 7), b(kReferenceSpec, 7), c(kReferenceSpec, 8);
  CHECK(std::equal(a.param_values(), a.param_values() + a.param_count(), b.param_values()));
  CHECK_FALSE(std::equal(a.param_values(), a.param_values() + a.param_count(), c.param_values()));
  // Glorot uniform limit for conv1: sqrt(6 / (25 + 200))
  const float limit = std::sqrt(6.0f / 225.0f);
  for (std::size_t i = 0; i < 200; ++i) CHECK(std::fabs(a.param_values()[i]) <= limit);
  Rng rng(1);
  auto x = random_vector(4 * 784, rng, 0.0f, 1.0f);
  const std::int32_t labels[4] = {1, 2, 3, 4};
  CHECK(a.train_batch(x.data(), labels, 4) == b.train_batch(x.data(), labels, 4));
  CHECK(std::equal(a.param_values(), a.param_values() + a.param_count(), b.param_values()));
}

TEST_CASE("heNormal has the Keras spread", "[init]") {
  Model m(R"({"inputShape":[1,1,400],"layers":[{"type":"dense","units":100,"kernelInitializer":"heNormal"}]})");
  double sum = 0, sum2 = 0, mx = 0;
  const auto w = m.get_weights(0, 0);
  for (float v : w) {
    sum += v;
    sum2 += static_cast<double>(v) * v;
    mx = std::max(mx, static_cast<double>(std::fabs(v)));
  }
  const double sd = std::sqrt(sum2 / w.size() - (sum / w.size()) * (sum / w.size()));
  CHECK(sd == Approx(std::sqrt(2.0 / 400)).epsilon(0.03));
  CHECK(mx <= 2 * std::sqrt(2.0 / 400) / 0.8796 + 1e-6);
}

TEST_CASE("a diverging step leaves weights and BatchNormalization's moving statistics as they were",
          "[model][diverged]") {
  Model m(R"({"inputShape":[4,4,1],"layers":[
    {"type":"conv2d","filters":2,"kernelSize":3,"padding":"same"},
    {"type":"batchNormalization"},
    {"type":"flatten"},
    {"type":"dense","units":3}]})",
          5);
  Rng rng(6);
  auto x = random_vector(2 * 16, rng);
  m.compile(Json::parse(R"({"loss":"meanSquaredError"})"));
  const std::vector<float> targets = {1, 0, 0, 0, 0, 1};
  m.train_batch(x.data(), targets.data(), 2);  // moves the moving statistics off their initial 0 / 1
  // A dense kernel so large that the squared error overflows: the loss is infinite.
  std::vector<float> huge(32 * 3, 3e37f);
  m.set_weights(3, 0, huge.data(), huge.size());
  const std::vector<float> params(m.param_values(), m.param_values() + m.param_count());
  const std::vector<float> state(m.state_values(), m.state_values() + m.state_count());
  REQUIRE(m.state_count() == 4);
  CHECK_THROWS_WITH(m.train_batch(x.data(), targets.data(), 2), Catch::StartsWith("training diverged"));
  CHECK(std::vector<float>(m.param_values(), m.param_values() + m.param_count()) == params);
  CHECK(std::vector<float>(m.state_values(), m.state_values() + m.state_count()) == state);
}

TEST_CASE("a snapshot restores weights, moving statistics and optimizer state: training resumes bit for bit",
          "[model][snapshot]") {
  const char* spec = R"({"inputShape":[4,4,1],"layers":[
    {"type":"conv2d","filters":2,"kernelSize":3,"padding":"same"},
    {"type":"batchNormalization"},
    {"type":"flatten"},
    {"type":"dense","units":3}]})";
  for (const char* opt : {R"({"type":"momentum","learningRate":0.05,"momentum":0.9})", R"({"type":"adam"})",
                          R"({"type":"rmsprop","centered":true,"momentum":0.5})"}) {
    INFO(opt);
    const Json compile = Json::parse(std::string(R"({"loss":"categoricalCrossentropy","optimizer":)") + opt + "}");
    Model a(spec, 5), b(spec, 5);
    a.compile(compile);
    b.compile(compile);
    Rng rng(8);
    std::vector<std::vector<float>> xs;
    for (int i = 0; i < 6; ++i) xs.push_back(random_vector(3 * 16, rng));
    const std::int32_t labels[3] = {0, 2, 1};
    for (int i = 0; i < 2; ++i) {
      a.train_batch(xs[i].data(), labels, 3);
      b.train_batch(xs[i].data(), labels, 3);
    }
    Model::Snapshot s;
    a.take_snapshot(s);
    for (int i = 2; i < 5; ++i) a.train_batch(xs[i].data(), labels, 3);  // moves weights, statistics, moments
    a.restore_snapshot(s);
    a.train_batch(xs[5].data(), labels, 3);
    b.train_batch(xs[5].data(), labels, 3);
    CHECK(std::vector<float>(a.param_values(), a.param_values() + a.param_count()) ==
          std::vector<float>(b.param_values(), b.param_values() + b.param_count()));
    CHECK(std::vector<float>(a.state_values(), a.state_values() + a.state_count()) ==
          std::vector<float>(b.state_values(), b.state_values() + b.state_count()));
  }
  Model m(spec, 5);
  Model::Snapshot none;
  CHECK_THROWS_WITH(m.restore_snapshot(none), Catch::Contains("no snapshot was taken"));
}

TEST_CASE("the largest batch is in the summary, and one more is refused before anything is allocated",
          "[model][memory]") {
  Model m(R"({"inputShape":[28,28,1],"layers":[{"type":"conv2d","filters":2000,"kernelSize":3,"padding":"same"},
    {"type":"globalAveragePooling2d"},{"type":"dense","units":10}]})");
  // 2 * (28*28*2000 + 2000 + 10) floats = 12.0 MiB an example, and the convolution's workspace
  const int fits = m.max_batch();
  REQUIRE(fits > 40);
  REQUIRE(fits < 80);
  CHECK(m.summary_json()["totals"]["maxBatch"].as_number() == fits);
  const int n = fits + 1;
  std::vector<float> x(static_cast<std::size_t>(n) * 784, 0.0f);
  std::vector<std::int32_t> labels(n, 0);
  CHECK_THROWS_WITH(m.train_batch(x.data(), labels.data(), n),
                    Catch::Contains("a batch of " + std::to_string(n) + " needs") &&
                        Catch::Contains("use a batch of at most " + std::to_string(fits)));
}
