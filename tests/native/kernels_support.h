#pragma once
// Shared by the kernel tests: every build's kernels (wasm SIMD, x86, or the
// reference itself) are held against convolab::kernels::reference on sizes
// that hit each main-loop/tail combination, and a mismatch prints where.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "../../engine/kernels/kernels.h"
#include "convolab/rng.h"

namespace convolab::test {

// Sizes around every SIMD width (4, 8, 16) and register tile (4..12 rows).
inline const std::vector<int>& edge_sizes() {
  static const std::vector<int> sizes = {1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 16, 17, 31, 33};
  return sizes;
}

inline std::vector<float> random_floats(std::size_t n, Rng& rng, float lo = -1.0f, float hi = 1.0f) {
  std::vector<float> v(n);
  for (auto& x : v) x = rng.uniform(lo, hi);
  return v;
}

// Element i passes when |got - want| <= abs_tol + rel_tol * scale[i] (scale
// defaults to |want|). On failure the first few positions and both values
// are reported with the case's description.
inline void expect_close(const std::string& what, const std::vector<float>& got, const std::vector<float>& want,
                         double rel_tol, double abs_tol = 0.0, const std::vector<float>* scale = nullptr) {
  REQUIRE(got.size() == want.size());
  std::size_t bad = 0;
  std::ostringstream where;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const double s = scale ? (*scale)[i] : std::fabs(want[i]);
    const bool same_nan = std::isnan(got[i]) && std::isnan(want[i]);
    if (same_nan || std::fabs(static_cast<double>(got[i]) - want[i]) <= abs_tol + rel_tol * s) continue;
    if (bad++ < 5) where << "\n  at [" << i << "]: got " << got[i] << ", reference " << want[i];
  }
  INFO(what << ": " << bad << " of " << got.size() << " differ" << where.str());
  CHECK(bad == 0);
}

template <class I>
void expect_equal(const std::string& what, const std::vector<I>& got, const std::vector<I>& want) {
  REQUIRE(got.size() == want.size());
  std::size_t bad = 0;
  std::ostringstream where;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    if (bad++ < 5) where << "\n  at [" << i << "]: got " << got[i] << ", reference " << want[i];
  }
  INFO(what << ": " << bad << " of " << got.size() << " differ" << where.str());
  CHECK(bad == 0);
}

// A kernel's workspace in a test: exactly the bytes its *_workspace_size
// asks for, filled with NaNs (a kernel must not count on what the last call
// left there), and a guard zone behind it that must stay untouched (the
// size was enough). Tests run every thread count, so the per-thread pieces
// are checked too.
class TestWorkspace {
 public:
  explicit TestWorkspace(std::size_t bytes) : bytes_(bytes), mem_(bytes + kGuard, 0xff) {}
  void* data() { return mem_.data(); }
  bool guard_intact() const {
    for (std::size_t i = bytes_; i < mem_.size(); ++i)
      if (mem_[i] != 0xff) return false;
    return true;
  }

 private:
  static constexpr std::size_t kGuard = 4096;
  std::size_t bytes_;
  std::vector<unsigned char> mem_;
};

// Runs f once per thread count the build offers (1, then the maximum), and
// restores the default.
template <class F>
void for_each_thread_count(F&& f) {
  const int saved = kernels::num_threads();
  kernels::set_num_threads(64);
  const int most = kernels::num_threads();
  for (int t : {1, most}) {
    kernels::set_num_threads(t);
    f(t);
    if (most == 1) break;
  }
  kernels::set_num_threads(saved);
}

}  // namespace convolab::test
