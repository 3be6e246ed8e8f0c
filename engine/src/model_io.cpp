// The .clmodel format (all integers and floats little-endian):
//
//   0  'CLMD'          magic
//   4  u32 version (1)
//   8  u32 flags        bit 0: optimizer state present
//  12  u64 seed
//  20  u32 specLength     + spec JSON (UTF-8)
//   …  u32 compileLength  + compile config JSON (current learning rate)
//   …  u32 paramCount     + f32 trainable parameters, model order
//   …  u32 stateCount     + f32 non-trainable state (moving statistics)
//   …  if flag 0: u32 bufferCount, then per buffer u32 length + f32 values
//  end u32 CRC-32 (IEEE) of every byte before it
//
// Loading reads into locals, checks every length against what is left,
// the checksum, the spec (by building it) and every count against the built
// model before anything is returned.
#include <cmath>
#include <cstring>
#include <memory>

#include "convolab/crc32.h"
#include "convolab/model.h"

namespace convolab {

namespace {

constexpr char kMagic[4] = {'C', 'L', 'M', 'D'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kHasOptimizer = 1;

class Writer {
 public:
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void text(const std::string& s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  void floats(const float* v, std::size_t n) {
    u32(static_cast<std::uint32_t>(n));
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, v + i, 4);
      u32(bits);
    }
  }
  std::vector<std::uint8_t> out;
};

class Reader {
 public:
  Reader(const std::uint8_t* b, std::size_t n) : b_(b), n_(n) {}
  std::uint32_t u32(const char* what) {
    need(4, what);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(b_[pos_ + i]) << (8 * i);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64(const char* what) {
    const std::uint64_t lo = u32(what);
    return lo | static_cast<std::uint64_t>(u32(what)) << 32;
  }
  std::string text(const char* what) {
    const std::uint32_t len = u32(what);
    need(len, what);
    std::string s(reinterpret_cast<const char*>(b_ + pos_), len);
    pos_ += len;
    return s;
  }
  std::vector<float> floats(const char* what) {
    const std::uint32_t count = u32(what);
    need(static_cast<std::size_t>(count) * 4, what);
    std::vector<float> v(count);
    for (std::uint32_t i = 0; i < count; ++i) {
      std::uint32_t bits = 0;
      for (int k = 0; k < 4; ++k) bits |= static_cast<std::uint32_t>(b_[pos_ + 4 * i + k]) << (8 * k);
      std::memcpy(&v[i], &bits, 4);
    }
    pos_ += static_cast<std::size_t>(count) * 4;
    return v;
  }
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return n_ - pos_; }

 private:
  void need(std::size_t bytes, const char* what) const {
    if (bytes > n_ - pos_)
      throw Error(std::string("model file is truncated: the ") + what + " needs " + std::to_string(bytes) +
                      " bytes but only " + std::to_string(n_ - pos_) + " remain",
                  ErrorKind::File)
          .with_code("truncated")
          .with_option(what)
          .with_value(static_cast<double>(bytes));
  }
  const std::uint8_t* b_;
  std::size_t n_;
  std::size_t pos_ = 0;
};

void check_finite(const std::vector<float>& v, const char* what) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]))
      throw Error(
          std::string("model file is corrupted: ") + what + " value " + std::to_string(i) + " is not a finite number",
          ErrorKind::File)
          .with_option(what)
          .at_index(static_cast<long long>(i))
          .with_value(v[i]);
}

}  // namespace

std::vector<std::uint8_t> Model::save(bool with_optimizer) const {
  Writer w;
  w.out.insert(w.out.end(), kMagic, kMagic + 4);
  w.u32(kVersion);
  w.u32(with_optimizer ? kHasOptimizer : 0);
  w.u64(seed_);
  w.text(spec_.dump());
  w.text(compile_config().dump());
  w.floats(values_.data(), values_.size());
  w.floats(state_.data(), state_.size());
  if (with_optimizer) {
    auto buffers = optimizer_->state();
    w.u32(static_cast<std::uint32_t>(buffers.size()));
    for (const std::vector<float>* b : buffers) w.floats(b->data(), b->size());
  }
  w.u32(crc32(w.out.data(), w.out.size()));
  return std::move(w.out);
}

Model Model::load(const std::uint8_t* bytes, std::size_t size) {
  if (size < 24)
    throw Error("model file is truncated: " + std::to_string(size) + " bytes is smaller than the header",
                ErrorKind::File)
        .with_code("truncated")
        .with_option("header");
  if (std::memcmp(bytes, kMagic, 4) != 0)
    throw Error("not a Convolab model (the file does not start with CLMD)", ErrorKind::File)
        .with_code("notAModel")
        .with_option("magic");
  Reader r(bytes, size - 4);  // the last 4 bytes are the checksum
  r.u32("magic");
  const std::uint32_t version = r.u32("version");
  if (version != kVersion)
    throw Error("model file version " + std::to_string(version) + " is not supported (expected " +
                    std::to_string(kVersion) + ")",
                ErrorKind::File)
        .with_code("version")
        .with_option("version")
        .with_value(version);
  const std::uint32_t flags = r.u32("flags");
  if (flags & ~kHasOptimizer)
    throw Error("model file is corrupted: unknown flags " + std::to_string(flags), ErrorKind::File)
        .with_option("flags")
        .with_value(flags);
  const std::uint64_t seed = r.u64("seed");
  const std::string spec_text = r.text("spec");
  const std::string compile_text = r.text("compile config");
  std::vector<float> values = r.floats("weights");
  std::vector<float> state = r.floats("state");
  std::vector<std::vector<float>> buffers;
  if (flags & kHasOptimizer) {
    const std::uint32_t count = r.u32("optimizer state");
    if (count > 16)
      throw Error("model file is corrupted: " + std::to_string(count) + " optimizer buffers", ErrorKind::File)
          .with_option("optimizer state")
          .with_value(count);
    for (std::uint32_t i = 0; i < count; ++i) buffers.push_back(r.floats("optimizer state"));
  }
  if (r.left() != 0)
    throw Error("model file is corrupted: " + std::to_string(r.left()) + " unexpected bytes before the checksum",
                ErrorKind::File)
        .with_option("checksum")
        .with_value(static_cast<double>(r.left()));
  std::uint32_t stored = 0;
  for (int i = 0; i < 4; ++i) stored |= static_cast<std::uint32_t>(bytes[size - 4 + i]) << (8 * i);
  if (stored != crc32(bytes, size - 4))
    throw Error("model file is corrupted: the checksum does not match", ErrorKind::File)
        .with_code("checksum")
        .with_option("checksum");

  Json spec, compile;
  try {
    spec = Json::parse(spec_text);
    compile = Json::parse(compile_text);
  } catch (const Error& e) {
    throw Error(std::string("model file is corrupted: ") + e.what()).with_fields_of(e).as(ErrorKind::File);
  }
  // Its spec and compile config must be valid; their errors keep the layer
  // and option they name, as file errors (the file is what is wrong).
  std::unique_ptr<Model> built;
  try {
    built = std::make_unique<Model>(spec, seed);
    built->compile(compile);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Memory) throw;  // too large is too large, wherever the spec came from
    throw Error(e.what()).with_fields_of(e).as(ErrorKind::File);
  }
  Model& m = *built;
  if (values.size() != m.values_.size())
    throw Error("model file is corrupted: it has " + std::to_string(values.size()) + " weights but its spec needs " +
                    std::to_string(m.values_.size()),
                ErrorKind::File)
        .with_option("weights")
        .with_value(static_cast<double>(values.size()));
  if (state.size() != m.state_.size())
    throw Error("model file is corrupted: it has " + std::to_string(state.size()) +
                    " state values but its spec needs " + std::to_string(m.state_.size()),
                ErrorKind::File)
        .with_option("state")
        .with_value(static_cast<double>(state.size()));
  check_finite(values, "weight");
  check_finite(state, "state");
  auto slots = m.optimizer_->state();
  if (flags & kHasOptimizer) {
    if (buffers.size() != slots.size())
      throw Error("model file is corrupted: the " + std::string(m.optimizer_->name()) + " optimizer has " +
                      std::to_string(slots.size()) + " state buffers, the file " + std::to_string(buffers.size()),
                  ErrorKind::File)
          .with_option("optimizer state")
          .with_value(static_cast<double>(buffers.size()));
    for (std::size_t i = 0; i < buffers.size(); ++i) {
      // Per-weight buffers are empty (never stepped) or one value per weight;
      // scalar buffers (Adam's running beta powers) keep their own length.
      const std::size_t expect = slots[i]->size();
      auto per_weight = [&](std::size_t n) { return n == 0 || n == values.size(); };
      const bool ok = buffers[i].size() == expect || (per_weight(expect) && per_weight(buffers[i].size()));
      if (!ok)
        throw Error("model file is corrupted: optimizer buffer " + std::to_string(i) + " has the wrong length",
                    ErrorKind::File)
            .with_option("optimizer state")
            .at_index(static_cast<long long>(i));
      check_finite(buffers[i], "optimizer state");
    }
  }
  std::copy(values.begin(), values.end(), m.values_.begin());
  std::copy(state.begin(), state.end(), m.state_.begin());
  for (std::size_t i = 0; i < buffers.size(); ++i) *slots[i] = std::move(buffers[i]);
  return std::move(m);
}

}  // namespace convolab
