// Portable scalar pooling (max and average): the oracle the SIMD pools are
// tested against, and the implementation of reference builds.
#include <algorithm>
#include <limits>

#include "../kernels.h"

namespace convolab::kernels::reference {

namespace {

// In-bounds rows [y0, y1) and columns [x0, x1) of one output cell's window.
struct Window {
  int y0, y1, x0, x1;
  int count() const { return (y1 - y0) * (x1 - x0); }
};

Window window_at(const PoolGeometry& g, int oy, int ox) {
  const int ys = oy * g.sh - g.pad_top, xs = ox * g.sw - g.pad_left;
  return {std::max(ys, 0), std::min(ys + g.ph, g.h), std::max(xs, 0), std::min(xs + g.pw, g.w)};
}

}  // namespace

void max_pool_forward(const float* in, int n, const PoolGeometry& g, float* out, std::int32_t* argmax) {
  for (int img = 0; img < n; ++img) {
    const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        std::ptrdiff_t o = ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * g.c;
        for (int ch = 0; ch < g.c; ++ch) {
          float best = -std::numeric_limits<float>::infinity();
          std::int32_t best_idx = -1;
          for (int py = 0; py < g.ph; ++py) {
            int iy = oy * g.sh + py - g.pad_top;
            if (iy < 0 || iy >= g.h) continue;
            for (int px = 0; px < g.pw; ++px) {
              int ix = ox * g.sw + px - g.pad_left;
              if (ix < 0 || ix >= g.w) continue;
              std::int32_t idx = (iy * g.w + ix) * g.c + ch;
              if (best_idx < 0 || x[idx] > best) {
                best = x[idx];
                best_idx = idx;
              }
            }
          }
          out[o + ch] = best;
          argmax[o + ch] = best_idx;
        }
      }
    }
  }
}

void max_pool_backward_add(const float* dout, const std::int32_t* argmax, int n, const PoolGeometry& g, float* din) {
  const std::ptrdiff_t out_per_img = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
  for (int img = 0; img < n; ++img) {
    float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    const float* dy = dout + img * out_per_img;
    const std::int32_t* am = argmax + img * out_per_img;
    for (std::ptrdiff_t i = 0; i < out_per_img; ++i) dx[am[i]] += dy[i];
  }
}

void avg_pool_forward(const float* in, int n, const PoolGeometry& g, float* out) {
  for (int img = 0; img < n; ++img) {
    const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        float* o = out + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * g.c;
        const Window win = window_at(g, oy, ox);
        std::fill(o, o + g.c, 0.0f);
        for (int iy = win.y0; iy < win.y1; ++iy)
          for (int ix = win.x0; ix < win.x1; ++ix) {
            const float* src = x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
            for (int ch = 0; ch < g.c; ++ch) o[ch] += src[ch];
          }
        const float inv = 1.0f / static_cast<float>(win.count());
        for (int ch = 0; ch < g.c; ++ch) o[ch] *= inv;
      }
    }
  }
}

void avg_pool_backward_add(const float* dout, int n, const PoolGeometry& g, float* din) {
  for (int img = 0; img < n; ++img) {
    float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        const float* d = dout + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * g.c;
        const Window win = window_at(g, oy, ox);
        const float inv = 1.0f / static_cast<float>(win.count());
        for (int iy = win.y0; iy < win.y1; ++iy)
          for (int ix = win.x0; ix < win.x1; ++ix) {
            float* dst = dx + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
            for (int ch = 0; ch < g.c; ++ch) dst[ch] += d[ch] * inv;
          }
      }
    }
  }
}

}  // namespace convolab::kernels::reference
