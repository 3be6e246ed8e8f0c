// The depthwise convolution as plain loops over every output element and
// window cell: the oracle the SIMD kernels are tested against, and the whole
// implementation in reference builds. Glossary as in kernels.h; M is the
// depth multiplier, CM = C*M the output channels.
#include "../kernels.h"

namespace convolab::kernels::reference {

namespace {

// Calls f(iy, ix, k) for every in-bounds cell of output pixel (oy, ox)'s
// window, k = ky*KW + kx, in row-major order.
template <class F>
void for_each_tap(const ConvGeometry& g, int oy, int ox, F&& f) {
  for (int ky = 0; ky < g.kh; ++ky) {
    const int iy = oy * g.sh + ky - g.pad_top;
    if (iy < 0 || iy >= g.h) continue;
    for (int kx = 0; kx < g.kw; ++kx) {
      const int ix = ox * g.sw + kx - g.pad_left;
      if (ix < 0 || ix >= g.w) continue;
      f(iy, ix, ky * g.kw + kx);
    }
  }
}

}  // namespace

std::size_t depthwise_forward_workspace_size(int, const ConvGeometry&, int) { return 0; }
std::size_t depthwise_backward_filter_workspace_size(int, const ConvGeometry&, int) { return 0; }
std::size_t depthwise_backward_input_workspace_size(int, const ConvGeometry&, int) { return 0; }

void depthwise_forward(const float* in, int n, const ConvGeometry& g, int m, const float* kernel, float* out,
                       const Epilogue& ep, void* /*workspace*/) {
  const int cm = g.c * m;
  for (int img = 0; img < n; ++img) {
    const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        float* o = out + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * cm;
        for (int ci = 0; ci < g.c; ++ci)
          for (int j = 0; j < m; ++j) {
            const int q = ci * m + j;
            float s = 0.0f;
            for_each_tap(g, oy, ox, [&](int iy, int ix, int k) {
              s += x[(static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c + ci] *
                   kernel[static_cast<std::ptrdiff_t>(k) * cm + q];
            });
            o[q] = s;
          }
        reference::bias_act(o, 1, cm, ep.bias, ep.act, ep.alpha);
      }
  }
}

void depthwise_backward_filter_add(const float* in, int n, const ConvGeometry& g, int m, const float* dout,
                                   float* dkernel, void* /*workspace*/) {
  const int cm = g.c * m;
  for (int img = 0; img < n; ++img) {
    const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        const float* d = dout + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * cm;
        for_each_tap(g, oy, ox, [&](int iy, int ix, int k) {
          const float* xp = x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
          float* dk = dkernel + static_cast<std::ptrdiff_t>(k) * cm;
          for (int ci = 0; ci < g.c; ++ci)
            for (int j = 0; j < m; ++j) dk[ci * m + j] += xp[ci] * d[ci * m + j];
        });
      }
  }
}

void depthwise_backward_input_add(const float* dout, int n, const ConvGeometry& g, int m, const float* kernel,
                                  float* din, void* /*workspace*/) {
  const int cm = g.c * m;
  for (int img = 0; img < n; ++img) {
    float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox) {
        const float* d = dout + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * cm;
        for_each_tap(g, oy, ox, [&](int iy, int ix, int k) {
          float* dxp = dx + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
          const float* w = kernel + static_cast<std::ptrdiff_t>(k) * cm;
          for (int ci = 0; ci < g.c; ++ci)
            for (int j = 0; j < m; ++j) dxp[ci] += d[ci * m + j] * w[ci * m + j];
        });
      }
  }
}

}  // namespace convolab::kernels::reference
