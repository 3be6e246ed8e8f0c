// The build's GEMM against the reference twin (and the reference against a
// naive double-precision loop) on every transpose, beta, epilogue and on
// sizes that hit each register-tile and K-block remainder.
#include <algorithm>

#include "kernels_support.h"

using namespace convolab;
using convolab::kernels::Act;
using convolab::kernels::Epilogue;
using convolab::test::expect_close;
using convolab::test::random_floats;

namespace {

struct GemmCase {
  bool ta, tb;
  int m, n, k;
  int pad;  // extra leading-dimension slack, so strided views are covered
  float beta;
  Act act;
  bool bias;
};

std::string describe(const GemmCase& g) {
  std::ostringstream s;
  s << "gemm ta=" << g.ta << " tb=" << g.tb << " m=" << g.m << " n=" << g.n << " k=" << g.k << " pad=" << g.pad
    << " beta=" << g.beta << " act=" << static_cast<int>(g.act) << " bias=" << g.bias;
  return s.str();
}

// Runs one case through the build's gemm and the reference; the tolerance
// scales with sum |a||b| (the size summation-order differences can reach).
void check_gemm(const GemmCase& g, Rng& rng) {
  const int lda = (g.ta ? g.m : g.k) + g.pad, ldb = (g.tb ? g.k : g.n) + g.pad, ldc = g.n + g.pad;
  const auto a = random_floats(static_cast<std::size_t>(g.ta ? g.k : g.m) * lda, rng);
  const auto b = random_floats(static_cast<std::size_t>(g.tb ? g.n : g.k) * ldb, rng);
  const auto c0 = random_floats(static_cast<std::size_t>(g.m) * ldc, rng);
  const auto bias = random_floats(g.n, rng);
  Epilogue ep;
  ep.bias = g.bias ? bias.data() : nullptr;
  ep.act = g.act;
  ep.alpha = 0.25f;

  std::vector<float> want = c0;
  kernels::reference::gemm(g.ta, g.tb, g.m, g.n, g.k, a.data(), lda, b.data(), ldb, g.beta, want.data(), ldc, ep,
                           nullptr);  // the reference needs no workspace
  std::vector<float> scale(want.size(), 1.0f);
  for (int i = 0; i < g.m; ++i)
    for (int j = 0; j < g.n; ++j) {
      double s = std::fabs(c0[i * ldc + j]) + std::fabs(bias[j]);
      for (int p = 0; p < g.k; ++p)
        s += std::fabs(static_cast<double>(g.ta ? a[p * lda + i] : a[i * lda + p]) *
                       (g.tb ? b[j * ldb + p] : b[p * ldb + j]));
      scale[i * ldc + j] = static_cast<float>(s);
    }
  convolab::test::for_each_thread_count([&](int threads) {
    std::vector<float> got = c0;
    convolab::test::TestWorkspace ws(kernels::gemm_workspace_size(g.ta, g.tb, g.m, g.n, g.k));
    kernels::gemm(g.ta, g.tb, g.m, g.n, g.k, a.data(), lda, b.data(), ldb, g.beta, got.data(), ldc, ep, ws.data());
    expect_close(describe(g) + " threads=" + std::to_string(threads), got, want, 2e-6, 1e-6, &scale);
    CHECK(ws.guard_intact());
  });
}

}  // namespace

TEST_CASE("reference gemm agrees with a naive double-precision loop", "[kernels][gemm]") {
  Rng rng(11);
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      const int m = 5, n = 7, k = 9, lda = ta ? m : k, ldb = tb ? k : n;
      const auto a = random_floats(static_cast<std::size_t>(m) * k, rng);
      const auto b = random_floats(static_cast<std::size_t>(k) * n, rng);
      const auto bias = random_floats(n, rng);
      std::vector<float> c(static_cast<std::size_t>(m) * n, 0.5f), want(c.size());
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) {
          double s = 0.5 + bias[j];
          for (int p = 0; p < k; ++p)
            s += static_cast<double>(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
          want[i * n + j] = static_cast<float>(s > 0 ? s : 0.0);
        }
      Epilogue ep;
      ep.bias = bias.data();
      ep.act = Act::Relu;
      kernels::reference::gemm(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, 1.0f, c.data(), n, ep, nullptr);
      expect_close("reference gemm ta=" + std::to_string(ta) + " tb=" + std::to_string(tb), c, want, 1e-5, 1e-6);
    }
}

TEST_CASE("gemm matches the reference on every edge size", "[kernels][gemm]") {
  Rng rng(1);
  const int ks[] = {1, 3, 4, 8, 9, 17};
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (int m : convolab::test::edge_sizes())
        for (int n : convolab::test::edge_sizes())
          for (int k : ks) check_gemm({ta, tb, m, n, k, 0, 0.0f, Act::Linear, false}, rng);
}

TEST_CASE("gemm accumulates, applies bias and activations, and reads strided views", "[kernels][gemm]") {
  Rng rng(2);
  for (Act act : {Act::Linear, Act::Relu, Act::LeakyRelu})
    for (bool bias : {false, true})
      for (float beta : {0.0f, 1.0f})
        for (bool ta : {false, true})
          for (bool tb : {false, true})
            for (int m : {1, 7, 17})
              for (int n : {3, 8, 16, 33}) check_gemm({ta, tb, m, n, 13, 3, beta, act, bias}, rng);
}

TEST_CASE("gemm crosses K blocks and thread splits on large shapes", "[kernels][gemm]") {
  Rng rng(3);
  // conv 3x3 64->64 on a 16x16 image; the reference net's weight gradient
  // (long K); the dense layer; K past several 256-blocks with ragged tails.
  check_gemm({false, false, 256, 64, 576, 0, 0.0f, Act::Relu, true}, rng);
  check_gemm({true, false, 200, 16, 3000, 0, 1.0f, Act::Linear, false}, rng);
  check_gemm({false, true, 300, 200, 16, 0, 0.0f, Act::Linear, false}, rng);
  check_gemm({false, false, 32, 10, 784, 0, 0.0f, Act::Linear, true}, rng);
  check_gemm({true, true, 61, 45, 777, 5, 1.0f, Act::LeakyRelu, true}, rng);
  check_gemm({false, false, 1, 1, 1000, 0, 0.0f, Act::Linear, false}, rng);
}

TEST_CASE("gemm with k = 0 only scales C and applies the epilogue", "[kernels][gemm]") {
  Rng rng(4);
  check_gemm({false, false, 3, 5, 0, 0, 0.0f, Act::Relu, true}, rng);
  check_gemm({false, false, 3, 5, 0, 0, 1.0f, Act::LeakyRelu, true}, rng);
}

TEST_CASE("the build runs its SIMD kernels, not the reference fallback", "[kernels]") {
  const std::string name = kernels::implementation_name();
  INFO("implementation: " << name);
#if defined(__wasm_simd128__)
  CHECK(name == "wasm_simd");
#elif defined(__x86_64__) || defined(__i386__)
  CHECK(name.rfind("x86", 0) == 0);
#else
  CHECK(name == "reference");
#endif
}

TEST_CASE("gemm with one or two rows and a large B (streamed, not packed) matches the reference", "[kernels][gemm]") {
  Rng rng(5);
  for (bool tb : {false, true})
    for (int m : {1, 2})
      for (int n : {1, 3, 4, 5, 9, 17, 33})
        for (int k : {4096, 4103})
          check_gemm({false, tb, m, n, k, 2, m == 1 ? 0.0f : 1.0f, n % 2 ? Act::Relu : Act::LeakyRelu, n > 3}, rng);
  check_gemm({false, false, 1, 10, 784, 0, 0.0f, Act::Linear, true},
             rng);  // one image through the reference net's Dense
}
