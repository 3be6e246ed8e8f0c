#pragma once
// Seeded, platform-independent RNG (SplitMix64 → xoshiro128+ style) so the
// same seed gives bit-identical weights everywhere; std::*_distribution is
// implementation-defined and would not.
#include <cmath>
#include <cstdint>

namespace convolab {

class Rng {
 public:
  explicit Rng(std::uint64_t seed = 42) : state_(seed) {}

  std::uint64_t next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 24 random bits: exactly representable as float.
  float uniform() { return static_cast<float>(next_u64() >> 40) * (1.0f / 16777216.0f); }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Box–Muller; uses only +,*,log,sqrt,cos so results are reproducible.
  float normal() {
    double u1 = (static_cast<double>(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
    double u2 = static_cast<double>(next_u64() >> 11) * (1.0 / 9007199254740992.0);
    return static_cast<float>(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
  }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next_u64() % n); }

 private:
  std::uint64_t state_;
};

}  // namespace convolab
