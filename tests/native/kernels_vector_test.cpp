// The element-wise and row kernels against the reference on lengths that
// hit every SIMD main-loop/tail split.
#include "kernels_support.h"

using namespace convolab;
using convolab::kernels::Act;
using convolab::test::expect_close;
using convolab::test::random_floats;

TEST_CASE("bias_act and add_bias_rows match the reference", "[kernels][vector]") {
  Rng rng(9);
  for (int rows : {1, 3, 5})
    for (int cols : convolab::test::edge_sizes())
      for (Act act : {Act::Linear, Act::Relu, Act::LeakyRelu})
        for (bool with_bias : {false, true}) {
          const auto x = random_floats(static_cast<std::size_t>(rows) * cols, rng);
          const auto bias = random_floats(cols, rng);
          std::vector<float> want = x, got = x;
          kernels::reference::bias_act(want.data(), rows, cols, with_bias ? bias.data() : nullptr, act, 0.1f);
          kernels::bias_act(got.data(), rows, cols, with_bias ? bias.data() : nullptr, act, 0.1f);
          std::ostringstream d;
          d << "bias_act rows=" << rows << " cols=" << cols << " act=" << static_cast<int>(act)
            << " bias=" << with_bias;
          expect_close(d.str(), got, want, 0.0);
          want = x;
          got = x;
          kernels::reference::add_bias_rows(want.data(), rows, cols, bias.data());
          kernels::add_bias_rows(got.data(), rows, cols, bias.data());
          expect_close("add_bias_rows " + d.str(), got, want, 0.0);
        }
}

TEST_CASE("sum_rows_add matches the reference", "[kernels][vector]") {
  Rng rng(10);
  for (int rows : {1, 2, 7, 100, 3001})  // 3001: cut into row chunks summed in order
    for (int cols : convolab::test::edge_sizes()) {
      const auto d = random_floats(static_cast<std::size_t>(rows) * cols, rng);
      const auto start = random_floats(cols, rng);
      std::vector<float> want = start, first, scale(cols);
      kernels::reference::sum_rows_add(d.data(), rows, cols, want.data(), nullptr);
      // float sums in another order differ by rounding, relative to the sum of magnitudes
      for (int j = 0; j < cols; ++j) {
        double s = std::fabs(start[j]);
        for (int r = 0; r < rows; ++r) s += std::fabs(d[static_cast<std::size_t>(r) * cols + j]);
        scale[j] = static_cast<float>(s);
      }
      convolab::test::for_each_thread_count([&](int threads) {
        std::vector<float> got = start;
        convolab::test::TestWorkspace ws(kernels::sum_rows_add_workspace_size(rows, cols));
        kernels::sum_rows_add(d.data(), rows, cols, got.data(), ws.data());
        CHECK(ws.guard_intact());
        const std::string what = "sum_rows_add rows=" + std::to_string(rows) + " cols=" + std::to_string(cols) +
                                 " threads=" + std::to_string(threads);
        expect_close(what, got, want, 1e-6, 0.0, &scale);
        if (first.empty())
          first = got;
        else
          convolab::test::expect_equal(what + " vs one thread", got, first);
      });
    }
}

TEST_CASE("act_backward matches the reference, zeros and negatives included", "[kernels][vector]") {
  Rng rng(12);
  std::vector<int> counts = convolab::test::edge_sizes();
  counts.push_back(70001);  // split across threads
  for (int count : counts)
    for (Act act : {Act::Linear, Act::Relu, Act::LeakyRelu}) {
      auto y = random_floats(count, rng);
      for (int i = 0; i < count; i += 3) y[i] = 0.0f;  // y = 0 is "not positive"
      const auto dy = random_floats(count, rng);
      std::vector<float> want = dy, got = dy, beside(count, -7.0f);
      kernels::reference::act_backward(act, 0.2f, y.data(), want.data(), want.data(), count);
      kernels::act_backward(act, 0.2f, y.data(), got.data(), got.data(), count);
      const std::string what =
          "act_backward count=" + std::to_string(count) + " act=" + std::to_string(static_cast<int>(act));
      expect_close(what + " in place", got, want, 0.0);
      kernels::act_backward(act, 0.2f, y.data(), dy.data(), beside.data(), count);  // dy kept, dL/dpre beside it
      expect_close(what + " beside dy", beside, want, 0.0);
    }
}

TEST_CASE("softmax_rows matches the reference and sums to one", "[kernels][vector]") {
  Rng rng(13);
  for (int rows : {1, 4})
    for (int cols : convolab::test::edge_sizes()) {
      const auto x = random_floats(static_cast<std::size_t>(rows) * cols, rng, -20.0f, 20.0f);
      std::vector<float> want = x, got = x;
      kernels::reference::softmax_rows(want.data(), rows, cols);
      kernels::softmax_rows(got.data(), rows, cols);
      expect_close("softmax_rows rows=" + std::to_string(rows) + " cols=" + std::to_string(cols), got, want, 1e-5,
                   1e-7);
      for (int r = 0; r < rows; ++r) {
        double s = 0;
        for (int j = 0; j < cols; ++j) s += got[r * cols + j];
        CHECK(std::fabs(s - 1.0) < 1e-5);
      }
    }
}
