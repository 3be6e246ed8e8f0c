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
          d << "bias_act rows=" << rows << " cols=" << cols << " act=" << static_cast<int>(act) << " bias=" << with_bias;
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
  for (int rows : {1, 2, 7, 100})
    for (int cols : convolab::test::edge_sizes()) {
      const auto d = random_floats(static_cast<std::size_t>(rows) * cols, rng);
      const auto start = random_floats(cols, rng);
      std::vector<float> want = start, got = start;
      kernels::reference::sum_rows_add(d.data(), rows, cols, want.data());
      kernels::sum_rows_add(d.data(), rows, cols, got.data());
      expect_close("sum_rows_add rows=" + std::to_string(rows) + " cols=" + std::to_string(cols), got, want, 1e-5, 1e-5);
    }
}

TEST_CASE("act_backward matches the reference, zeros and negatives included", "[kernels][vector]") {
  Rng rng(12);
  for (int count : convolab::test::edge_sizes())
    for (Act act : {Act::Linear, Act::Relu, Act::LeakyRelu}) {
      auto y = random_floats(count, rng);
      for (int i = 0; i < count; i += 3) y[i] = 0.0f;  // y = 0 is "not positive"
      const auto dy = random_floats(count, rng);
      std::vector<float> want = dy, got = dy;
      kernels::reference::act_backward(act, 0.2f, y.data(), want.data(), count);
      kernels::act_backward(act, 0.2f, y.data(), got.data(), count);
      expect_close("act_backward count=" + std::to_string(count) + " act=" + std::to_string(static_cast<int>(act)), got,
                   want, 0.0);
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
      expect_close("softmax_rows rows=" + std::to_string(rows) + " cols=" + std::to_string(cols), got, want, 1e-5, 1e-7);
      for (int r = 0; r < rows; ++r) {
        double s = 0;
        for (int j = 0; j < cols; ++j) s += got[r * cols + j];
        CHECK(std::fabs(s - 1.0) < 1e-5);
      }
    }
}
