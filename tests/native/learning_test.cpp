// The learning test: the reference net reaches >= 96.5 % on the 2,000
// held-out MNIST digits after at most 5 epochs on the other 8,000, with
// ConvNetJS's recipe (SGD, momentum 0.9, lr 0.01, batch 32), seed fixed.
#include <numeric>

#include "cldata.h"
#include "convolab/model.h"
#include "support.h"
#include "support_model.h"

using namespace convolab;

TEST_CASE("the reference net learns MNIST: >= 96.5 % held out within 5 epochs", "[learning]") {
  const test::Dataset ds = test::read_cldata(std::string(CONVOLAB_DATA_DIR) + "/mnist.cldata");
  REQUIRE(ds.count == 10000);
  const int train = 8000, held_out = 2000, batch = 32;
  const std::vector<float> x_train = ds.images(0, train), x_test = ds.images(train, held_out);
  std::vector<std::int32_t> y_train(ds.labels.begin(), ds.labels.begin() + train);
  std::vector<std::int32_t> y_test(ds.labels.begin() + train, ds.labels.end());

  Model m(test::kReferenceSpec, 1);
  m.compile(Json::parse(
      R"({"optimizer":{"type":"momentum","learningRate":0.01,"momentum":0.9},"loss":"categoricalCrossentropy"})"));
  Rng rng(2024);
  std::vector<int> order(train);
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> xb(static_cast<std::size_t>(batch) * 784);
  std::vector<std::int32_t> yb(batch);
  float accuracy = 0.0f;
  int epochs = 0;
  while (epochs < 5 && accuracy < 0.965f) {
    for (int i = train - 1; i > 0; --i) std::swap(order[i], order[rng.below(static_cast<std::uint32_t>(i + 1))]);
    for (int start = 0; start + batch <= train; start += batch) {
      for (int j = 0; j < batch; ++j) {
        const int idx = order[start + j];
        std::copy(x_train.begin() + static_cast<std::ptrdiff_t>(idx) * 784,
                  x_train.begin() + static_cast<std::ptrdiff_t>(idx + 1) * 784, xb.begin() + j * 784);
        yb[j] = y_train[idx];
      }
      m.train_batch(xb.data(), yb.data(), batch);
    }
    ++epochs;
    const Evaluation e = m.evaluate(x_test.data(), y_test.data(), held_out);
    accuracy = e.accuracy;
    WARN("epoch " << epochs << ": held-out accuracy " << 100.0f * accuracy << " %, loss " << e.loss);
  }
  CHECK(accuracy >= 0.965f);
}
