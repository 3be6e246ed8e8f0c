// Kernel workspaces as the summary reports them: each layer's is the largest
// of the kernel calls it makes (the first layer's input gradient left out),
// at the batch the model has room for.
#include <algorithm>

#include "../../engine/kernels/kernels.h"
#include "convolab/model.h"
#include "support.h"
#include "support_model.h"

using namespace convolab;

TEST_CASE("the summary reports each layer's kernel workspace at the reserved batch", "[model][summary][workspace]") {
  Model m(test::kReferenceSpec, 3);
  m.compile(Json::parse(R"({"loss":"categoricalCrossentropy","optimizer":{"type":"sgd","learningRate":0.01}})"));
  // conv1 28x28x1 -> 8 and conv2 14x14x8 -> 16, both 5x5 'same'; dense 784 -> 10
  const kernels::ConvGeometry conv1{28, 28, 1, 5, 5, 1, 1, 2, 2, 28, 28}, conv2{14, 14, 8, 5, 5, 1, 1, 2, 2, 14, 14};
  auto expected = [&](int n) {
    const std::size_t c1 = std::max({kernels::conv2d_forward_workspace_size(n, conv1, 8),
                                     kernels::conv2d_backward_filter_workspace_size(n, conv1, 8),
                                     kernels::sum_rows_add_workspace_size(n * 784, 8)});
    const std::size_t c2 = std::max({kernels::conv2d_forward_workspace_size(n, conv2, 16),
                                     kernels::conv2d_backward_filter_workspace_size(n, conv2, 16),
                                     kernels::conv2d_backward_input_workspace_size(n, conv2, 16),
                                     kernels::sum_rows_add_workspace_size(n * 196, 16)});
    const std::size_t d = std::max(
        {kernels::gemm_workspace_size(false, false, n, 10, 784), kernels::gemm_workspace_size(true, false, 784, 10, n),
         kernels::gemm_workspace_size(false, true, n, 784, 10), kernels::sum_rows_add_workspace_size(n, 10)});
    return std::vector<double>{double(c1), 0, double(c2), 0, 0, double(d)};
  };
  auto reported = [&](const Json& s) {
    std::vector<double> bytes;
    for (const Json& row : s["layers"].items()) bytes.push_back(row["workspaceBytes"].as_number());
    return bytes;
  };
  auto total = [](const std::vector<double>& v) {
    double t = 0;
    for (double b : v) t += b;
    return t;
  };

  Json before = m.summary_json();  // nothing reserved yet: tfjs's default batch
  CHECK(before["totals"]["workspaceBatch"].as_number() == 32);
  CHECK(reported(before) == expected(32));
  CHECK(before["totals"]["workspaceBytes"].as_number() == total(expected(32)));
  // every conv reads its windows from a padded copy of its input, at least
  CHECK(reported(before)[0] >= 32 * 32 * 32 * 1 * sizeof(float));
  CHECK(reported(before)[2] >= 32 * 18 * 18 * 8 * sizeof(float));

  Rng rng(4);
  const int batch = 50;
  const std::vector<float> x = test::random_vector(static_cast<std::size_t>(batch) * 784, rng, 0.0f, 1.0f);
  std::vector<std::int32_t> y(batch);
  for (int i = 0; i < batch; ++i) y[i] = i % 10;
  m.train_batch(x.data(), y.data(), batch);
  Json after = m.summary_json();
  CHECK(after["totals"]["workspaceBatch"].as_number() == batch);
  CHECK(reported(after) == expected(batch));
  CHECK_THAT(m.summary(), Catch::Contains("Kernel workspace: "));
  CHECK_THAT(m.summary(), Catch::Contains(" at batch 50 "));
}
