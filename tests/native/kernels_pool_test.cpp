// Max pooling against the reference: values and argmax exactly (ties keep
// the first maximum in row-major order, so ties are made common on purpose),
// and the routed gradient.
#include "kernels_support.h"

using namespace convolab;
using convolab::test::expect_close;
using convolab::test::expect_equal;

namespace {

kernels::PoolGeometry geometry(int h, int w, int c, int ph, int pw, int sh, int sw, int pt, int pl, int pb, int pr) {
  kernels::PoolGeometry g{};
  g.h = h;
  g.w = w;
  g.c = c;
  g.ph = ph;
  g.pw = pw;
  g.sh = sh;
  g.sw = sw;
  g.pad_top = pt;
  g.pad_left = pl;
  g.oh = (h + pt + pb - ph) / sh + 1;
  g.ow = (w + pl + pr - pw) / sw + 1;
  return g;
}

void check(const kernels::PoolGeometry& g, int n, Rng& rng) {
  std::ostringstream d;
  d << "n=" << n << " in " << g.h << "x" << g.w << "x" << g.c << " pool " << g.ph << "x" << g.pw << " stride " << g.sh
    << "x" << g.sw << " pad " << g.pad_top << "," << g.pad_left;
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t out_size = static_cast<std::size_t>(n) * g.oh * g.ow * g.c;
  std::vector<float> x(in_size);
  for (auto& v : x) v = static_cast<float>(rng.below(5)) - 2.0f;  // few values: many ties
  const auto dout = convolab::test::random_floats(out_size, rng);
  const auto din0 = convolab::test::random_floats(in_size, rng);
  std::vector<float> want(out_size), want_din = din0;
  std::vector<std::int32_t> want_arg(out_size);
  kernels::reference::max_pool_forward(x.data(), n, g, want.data(), want_arg.data());
  kernels::reference::max_pool_backward_add(dout.data(), want_arg.data(), n, g, want_din.data());
  convolab::test::for_each_thread_count([&](int threads) {
    const std::string what = d.str() + " threads=" + std::to_string(threads);
    std::vector<float> out(out_size, 99.0f), din = din0;
    std::vector<std::int32_t> arg(out_size, -7);
    kernels::max_pool_forward(x.data(), n, g, out.data(), arg.data());
    expect_close("max_pool_forward values " + what, out, want, 0.0);
    expect_equal("max_pool_forward argmax " + what, arg, want_arg);
    kernels::max_pool_backward_add(dout.data(), want_arg.data(), n, g, din.data());
    expect_close("max_pool_backward_add " + what, din, want_din, 0.0);
  });
}

}  // namespace

TEST_CASE("max pooling matches the reference on every channel count", "[kernels][pool]") {
  Rng rng(8);
  for (int c : convolab::test::edge_sizes()) {
    check(geometry(6, 6, c, 2, 2, 2, 2, 0, 0, 0, 0), 2, rng);
    check(geometry(7, 7, c, 3, 3, 2, 2, 1, 1, 1, 1), 2, rng);
    check(geometry(5, 8, c, 2, 3, 1, 2, 0, 1, 1, 1), 3, rng);
  }
  check(geometry(28, 28, 8, 2, 2, 2, 2, 0, 0, 0, 0), 3, rng);  // the reference net
  check(geometry(3, 3, 4, 3, 3, 1, 1, 2, 2, 2, 2), 2, rng);    // windows mostly in the padding
}

namespace {

// Average pooling: values and the spread gradient against the reference.
// The sums run in the reference's order, so only a fused multiply-add the
// compiler makes of the reference's loop can move the last bit.
void check_average(const kernels::PoolGeometry& g, int n, Rng& rng) {
  std::ostringstream d;
  d << "n=" << n << " in " << g.h << "x" << g.w << "x" << g.c << " pool " << g.ph << "x" << g.pw << " stride " << g.sh
    << "x" << g.sw << " pad " << g.pad_top << "," << g.pad_left;
  const std::size_t in_size = static_cast<std::size_t>(n) * g.h * g.w * g.c;
  const std::size_t out_size = static_cast<std::size_t>(n) * g.oh * g.ow * g.c;
  const auto x = convolab::test::random_floats(in_size, rng);
  const auto dout = convolab::test::random_floats(out_size, rng);
  const auto din0 = convolab::test::random_floats(in_size, rng);
  std::vector<float> want(out_size), want_din = din0;
  kernels::reference::avg_pool_forward(x.data(), n, g, want.data());
  kernels::reference::avg_pool_backward_add(dout.data(), n, g, want_din.data());
  convolab::test::for_each_thread_count([&](int threads) {
    const std::string what = d.str() + " threads=" + std::to_string(threads);
    std::vector<float> out(out_size, 99.0f), din = din0;
    kernels::avg_pool_forward(x.data(), n, g, out.data());
    expect_close("avg_pool_forward " + what, out, want, 1e-6, 1e-7);
    kernels::avg_pool_backward_add(dout.data(), n, g, din.data());
    expect_close("avg_pool_backward_add " + what, din, want_din, 1e-6, 1e-7);
  });
}

}  // namespace

TEST_CASE("average pooling matches the reference on every channel count", "[kernels][pool]") {
  Rng rng(9);
  for (int c : convolab::test::edge_sizes()) {
    check_average(geometry(6, 6, c, 2, 2, 2, 2, 0, 0, 0, 0), 2, rng);
    check_average(geometry(7, 7, c, 3, 3, 2, 2, 1, 1, 1, 1), 2, rng);  // 'same': border windows count fewer cells
    check_average(geometry(5, 8, c, 2, 3, 1, 2, 0, 1, 1, 1), 3, rng);  // overlapping windows
    check_average(geometry(4, 5, c, 4, 5, 4, 5, 0, 0, 0, 0), 2, rng);  // global average pooling
  }
  check_average(geometry(28, 28, 8, 2, 2, 2, 2, 0, 0, 0, 0), 32, rng);  // a batch the threads split
  check_average(geometry(3, 3, 4, 3, 3, 1, 1, 2, 2, 2, 2), 2, rng);     // windows mostly in the padding
}
