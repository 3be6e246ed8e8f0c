#pragma once
// The depthwise convolution kernels (kernel_list.inc), written once over a
// vector type V and vectorised over the output channel axis CM = C*M, so a
// multiplier of 1 (the common case) still fills every lane. Each of the
// three passes is a sum of window taps read in place, clipped at the padding
// (no im2col: a depthwise product is too cheap per element to pay for
// copying its windows out):
//   forward        out(p, q)  = sum over taps of x(cell, q) * kernel(tap, q)
//   filter grad    dk(tap, q) += sum over pixels of x(cell, q) * dout(p, q)
//   input grad     din(cell, q) += sum over taps of dout(p, q) * kernel(tap, q)
// where x is the input with every channel repeated M times (the input itself
// when M = 1; a per-task copy in the workspace otherwise). The taps of one
// output pixel, the pixels of one tap and the taps reaching one input cell
// are each a (strided) rectangle, so all three run through one routine,
// dot_taps, that keeps four vectors of channels in registers across it.
// VecKernels<V> (kernels_vec.h) derives from this and passes itself as Vk
// for its threading helpers.
#include <algorithm>
#include <cstddef>

#include "../kernels.h"
#include "../parallel.h"
#include "../workspace.h"

namespace convolab::kernels::generic {

template <class V, class Vk>
struct DepthwiseKernels {
  using T = typename V::T;
  static constexpr int W = V::W;

  // ny x nx taps: tap (y, x) reads src + y*dsy + x*dsx and wts + y*dwy + x*dwx.
  struct Taps {
    const float* src;
    std::ptrdiff_t dsy, dsx;
    const float* wts;
    std::ptrdiff_t dwy, dwx;
    int ny, nx;
  };

  template <int NB>
  static void dot_block(float* dst, const Taps& t, int q, bool accumulate, const Epilogue* ep) {
    T acc[NB];
    for (int b = 0; b < NB; ++b) acc[b] = V::zero();
    for (int y = 0; y < t.ny; ++y) {
      const float* s = t.src + y * t.dsy + q;
      const float* w = t.wts + y * t.dwy + q;
      for (int x = 0; x < t.nx; ++x, s += t.dsx, w += t.dwx)
        for (int b = 0; b < NB; ++b) acc[b] = V::madd(acc[b], V::load(s + b * W), V::load(w + b * W));
    }
    for (int b = 0; b < NB; ++b) {
      float* d = dst + q + b * W;
      T v = accumulate ? V::add(V::load(d), acc[b]) : acc[b];
      if (ep) {
        if (ep->bias) v = V::add(v, V::load(ep->bias + q + b * W));
        if (ep->act == Act::Relu)
          v = V::relu(v);
        else if (ep->act == Act::LeakyRelu)
          v = V::leaky(v, V::splat(ep->alpha));
      }
      V::store(d, v);
    }
  }

  // dst(cm) := epilogue(sum of the taps), or dst += sum when accumulate.
  static void dot_taps(float* dst, int cm, const Taps& t, bool accumulate, const Epilogue* ep) {
    int q = 0;
    for (; q + 4 * W <= cm; q += 4 * W) dot_block<4>(dst, t, q, accumulate, ep);
    for (; q + W <= cm; q += W) dot_block<1>(dst, t, q, accumulate, ep);
    for (; q < cm; ++q) {
      float s = 0.0f;
      for (int y = 0; y < t.ny; ++y)
        for (int x = 0; x < t.nx; ++x) s += t.src[y * t.dsy + x * t.dsx + q] * t.wts[y * t.dwy + x * t.dwx + q];
      float v = accumulate ? dst[q] + s : s;
      if (ep) {
        if (ep->bias) v += ep->bias[q];
        if (ep->act == Act::Relu)
          v = v > 0.0f ? v : 0.0f;
        else if (ep->act == Act::LeakyRelu)
          v = v > 0.0f ? v : ep->alpha * v;
      }
      dst[q] = v;
    }
  }

  // [lo, hi) of the t in [0, count) with 0 <= t*step + offset < limit.
  static void clip(int offset, int step, int limit, int count, int& lo, int& hi) {
    lo = offset >= 0 ? 0 : (-offset + step - 1) / step;
    hi = limit - 1 - offset < 0 ? 0 : std::min(count, (limit - 1 - offset) / step + 1);
    if (hi < lo) hi = lo;
  }

  static std::ptrdiff_t image_floats(const ConvGeometry& g, int m) {
    return static_cast<std::ptrdiff_t>(g.h) * g.w * g.c * m;
  }
  static std::ptrdiff_t pass_work(const ConvGeometry& g, int m) {
    return static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c * m * g.kh * g.kw;
  }

  // xe(H*W, C*M) := x(H*W, C) with channel ci repeated into ci*M .. ci*M+M-1.
  static void repeat_channels(const float* x, const ConvGeometry& g, int m, float* xe) {
    const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(g.h) * g.w;
    for (std::ptrdiff_t p = 0; p < cells; ++p, x += g.c)
      for (int ci = 0; ci < g.c; ++ci, xe += m) std::fill(xe, xe + m, x[ci]);
  }

  // Forward and the input gradient take whole images per task, each with
  // one image-sized piece (the repeated channels, M > 1 only).
  static WorkspaceLayout::Slots image_slots(int n, const ConvGeometry& g, int m, WorkspaceLayout& l) {
    const int tasks = Vk::image_tasks(n, pass_work(g, m), max_threads());
    return l.add_slots<float>(m > 1 ? tasks : 0, static_cast<std::size_t>(image_floats(g, m)));
  }
  static std::size_t image_slots_size(int n, const ConvGeometry& g, int m) {
    WorkspaceLayout l;
    image_slots(n, g, m, l);
    return l.bytes();
  }
  static std::size_t depthwise_forward_workspace_size(int n, const ConvGeometry& g, int m) {
    return image_slots_size(n, g, m);
  }
  static std::size_t depthwise_backward_input_workspace_size(int n, const ConvGeometry& g, int m) {
    return image_slots_size(n, g, m);
  }

  static void depthwise_forward(const float* in, int n, const ConvGeometry& g, int m, const float* kernel, float* out,
                                const Epilogue& epilogue, void* workspace) {
    const int cm = g.c * m;
    const Epilogue* ep = epilogue.bias || epilogue.act != Act::Linear ? &epilogue : nullptr;
    WorkspaceLayout l;
    const WorkspaceLayout::Slots slots = image_slots(n, g, m, l);
    Vk::per_image(n, pass_work(g, m), [&](int img, int slot) {
      const float* x = in + img * image_floats(g, 1);
      if (m > 1) {
        float* xe = workspace_at<float>(workspace, slots, slot);
        repeat_channels(x, g, m, xe);
        x = xe;
      }
      float* o = out + static_cast<std::ptrdiff_t>(img) * g.oh * g.ow * cm;
      for (int oy = 0; oy < g.oh; ++oy) {
        int ky_lo, ky_hi;
        clip(oy * g.sh - g.pad_top, 1, g.h, g.kh, ky_lo, ky_hi);
        for (int ox = 0; ox < g.ow; ++ox, o += cm) {
          int kx_lo, kx_hi;
          clip(ox * g.sw - g.pad_left, 1, g.w, g.kw, kx_lo, kx_hi);
          Taps t{x, static_cast<std::ptrdiff_t>(g.w) * cm, cm, kernel, static_cast<std::ptrdiff_t>(g.kw) * cm, cm, 0,
                 0};
          if (ky_lo < ky_hi && kx_lo < kx_hi) {
            const int iy = oy * g.sh + ky_lo - g.pad_top, ix = ox * g.sw + kx_lo - g.pad_left;
            t.src = x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * cm;
            t.wts = kernel + static_cast<std::ptrdiff_t>(ky_lo * g.kw + kx_lo) * cm;
            t.ny = ky_hi - ky_lo;
            t.nx = kx_hi - kx_lo;
          }
          dot_taps(o, cm, t, false, ep);
        }
      }
    });
  }

  // The gather form of the adjoint: input cell (iy, ix) collects tap ky from
  // output row (iy + pad_top - ky) / SH where that divides, so its taps are
  // ky = ky0, ky0 + SH, ... and the output rows step back one at a time.
  static void depthwise_backward_input_add(const float* dout, int n, const ConvGeometry& g, int m, const float* kernel,
                                           float* din, void* workspace) {
    const int cm = g.c * m;
    WorkspaceLayout l;
    const WorkspaceLayout::Slots slots = image_slots(n, g, m, l);
    Vk::per_image(n, pass_work(g, m), [&](int img, int slot) {
      const float* d = dout + static_cast<std::ptrdiff_t>(img) * g.oh * g.ow * cm;
      float* dx = din + img * image_floats(g, 1);
      // M = 1: add straight onto din; otherwise into dxe(H*W, CM), summed over j below
      float* dst = m > 1 ? workspace_at<float>(workspace, slots, slot) : dx;
      float* cell = dst;
      for (int iy = 0; iy < g.h; ++iy) {
        int ky0, ny;
        first_tap(iy + g.pad_top, g.sh, g.kh, g.oh, ky0, ny);
        for (int ix = 0; ix < g.w; ++ix, cell += cm) {
          int kx0, nx;
          first_tap(ix + g.pad_left, g.sw, g.kw, g.ow, kx0, nx);
          Taps t{d,
                 -static_cast<std::ptrdiff_t>(g.ow) * cm,
                 -cm,
                 kernel,
                 static_cast<std::ptrdiff_t>(g.sh) * g.kw * cm,
                 static_cast<std::ptrdiff_t>(g.sw) * cm,
                 0,
                 0};
          if (ny > 0 && nx > 0) {
            const int oy = (iy + g.pad_top - ky0) / g.sh, ox = (ix + g.pad_left - kx0) / g.sw;
            t.src = d + (static_cast<std::ptrdiff_t>(oy) * g.ow + ox) * cm;
            t.wts = kernel + static_cast<std::ptrdiff_t>(ky0 * g.kw + kx0) * cm;
            t.ny = ny;
            t.nx = nx;
          }
          dot_taps(cell, cm, t, m == 1, nullptr);
        }
      }
      if (m == 1) return;
      const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(g.h) * g.w * g.c;
      for (std::ptrdiff_t i = 0; i < cells; ++i) {
        float s = 0.0f;
        for (int j = 0; j < m; ++j) s += dst[i * m + j];
        dx[i] += s;
      }
    });
  }

  // The taps k = k0, k0 + step, ... (count of them) with 0 <= (a - k) / step
  // < out and 0 <= k < kernel, where step divides a - k.
  static void first_tap(int a, int step, int kernel, int out, int& k0, int& count) {
    const int lo = std::max(0, a - (out - 1) * step), hi = std::min(kernel - 1, a);
    k0 = lo + ((a - lo) % step);
    count = k0 <= hi ? (hi - k0) / step + 1 : 0;
  }

  // The weight gradient's reduction over images is cut into chunks that
  // depend on the shape only (never on the thread count), so training gives
  // the same bits on any number of threads. Chunk 0 sums into dkernel, chunk
  // t > 0 into partial t - 1, added in chunk order at the end.
  static int filter_chunks(int n, const ConvGeometry& g, int m) {
    if (n < 2 || pass_work(g, m) * n < (1 << 16)) return 1;
    return std::min(n, kMaxTaskSlots);
  }
  struct FilterPieces {
    WorkspaceLayout::Slots partials, repeated;
  };
  static FilterPieces filter_layout(int n, const ConvGeometry& g, int m, WorkspaceLayout& l) {
    const int chunks = filter_chunks(n, g, m);
    const auto partials = l.add_slots<float>(chunks - 1, static_cast<std::size_t>(g.kh) * g.kw * g.c * m);
    return {partials, l.add_slots<float>(m > 1 ? chunks : 0, static_cast<std::size_t>(image_floats(g, m)))};
  }
  static std::size_t depthwise_backward_filter_workspace_size(int n, const ConvGeometry& g, int m) {
    WorkspaceLayout l;
    filter_layout(n, g, m, l);
    return l.bytes();
  }

  // Per image and tap (ky, kx), the output pixels whose window has that tap
  // inside the image are a rectangle of rows and columns.
  static void filter_image(const float* x, const float* d, const ConvGeometry& g, int cm, float* dkernel) {
    for (int ky = 0; ky < g.kh; ++ky) {
      int oy_lo, oy_hi;
      clip(ky - g.pad_top, g.sh, g.h, g.oh, oy_lo, oy_hi);
      if (oy_lo >= oy_hi) continue;
      for (int kx = 0; kx < g.kw; ++kx) {
        int ox_lo, ox_hi;
        clip(kx - g.pad_left, g.sw, g.w, g.ow, ox_lo, ox_hi);
        if (ox_lo >= ox_hi) continue;
        const int iy = oy_lo * g.sh + ky - g.pad_top, ix = ox_lo * g.sw + kx - g.pad_left;
        const Taps t{x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * cm,
                     static_cast<std::ptrdiff_t>(g.sh) * g.w * cm,
                     static_cast<std::ptrdiff_t>(g.sw) * cm,
                     d + (static_cast<std::ptrdiff_t>(oy_lo) * g.ow + ox_lo) * cm,
                     static_cast<std::ptrdiff_t>(g.ow) * cm,
                     cm,
                     oy_hi - oy_lo,
                     ox_hi - ox_lo};
        dot_taps(dkernel + static_cast<std::ptrdiff_t>(ky * g.kw + kx) * cm, cm, t, true, nullptr);
      }
    }
  }

  static void depthwise_backward_filter_add(const float* in, int n, const ConvGeometry& g, int m, const float* dout,
                                            float* dkernel, void* workspace) {
    const int cm = g.c * m;
    const std::size_t kernel_size = static_cast<std::size_t>(g.kh) * g.kw * cm;
    WorkspaceLayout l;
    const FilterPieces at = filter_layout(n, g, m, l);
    const int chunks = filter_chunks(n, g, m);
    auto chunk = [&](int t) {
      float* dk = dkernel;
      if (t > 0) {
        dk = workspace_at<float>(workspace, at.partials, t - 1);
        std::fill(dk, dk + kernel_size, 0.0f);
      }
      for (int img = n * t / chunks; img < n * (t + 1) / chunks; ++img) {
        const float* x = in + img * image_floats(g, 1);
        if (m > 1) {
          float* xe = workspace_at<float>(workspace, at.repeated, t);
          repeat_channels(x, g, m, xe);
          x = xe;
        }
        filter_image(x, dout + static_cast<std::ptrdiff_t>(img) * g.oh * g.ow * cm, g, cm, dk);
      }
    };
    if (chunks <= 1) return chunk(0);
    parallel_for(chunks, chunk);
    for (int t = 1; t < chunks; ++t)
      Vk::add_into(dkernel, workspace_at<float>(workspace, at.partials, t - 1), static_cast<int>(kernel_size));
  }
};

}  // namespace convolab::kernels::generic
