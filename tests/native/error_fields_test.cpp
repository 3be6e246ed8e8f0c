// convolab::Error carries what went wrong as fields, so no caller has to
// read the message: kind, code, layer (from 0), option, index and value.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "convolab/model.h"

using convolab::Error;
using convolab::ErrorKind;
using convolab::Json;
using convolab::Model;

namespace {

template <typename F>
Error caught(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected a convolab::Error");
  return Error("unreachable");
}

const char* kSpec = R"({"inputShape": [4, 4, 1], "layers": [
  {"type": "conv2d", "filters": 2, "kernelSize": 3},
  {"type": "flatten"},
  {"type": "dense", "units": 3, "activation": "softmax"}]})";

std::string with_layer(const std::string& layer2) {
  return R"({"inputShape": [4, 4, 1], "layers": [{"type": "conv2d", "filters": 2, "kernelSize": 3},
    {"type": "flatten"}, )" +
         layer2 + "]}";
}

}  // namespace

TEST_CASE("layer errors name the layer from 0, the option and the value", "[errors]") {
  Error e = caught([] { Model m(with_layer(R"({"type": "dense", "units": -3})"), 1); });
  CHECK(e.kind() == ErrorKind::Spec);
  CHECK(e.code() == "spec");
  CHECK(e.layer_index() == 2);
  CHECK(e.option() == "units");
  CHECK(e.has_number());
  CHECK(e.number() == -3.0);
  CHECK(std::string(e.what()).rfind("layer 3 (Dense): ", 0) == 0);

  Error a = caught([] { Model m(with_layer(R"({"type": "dense", "units": 3, "activation": "swish"})"), 1); });
  CHECK(a.option() == "activation");
  CHECK(a.has_text());
  CHECK(a.text() == "swish");

  Error t = caught([] { Model m(with_layer(R"({"type": "dense2"})"), 1); });
  CHECK(t.option() == "type");
  CHECK(t.text() == "dense2");
  CHECK(t.layer_index() == 2);
}

TEST_CASE("padding given as a number is explicit padding, as a string a rule", "[errors]") {
  Error s = caught([] {
    Model m(R"({"inputShape": [4, 4, 1], "layers": [
      {"type": "conv2d", "filters": 1, "kernelSize": 3, "padding": "full"}, {"type": "flatten"}]})",
            1);
  });
  CHECK(s.option() == "padding");
  CHECK(s.text() == "full");
  Error n = caught([] {
    Model m(R"({"inputShape": [4, 4, 1], "layers": [
      {"type": "conv2d", "filters": 1, "kernelSize": 3, "padding": true}, {"type": "flatten"}]})",
            1);
  });
  CHECK(n.option() == "padding");
  CHECK(std::string(n.what()).find("whole number or a pair") != std::string::npos);
  Model ok(R"({"inputShape": [4, 4, 1], "layers": [
      {"type": "conv2d", "filters": 1, "kernelSize": 3, "padding": 1}, {"type": "flatten"}]})",
           1);
  CHECK(ok.output_shape().size() == 16);
}

TEST_CASE("compile errors are config errors naming the hyperparameter", "[errors]") {
  Model m(kSpec, 1);
  Error e = caught([&] { m.compile(Json::parse(R"({"optimizer": {"type": "adam", "beta2": 2}})")); });
  CHECK(e.kind() == ErrorKind::Config);
  CHECK(e.option() == "beta2");
  CHECK(e.number() == 2.0);
  Error lr = caught([&] { m.set_learning_rate(std::nanf("")); });
  CHECK(lr.kind() == ErrorKind::Config);
  CHECK(lr.option() == "learningRate");
  CHECK(std::isnan(lr.number()));
}

TEST_CASE("a divergence is a training error whose value is the loss", "[errors]") {
  Model m(R"({"inputShape": [1, 1, 2], "layers": [{"type": "flatten"}, {"type": "dense", "units": 2}]})", 1);
  const float x[2] = {1e30f, -1e30f};
  const std::int32_t y[1] = {1};
  m.set_weights(1, 0, std::vector<float>{1e10f, -1e10f, -1e10f, 1e10f}.data(), 4);
  Error e = caught([&] { m.train_batch(x, y, 1); });
  CHECK(e.kind() == ErrorKind::Training);
  CHECK(e.code() == "diverged");
  CHECK(e.has_number());
  CHECK(!std::isfinite(e.number()));
}

TEST_CASE("file errors say which section is cut short or corrupted", "[errors]") {
  Model m(kSpec, 1);
  std::vector<std::uint8_t> bytes = m.save(true);
  Error t = caught([&] { Model::load(bytes.data(), 30); });
  CHECK(t.kind() == ErrorKind::File);
  CHECK(t.code() == "truncated");
  CHECK(t.option() == "spec");
  bytes.back() ^= 1;
  Error c = caught([&] { Model::load(bytes); });
  CHECK(c.code() == "checksum");
}
