// Save/load: a round trip restores everything that matters (weights, state,
// optimizer, learning rate), and every truncated or corrupted file is
// rejected with a message, never half-loaded.
#include "convolab/crc32.h"
#include "convolab/model.h"
#include "support.h"

using namespace convolab;
using convolab::test::random_vector;

namespace {

const char* kNet = R"({"inputShape":[6,6,2],"layers":[
  {"type":"conv2d","filters":3,"kernelSize":3,"padding":"same","activation":"relu"},
  {"type":"batchNormalization"},
  {"type":"maxPooling2d","poolSize":2},
  {"type":"dropout","rate":0.25},
  {"type":"flatten"},
  {"type":"dense","units":4,"activation":"softmax"}]})";

struct Batch {
  std::vector<float> x;
  std::vector<std::int32_t> y;
};

Batch batch(std::uint64_t seed) {
  Rng rng(seed);
  Batch b{random_vector(5 * 72, rng), {0, 1, 2, 3, 1}};
  return b;
}

}  // namespace

TEST_CASE("CRC-32 matches the standard check value", "[io]") {
  const char* s = "123456789";
  CHECK(crc32(reinterpret_cast<const std::uint8_t*>(s), 9) == 0xCBF43926u);
}

TEST_CASE("a saved model loads back complete: same outputs, same next steps", "[io]") {
  for (const char* opt :
       {R"({"type":"adam","learningRate":0.01})", R"({"type":"momentum","useNesterov":true})",
        R"({"type":"rmsprop","momentum":0.5})", R"({"type":"rmsprop","momentum":0.5,"centered":true})",
        R"({"type":"adadelta","learningRate":1})", R"("sgd")"}) {
    INFO(opt);
    Model a(kNet, 3);
    a.compile(Json::parse(std::string(R"({"loss":"categoricalCrossentropy","optimizer":)") + opt + "}"));
    Batch b = batch(1);
    for (int i = 0; i < 3; ++i) a.train_batch(b.x.data(), b.y.data(), 5);
    a.set_learning_rate(a.learning_rate() * 0.5f);
    const std::vector<std::uint8_t> bytes = a.save();
    Model c = Model::load(bytes);
    CHECK(c.spec().dump() == a.spec().dump());
    CHECK(c.learning_rate() == a.learning_rate());
    CHECK(std::equal(a.param_values(), a.param_values() + a.param_count(), c.param_values()));
    CHECK(c.state_count() == 6);
    CHECK(std::equal(a.state_values(), a.state_values() + a.state_count(), c.state_values()));
    std::vector<float> pa(20), pc(20);
    a.predict(b.x.data(), 5, pa.data());
    c.predict(b.x.data(), 5, pc.data());
    CHECK(pa == pc);
    // Continuing training from the file is identical (optimizer state and
    // dropout seed included), bit for bit.
    Batch b2 = batch(2);
    c.set_learning_rate(a.learning_rate());
    Model a2 = Model::load(a.save());
    const float la = a2.train_batch(b2.x.data(), b2.y.data(), 5);
    const float lc = c.train_batch(b2.x.data(), b2.y.data(), 5);
    CHECK(la == lc);
    CHECK(std::equal(a2.param_values(), a2.param_values() + a2.param_count(), c.param_values()));
  }
}

TEST_CASE("the optimizer state is restored, or left out on request", "[io]") {
  Model a(kNet, 3);
  a.compile(Json::parse(R"({"optimizer":{"type":"momentum","momentum":0.9}})"));
  Batch b = batch(1);
  a.train_batch(b.x.data(), b.y.data(), 5);
  Model with = Model::load(a.save(true));
  Model without = Model::load(a.save(false));
  CHECK(a.save(false).size() < a.save(true).size());
  REQUIRE(with.optimizer().state().size() == 1);
  CHECK(*with.optimizer().state()[0] == *a.optimizer().state()[0]);
  CHECK(without.optimizer().state()[0]->empty());
}

TEST_CASE("every truncation of a model file is rejected", "[io]") {
  Model a(kNet, 3);
  const std::vector<std::uint8_t> bytes = a.save();
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    INFO("length " << len);
    CHECK_THROWS_AS(Model::load(bytes.data(), len), Error);
  }
  CHECK_THROWS_WITH(Model::load(bytes.data(), 10), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(Model::load(bytes.data(), bytes.size() - 1), Catch::Contains("model file is"));
}

TEST_CASE("corrupted model files are rejected with what is wrong", "[io]") {
  Model a(kNet, 3);
  const std::vector<std::uint8_t> bytes = a.save();
  // Any single flipped byte: the checksum (or a check before it) catches it.
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    std::vector<std::uint8_t> bad = bytes;
    bad[i] ^= 0x5A;
    INFO("byte " << i);
    CHECK_THROWS_AS(Model::load(bad), Error);
  }
  std::vector<std::uint8_t> bad = bytes;
  bad[0] = 'X';
  CHECK_THROWS_WITH(Model::load(bad), "not a Convolab model (the file does not start with CLMD)");
  bad = bytes;
  bad[4] = 9;
  CHECK_THROWS_WITH(Model::load(bad), "model file version 9 is not supported (expected 1)");
  bad = bytes;
  bad[bytes.size() - 20] ^= 1;  // a weight bit
  CHECK_THROWS_WITH(Model::load(bad), "model file is corrupted: the checksum does not match");
  bad = bytes;
  bad.push_back(0);
  CHECK_THROWS_AS(Model::load(bad), Error);
}

namespace {

// Rewrites the checksum so a deliberately edited file gets past it.
void reseal(std::vector<std::uint8_t>& b) {
  const std::uint32_t c = crc32(b.data(), b.size() - 4);
  for (int i = 0; i < 4; ++i) b[b.size() - 4 + i] = static_cast<std::uint8_t>(c >> (8 * i));
}

}  // namespace

TEST_CASE("a well-formed file whose contents do not fit its spec is rejected", "[io]") {
  Model a(R"({"inputShape":[1,1,3],"layers":[{"type":"dense","units":2}]})", 1);
  std::vector<std::uint8_t> bytes = a.save(false);
  // spec text starts at 24 after its u32 length at 20: change units 2 → 3
  std::string spec(bytes.begin() + 24, bytes.begin() + 24 + bytes[20]);
  const std::size_t at = spec.find("\"units\":2");
  REQUIRE(at != std::string::npos);
  std::vector<std::uint8_t> bad = bytes;
  bad[24 + at + 8] = '3';
  reseal(bad);
  CHECK_THROWS_WITH(Model::load(bad), "model file is corrupted: it has 8 weights but its spec needs 12");
  bad = bytes;
  bad[24 + at + 8] = '0';
  reseal(bad);
  CHECK_THROWS_WITH(Model::load(bad), Catch::Contains("layer 1 (Dense): 'units' must be at least 1"));
  // a NaN weight
  bad = bytes;
  const std::size_t last_weight = bad.size() - 4 - 4 - 4;  // before the checksum and the (zero) state count
  bad[last_weight] = 0x00;
  bad[last_weight + 1] = 0x00;
  bad[last_weight + 2] = 0xC0;
  bad[last_weight + 3] = 0x7F;
  reseal(bad);
  CHECK_THROWS_WITH(Model::load(bad), Catch::Contains("is not a finite number"));
}
