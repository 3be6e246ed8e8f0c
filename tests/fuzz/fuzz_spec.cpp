// libFuzzer target: the spec JSON parser and the model builder on arbitrary
// text. Json::parse must accept or throw convolab::Error; what it accepts
// must dump to text that parses back to the same dump. A document that is a
// valid spec builds a model; its optional "compile" member is compiled; a
// small enough model then trains one step and predicts, so every layer's
// shape rule is held to what forward and backward really touch.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "convolab/model.h"

namespace {

constexpr std::size_t kStepLimit = 1 << 16;  // floats of input + weights worth a training step

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  convolab::Json spec;
  try {
    spec = convolab::Json::parse(text);
  } catch (const convolab::Error&) {
    return 0;
  }
  const std::string dumped = spec.dump();
  try {
    if (convolab::Json::parse(dumped).dump() != dumped) std::abort();
  } catch (const convolab::Error&) {
    std::abort();  // the parser must read back what the dumper writes
  }
  try {
    convolab::Model m(spec, 7);
    if (spec.is_object() && spec.has("compile")) m.compile(spec["compile"]);
    const std::size_t in = m.input_shape().size();
    if (in * 2 + m.param_count() > kStepLimit) return 0;
    const int n = 2;
    std::vector<float> x(in * n);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) / 7.0f;
    // one class index per output position (a feature-map output has many)
    std::vector<std::int32_t> labels(static_cast<std::size_t>(n) * m.positions(), 0);
    try {
      m.train_batch(x.data(), labels.data(), n);
    } catch (const convolab::Error& e) {
      const convolab::ErrorKind kind = e.kind();
      if (kind != convolab::ErrorKind::Training && kind != convolab::ErrorKind::Input &&
          kind != convolab::ErrorKind::Memory)
        std::abort();  // a built, compiled model refuses a step only for these
    }
    std::vector<float> out(static_cast<std::size_t>(n) * m.output_size());
    m.predict(x.data(), n, out.data());
  } catch (const convolab::Error&) {
    // an invalid spec or config, refused with a message
  }
  return 0;
}
