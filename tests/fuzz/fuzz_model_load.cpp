// libFuzzer target: the .clmodel loader (Model::load) on arbitrary bytes.
// It must either return a complete, usable model or throw convolab::Error;
// anything else (a crash, a sanitizer report, another exception) is a bug.
// The checksum is rewritten to match, so mutations reach the sections
// behind it instead of all stopping at the CRC check. A model that loads
// must save to bytes that load again to the same bytes, and predict.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "convolab/crc32.h"
#include "convolab/model.h"

namespace {

// Fuzzed specs can ask for big (valid) models; predicting with those only
// spends the run's time, not its coverage.
constexpr std::size_t kPredictLimit = 1 << 16;

void fix_checksum(std::vector<std::uint8_t>& b) {
  if (b.size() < 8) return;
  const std::uint32_t crc = convolab::crc32(b.data(), b.size() - 4);
  for (int i = 0; i < 4; ++i) b[b.size() - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  fix_checksum(bytes);
  try {
    convolab::Model m = convolab::Model::load(bytes);
    const std::vector<std::uint8_t> saved = m.save(true);
    convolab::Model again = convolab::Model::load(saved);
    if (again.save(true) != saved) std::abort();  // a round trip must be exact
    const std::size_t in = m.input_shape().size();
    if (in * 2 + m.param_count() <= kPredictLimit) {
      std::vector<float> x(in * 2, 0.5f), out(2 * m.output_size());
      m.predict(x.data(), 2, out.data());
    }
  } catch (const convolab::Error&) {
    // refused with a message: what the loader should do with bad bytes
  }
  return 0;
}
