// im2col and col2im_add against the reference on geometries that clip the
// window on every side (including windows entirely in the padding), with
// channel counts around each SIMD width.
#include "conv_geometry_support.h"
#include "kernels_support.h"

using namespace convolab;
using convolab::test::conv_geometry;
using convolab::test::describe_conv;
using convolab::test::expect_close;
using convolab::test::random_floats;

namespace {

void check(const kernels::ConvGeometry& g, int n, Rng& rng) {
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t cols_size = static_cast<std::size_t>(n) * g.oh * g.ow * g.patch();
  const auto x = random_floats(in_size, rng);
  const auto cols_in = random_floats(cols_size, rng);
  const auto din0 = random_floats(in_size, rng);
  std::vector<float> want_cols(cols_size), want_din = din0;
  kernels::reference::im2col(x.data(), n, g, want_cols.data(), nullptr);
  kernels::reference::col2im_add(cols_in.data(), n, g, want_din.data());
  convolab::test::for_each_thread_count([&](int threads) {
    std::vector<float> cols(cols_size, 123.0f), din = din0;  // poison: every cell must be written
    convolab::test::TestWorkspace ws(kernels::im2col_workspace_size(n, g));
    kernels::im2col(x.data(), n, g, cols.data(), ws.data());
    expect_close("im2col " + describe_conv(g, n) + " threads=" + std::to_string(threads), cols, want_cols, 0.0);
    CHECK(ws.guard_intact());
    kernels::col2im_add(cols_in.data(), n, g, din.data());
    // col2im sums up to KH*KW terms per cell, in the same order as the reference
    expect_close("col2im_add " + describe_conv(g, n) + " threads=" + std::to_string(threads), din, want_din, 1e-6,
                 1e-6);
  });
}

}  // namespace

TEST_CASE("im2col and col2im_add match the reference on every channel count", "[kernels][im2col]") {
  Rng rng(5);
  for (int c : convolab::test::edge_sizes()) {
    check(conv_geometry(7, 6, c, 3, 3, 1, 1, 1, 1, 1, 1), 2, rng);
    check(conv_geometry(8, 9, c, 5, 5, 1, 1, 2, 2, 2, 2), 3, rng);
    check(conv_geometry(9, 7, c, 3, 2, 2, 3, 0, 1, 1, 0), 2, rng);
  }
}

TEST_CASE("im2col and col2im_add handle windows clipped on every side", "[kernels][im2col]") {
  Rng rng(6);
  check(conv_geometry(28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2), 2, rng);  // the reference net's first layer
  check(conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2), 2, rng);  // and its second
  check(conv_geometry(4, 5, 3, 1, 1, 1, 1, 0, 0, 0, 0), 2, rng);    // 1x1
  check(conv_geometry(3, 3, 2, 5, 5, 1, 1, 4, 4, 4, 4), 1, rng);    // windows wholly in the padding
  check(conv_geometry(5, 4, 5, 2, 7, 1, 2, 0, 6, 1, 6), 2, rng);    // kernel wider than the input
  check(conv_geometry(6, 6, 4, 3, 3, 3, 3, 0, 0, 0, 0), 3, rng);    // stride = kernel, no overlap
  check(conv_geometry(1, 1, 9, 3, 3, 1, 1, 1, 1, 1, 1), 2, rng);    // a single pixel
}

namespace {

void check_conv_forward(const kernels::ConvGeometry& g, int n, int oc, kernels::Act act, Rng& rng) {
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t out_size = static_cast<std::size_t>(n) * g.oh * g.ow * oc;
  const auto x = random_floats(in_size, rng);
  const auto w = random_floats(static_cast<std::size_t>(g.patch()) * oc, rng);
  const auto bias = random_floats(oc, rng);
  kernels::Epilogue ep;
  ep.bias = bias.data();
  ep.act = act;
  ep.alpha = 0.3f;
  std::vector<float> want(out_size);
  std::vector<float> cols(static_cast<std::size_t>(n) * g.oh * g.ow * g.patch()), scale(out_size);
  kernels::reference::conv2d_forward(x.data(), n, g, w.data(), oc, want.data(), ep, cols.data());
  // bound on summation-order differences: sum |x||w| + |bias| per output
  kernels::reference::im2col(x.data(), n, g, cols.data(), nullptr);
  for (std::size_t q = 0; q < out_size / oc; ++q)
    for (int o = 0; o < oc; ++o) {
      double s = std::fabs(bias[o]);
      for (int p = 0; p < g.patch(); ++p)
        s += std::fabs(cols[q * g.patch() + p] * w[static_cast<std::size_t>(p) * oc + o]);
      scale[q * oc + o] = static_cast<float>(s);
    }
  convolab::test::for_each_thread_count([&](int threads) {
    std::vector<float> got(out_size, 77.0f);
    convolab::test::TestWorkspace ws(kernels::conv2d_forward_workspace_size(n, g, oc));
    kernels::conv2d_forward(x.data(), n, g, w.data(), oc, got.data(), ep, ws.data());
    CHECK(ws.guard_intact());
    expect_close("conv2d_forward " + describe_conv(g, n) + " oc=" + std::to_string(oc) +
                     " act=" + std::to_string(static_cast<int>(act)) + " threads=" + std::to_string(threads),
                 got, want, 2e-6, 1e-6, &scale);
  });
}

}  // namespace

TEST_CASE("conv2d_forward (implicit GEMM) matches im2col + gemm of the reference", "[kernels][conv]") {
  Rng rng(14);
  for (int oc : {1, 3, 4, 8, 9, 16, 17, 33})
    for (int c : {1, 3, 4, 8})
      check_conv_forward(conv_geometry(7, 6, c, 3, 3, 1, 1, 1, 1, 1, 1), 2, oc, kernels::Act::Relu, rng);
  check_conv_forward(conv_geometry(28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2), 3, 8, kernels::Act::Relu, rng);  // reference net
  check_conv_forward(conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2), 2, 16, kernels::Act::LeakyRelu, rng);
  check_conv_forward(conv_geometry(16, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1), 1, 64, kernels::Act::Linear, rng);  // 3x3 64→64
  check_conv_forward(conv_geometry(6, 5, 48, 3, 3, 1, 1, 1, 1, 1, 1), 2, 9, kernels::Act::Relu,
                     rng);  // long rows, ragged OC
  check_conv_forward(conv_geometry(9, 7, 5, 3, 2, 2, 3, 0, 1, 1, 0), 2, 7, kernels::Act::Linear,
                     rng);  // strides, odd pads
  check_conv_forward(conv_geometry(3, 3, 2, 5, 5, 1, 1, 4, 4, 4, 4), 1, 3, kernels::Act::Relu,
                     rng);  // windows in padding
  check_conv_forward(conv_geometry(5, 4, 5, 2, 7, 1, 2, 0, 6, 1, 6), 2, 5, kernels::Act::Linear,
                     rng);  // kernel wider than input
  check_conv_forward(conv_geometry(8, 9, 3, 3, 3, 2, 2, 0, 0, 0, 0), 2, 4, kernels::Act::Relu,
                     rng);  // valid, unused edge
}

namespace {

void check_filter_grad(const kernels::ConvGeometry& g, int n, int oc, Rng& rng) {
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t rows = static_cast<std::size_t>(n) * g.oh * g.ow;
  const auto x = random_floats(in_size, rng);
  const auto dout = random_floats(rows * oc, rng);
  const auto dk0 = random_floats(static_cast<std::size_t>(g.patch()) * oc, rng);
  std::vector<float> cols(rows * g.patch()), want = dk0, scale(dk0.size());
  kernels::reference::conv2d_backward_filter_add(x.data(), n, g, dout.data(), oc, want.data(), cols.data());
  for (int p = 0; p < g.patch(); ++p)
    for (int o = 0; o < oc; ++o) {
      double s = std::fabs(dk0[static_cast<std::size_t>(p) * oc + o]);
      for (std::size_t q = 0; q < rows; ++q) s += std::fabs(cols[q * g.patch() + p] * dout[q * oc + o]);
      scale[static_cast<std::size_t>(p) * oc + o] = static_cast<float>(s);
    }
  std::vector<float> first;
  convolab::test::for_each_thread_count([&](int threads) {
    std::vector<float> got = dk0;
    convolab::test::TestWorkspace ws(kernels::conv2d_backward_filter_workspace_size(n, g, oc));
    kernels::conv2d_backward_filter_add(x.data(), n, g, dout.data(), oc, got.data(), ws.data());
    CHECK(ws.guard_intact());
    const std::string what = "conv2d_backward_filter_add " + describe_conv(g, n) + " oc=" + std::to_string(oc) +
                             " threads=" + std::to_string(threads);
    expect_close(what, got, want, 2e-6, 1e-6, &scale);
    // the reduction is cut by shape, not by thread count: same bits
    if (first.empty())
      first = got;
    else
      convolab::test::expect_equal(what + " vs one thread", got, first);
  });
}

}  // namespace

TEST_CASE("conv2d_backward_filter_add matches im2col^T * dout of the reference", "[kernels][conv]") {
  Rng rng(15);
  for (int oc : {1, 3, 4, 8, 9, 16, 17, 33})
    for (int c : {1, 3, 4, 8}) check_filter_grad(conv_geometry(7, 6, c, 3, 3, 1, 1, 1, 1, 1, 1), 2, oc, rng);
  check_filter_grad(conv_geometry(28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2), 3, 8, rng);  // reference net, > 256 pixels
  check_filter_grad(conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2), 4, 16, rng);
  // batches whose reduction is cut into pixel chunks summed in order
  check_filter_grad(conv_geometry(28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2), 32, 8, rng);  // reference net, batch 32
  check_filter_grad(conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2), 32, 16, rng);
  check_filter_grad(conv_geometry(16, 16, 5, 3, 3, 1, 1, 1, 1, 1, 1), 12, 9, rng);  // ragged OC: packed dout
  check_filter_grad(conv_geometry(6, 5, 48, 3, 3, 1, 1, 1, 1, 1, 1), 2, 9, rng);    // long rows, ragged OC
  check_filter_grad(conv_geometry(9, 7, 5, 3, 2, 2, 3, 0, 1, 1, 0), 2, 7, rng);     // strides, odd pads
  check_filter_grad(conv_geometry(3, 3, 2, 5, 5, 1, 1, 4, 4, 4, 4), 1, 3, rng);     // windows in padding
  check_filter_grad(conv_geometry(5, 4, 5, 2, 7, 1, 2, 0, 6, 1, 6), 2, 5, rng);     // kernel wider than input
}

namespace {

void check_input_grad(const kernels::ConvGeometry& g, int n, int oc, Rng& rng) {
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t rows = static_cast<std::size_t>(n) * g.oh * g.ow;
  const auto dout = random_floats(rows * oc, rng);
  const auto w = random_floats(static_cast<std::size_t>(g.patch()) * oc, rng);
  const auto din0 = random_floats(in_size, rng);
  std::vector<float> dcols(rows * g.patch()), want = din0;
  kernels::reference::conv2d_backward_input_add(dout.data(), n, g, w.data(), oc, want.data(), dcols.data());
  // bound: |din0| + sum over contributions |dout||w| (a sum of dcols terms)
  std::vector<float> absd(dout.size()), absw(w.size()), scale(in_size);
  for (std::size_t i = 0; i < dout.size(); ++i) absd[i] = std::fabs(dout[i]);
  for (std::size_t i = 0; i < w.size(); ++i) absw[i] = std::fabs(w[i]);
  for (std::size_t i = 0; i < in_size; ++i) scale[i] = std::fabs(din0[i]);
  kernels::reference::conv2d_backward_input_add(absd.data(), n, g, absw.data(), oc, scale.data(), dcols.data());
  convolab::test::for_each_thread_count([&](int threads) {
    std::vector<float> got = din0;
    convolab::test::TestWorkspace ws(kernels::conv2d_backward_input_workspace_size(n, g, oc));
    kernels::conv2d_backward_input_add(dout.data(), n, g, w.data(), oc, got.data(), ws.data());
    CHECK(ws.guard_intact());
    expect_close("conv2d_backward_input_add " + describe_conv(g, n) + " oc=" + std::to_string(oc) +
                     " threads=" + std::to_string(threads),
                 got, want, 2e-6, 1e-6, &scale);
  });
}

}  // namespace

TEST_CASE("conv2d_backward_input_add matches col2im(dout * kernel^T) of the reference", "[kernels][conv]") {
  Rng rng(16);
  for (int oc : {1, 3, 4, 8, 9, 16, 17, 33})
    for (int c : {1, 3, 4, 8, 9, 17}) check_input_grad(conv_geometry(7, 6, c, 3, 3, 1, 1, 1, 1, 1, 1), 2, oc, rng);
  check_input_grad(conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2), 3, 16, rng);  // reference net's second conv
  check_input_grad(conv_geometry(6, 5, 48, 3, 3, 1, 1, 1, 1, 1, 1), 2, 64, rng);   // long rows
  check_input_grad(conv_geometry(8, 9, 3, 3, 3, 1, 1, 0, 0, 0, 0), 2, 5, rng);     // valid
  check_input_grad(conv_geometry(7, 8, 4, 2, 3, 1, 1, 0, 1, 1, 1), 2, 6, rng);     // asymmetric 'same'
  check_input_grad(conv_geometry(9, 7, 5, 3, 2, 2, 3, 0, 1, 1, 0), 2, 7, rng);     // strides: the dcols path
  check_input_grad(conv_geometry(3, 3, 2, 3, 3, 1, 1, 4, 4, 4, 4), 1, 3, rng);     // padding wider than the kernel
}

TEST_CASE("workspace sizes never shrink as the batch grows", "[kernels][workspace]") {
  // A layer sizes its workspace once, for its largest batch, and runs
  // smaller ones in it.
  const kernels::ConvGeometry shapes[] = {
      conv_geometry(28, 28, 1, 5, 5, 1, 1, 2, 2, 2, 2),   // the reference net
      conv_geometry(14, 14, 8, 5, 5, 1, 1, 2, 2, 2, 2),   //
      conv_geometry(16, 16, 64, 3, 3, 1, 1, 1, 1, 1, 1),  // long rows (im2col in wasm)
      conv_geometry(9, 7, 5, 3, 2, 2, 3, 0, 1, 1, 0),     // strides: dcols
  };
  for (const auto& g : shapes)
    for (int oc : {3, 8, 16, 64}) {
      std::size_t last[4] = {0, 0, 0, 0};
      for (int n = 1; n <= 96; n += n < 40 ? 1 : 7) {
        const std::size_t now[4] = {
            kernels::conv2d_forward_workspace_size(n, g, oc), kernels::conv2d_backward_filter_workspace_size(n, g, oc),
            kernels::conv2d_backward_input_workspace_size(n, g, oc), kernels::im2col_workspace_size(n, g)};
        for (int i = 0; i < 4; ++i) {
          INFO(describe_conv(g, n) << " oc=" << oc << " size " << i << ": " << now[i] << " after " << last[i]);
          CHECK(now[i] >= last[i]);
          last[i] = now[i];
        }
      }
    }
  // GEMM: the batch is M (forward, input gradient) or K (weight gradient);
  // the bias gradient sums its rows.
  for (int width : {10, 16, 100, 784}) {
    std::size_t last[4] = {0, 0, 0, 0};
    for (int b = 1; b <= 5000; b += b < 64 ? 1 : 97) {
      const std::size_t now[4] = {kernels::gemm_workspace_size(false, false, b, width, 300),
                                  kernels::gemm_workspace_size(true, false, 300, width, b),
                                  kernels::gemm_workspace_size(false, true, b, 300, width),
                                  kernels::sum_rows_add_workspace_size(b, width)};
      for (int i = 0; i < 4; ++i) {
        INFO("batch " << b << " width " << width << " size " << i << ": " << now[i] << " after " << last[i]);
        CHECK(now[i] >= last[i]);
        last[i] = now[i];
      }
    }
  }
}
