// depthwise_forward, depthwise_backward_filter_add and
// depthwise_backward_input_add against the reference's plain loops: channel
// counts 1, 3, 4, 7, 8, 9, 17, 31 times multipliers 1-3 (every vector block
// and tail of C*M), geometries that clip windows on every side, strides,
// windows wholly in the padding, and batches big enough to be split across
// threads. Each result must not depend on the thread count, to the bit.
#include "conv_geometry_support.h"
#include "kernels_support.h"

using namespace convolab;
using convolab::test::conv_geometry;
using convolab::test::describe_conv;
using convolab::test::expect_close;
using convolab::test::expect_equal;
using convolab::test::random_floats;

namespace {

std::vector<float> abs_of(std::vector<float> v) {
  for (auto& x : v) x = std::fabs(x);
  return v;
}

// Sizes of one case: input, output and kernel, in floats.
struct Sizes {
  std::size_t in, out, kernel;
};
Sizes sizes(const kernels::ConvGeometry& g, int n, int m) {
  const std::size_t cm = static_cast<std::size_t>(g.c) * m;
  return {static_cast<std::size_t>(n) * g.h * g.w * g.c, static_cast<std::size_t>(n) * g.oh * g.ow * cm,
          static_cast<std::size_t>(g.kh) * g.kw * cm};
}

// Every thread count gives the reference's values (within summation-order
// rounding, bounded by the same sums over absolute values: scale) and the
// same bits as one thread.
template <class Run>
void check_threads(const std::string& what, const std::vector<float>& want, const std::vector<float>& scale,
                   Run&& run) {
  std::vector<float> first;
  convolab::test::for_each_thread_count([&](int threads) {
    const std::string at = what + " threads=" + std::to_string(threads);
    const std::vector<float> got = run();
    expect_close(at, got, want, 2e-6, 1e-6, &scale);
    if (first.empty())
      first = got;
    else
      expect_equal(at + " vs one thread", got, first);
  });
}

void check(const kernels::ConvGeometry& g, int n, int m, kernels::Act act, Rng& rng) {
  const Sizes sz = sizes(g, n, m);
  const int cm = g.c * m;
  const auto x = random_floats(sz.in, rng);
  const auto w = random_floats(sz.kernel, rng);
  const auto bias = random_floats(cm, rng);
  const auto dout = random_floats(sz.out, rng);
  const auto dk0 = random_floats(sz.kernel, rng);
  const auto din0 = random_floats(sz.in, rng);
  const std::string shape = describe_conv(g, n, m);

  kernels::Epilogue ep;
  ep.bias = bias.data();
  ep.act = act;
  ep.alpha = 0.3f;
  std::vector<float> want(sz.out), scale(sz.out);
  kernels::reference::depthwise_forward(x.data(), n, g, m, w.data(), want.data(), ep, nullptr);
  const auto abs_bias = abs_of(bias);
  kernels::Epilogue abs_ep;
  abs_ep.bias = abs_bias.data();
  kernels::reference::depthwise_forward(abs_of(x).data(), n, g, m, abs_of(w).data(), scale.data(), abs_ep, nullptr);
  check_threads("depthwise_forward " + shape + " act=" + std::to_string(static_cast<int>(act)), want, scale, [&] {
    std::vector<float> got(sz.out, 77.0f);  // poison: every cell must be written
    convolab::test::TestWorkspace ws(kernels::depthwise_forward_workspace_size(n, g, m));
    kernels::depthwise_forward(x.data(), n, g, m, w.data(), got.data(), ep, ws.data());
    CHECK(ws.guard_intact());
    return got;
  });

  std::vector<float> want_dk = dk0, scale_dk = abs_of(dk0);
  kernels::reference::depthwise_backward_filter_add(x.data(), n, g, m, dout.data(), want_dk.data(), nullptr);
  kernels::reference::depthwise_backward_filter_add(abs_of(x).data(), n, g, m, abs_of(dout).data(), scale_dk.data(),
                                                    nullptr);
  check_threads("depthwise_backward_filter_add " + shape, want_dk, scale_dk, [&] {
    std::vector<float> got = dk0;
    convolab::test::TestWorkspace ws(kernels::depthwise_backward_filter_workspace_size(n, g, m));
    kernels::depthwise_backward_filter_add(x.data(), n, g, m, dout.data(), got.data(), ws.data());
    CHECK(ws.guard_intact());
    return got;
  });

  std::vector<float> want_din = din0, scale_din = abs_of(din0);
  kernels::reference::depthwise_backward_input_add(dout.data(), n, g, m, w.data(), want_din.data(), nullptr);
  kernels::reference::depthwise_backward_input_add(abs_of(dout).data(), n, g, m, abs_of(w).data(), scale_din.data(),
                                                   nullptr);
  check_threads("depthwise_backward_input_add " + shape, want_din, scale_din, [&] {
    std::vector<float> got = din0;
    convolab::test::TestWorkspace ws(kernels::depthwise_backward_input_workspace_size(n, g, m));
    kernels::depthwise_backward_input_add(dout.data(), n, g, m, w.data(), got.data(), ws.data());
    CHECK(ws.guard_intact());
    return got;
  });
}

}  // namespace

TEST_CASE("depthwise kernels match the reference on every channel count and multiplier", "[kernels][depthwise]") {
  Rng rng(21);
  for (int c : {1, 3, 4, 7, 8, 9, 17, 31})
    for (int m : {1, 2, 3}) {
      check(conv_geometry(7, 6, c, 3, 3, 1, 1, 1, 1, 1, 1), 2, m, kernels::Act::Linear, rng);  // 'same'
      check(conv_geometry(8, 9, c, 3, 2, 2, 3, 0, 1, 1, 0), 2, m, kernels::Act::Relu, rng);    // strides, odd pads
    }
}

TEST_CASE("depthwise kernels handle clipped windows, strides and thread splits", "[kernels][depthwise]") {
  Rng rng(22);
  check(conv_geometry(3, 3, 5, 5, 5, 1, 1, 4, 4, 4, 4), 1, 1, kernels::Act::Relu, rng);    // windows wholly in padding
  check(conv_geometry(5, 4, 9, 2, 7, 1, 2, 0, 6, 1, 6), 2, 2, kernels::Act::Linear, rng);  // kernel wider than input
  check(conv_geometry(6, 6, 8, 3, 3, 3, 3, 0, 0, 0, 0), 3, 1, kernels::Act::LeakyRelu, rng);  // stride = kernel
  check(conv_geometry(9, 8, 4, 3, 3, 2, 2, 0, 0, 0, 0), 2, 1, kernels::Act::Linear, rng);     // valid, unused edge
  check(conv_geometry(1, 1, 17, 3, 3, 1, 1, 1, 1, 1, 1), 2, 1, kernels::Act::Relu, rng);      // a single pixel
  check(conv_geometry(4, 4, 3, 1, 1, 1, 1, 0, 0, 0, 0), 2, 3, kernels::Act::Linear, rng);     // 1x1
  // MobileNet-style block, batches that split across threads and chunks
  check(conv_geometry(28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1), 6, 1, kernels::Act::Relu, rng);
  check(conv_geometry(14, 14, 16, 3, 3, 2, 2, 0, 0, 1, 1), 9, 2, kernels::Act::Linear, rng);
}
