#pragma once
// The non-GEMM kernels, written once over a vector type V (see vec_*.h):
// a SIMD main loop over W lanes plus a scalar tail, as ggml does. Besides
// the GEMM operations they use V::gt (lane mask), V::select(mask, a, b),
// V::index(base) (int lanes base..base+W-1) and V::store_i32. Each ISA file instantiates VecKernels<V> and forwards to
// it. The depthwise kernels live in depthwise_vec.h, a base of VecKernels.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "../kernels.h"
#include "../parallel.h"
#include "../workspace.h"
#include "depthwise_vec.h"

namespace convolab::kernels::generic {

template <class V>
struct VecKernels : DepthwiseKernels<V, VecKernels<V>> {
  using T = typename V::T;
  static constexpr int W = V::W;

  static void copy(float* dst, const float* src, int count) {
    int i = 0;
    for (; i + W <= count; i += W) V::store(dst + i, V::load(src + i));
    for (; i < count; ++i) dst[i] = src[i];
  }
  static void fill_zero(float* dst, int count) {
    int i = 0;
    for (; i + W <= count; i += W) V::store(dst + i, V::zero());
    for (; i < count; ++i) dst[i] = 0.0f;
  }
  static void add_into(float* dst, const float* src, int count) {
    int i = 0;
    for (; i + W <= count; i += W) V::store(dst + i, V::add(V::load(dst + i), V::load(src + i)));
    for (; i < count; ++i) dst[i] += src[i];
  }

  // How many image tasks per_image cuts n images into on `threads` threads.
  static int image_tasks(int n, std::ptrdiff_t work_per_image, int threads) {
    if (threads <= 1 || n < 2 || work_per_image * n < (1 << 15)) return 1;
    return std::min({4 * threads, n, kMaxTaskSlots});
  }

  // Threads take whole images, so no two tasks touch the same din image.
  // f(img, slot): slot names the task, for per-task pieces of a workspace.
  template <class F>
  static void per_image(int n, std::ptrdiff_t work_per_image, F&& f) {
    const int tasks = image_tasks(n, work_per_image, num_threads());
    if (tasks <= 1) {
      for (int img = 0; img < n; ++img) f(img, 0);
      return;
    }
    parallel_for(tasks, [&](int t) {
      for (int img = n * t / tasks; img < n * (t + 1) / tasks; ++img) f(img, t);
    });
  }

  // Copies count floats; for count >= W the last vector overlaps the one
  // before it instead of finishing lane by lane (tiny rows: C = 1, KW = 5).
  static void copy_short(float* dst, const float* src, int count) {
    if (count < W) {
      for (int i = 0; i < count; ++i) dst[i] = src[i];
      return;
    }
    int i = 0;
    for (; i + W <= count; i += W) V::store(dst + i, V::load(src + i));
    if (i < count) V::store(dst + count - W, V::load(src + count - W));
  }

  // Padded row geometry: input row iy laid out with pad_left zero pixels in
  // front and enough behind that every window's KW*C run lies inside it.
  static int padded_row_pixels(const ConvGeometry& g) { return std::max(g.w + g.pad_left, (g.ow - 1) * g.sw + g.kw); }

  // The workspace: one padded row per image task (a task slot, not a
  // thread: which thread runs a task varies from call to call).
  static WorkspaceLayout::Slots im2col_layout(int n, const ConvGeometry& g, WorkspaceLayout& l) {
    const int tasks = image_tasks(n, static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.patch(), max_threads());
    return l.add_slots<float>(tasks, static_cast<std::size_t>(padded_row_pixels(g)) * g.c);
  }
  static std::size_t im2col_workspace_size(int n, const ConvGeometry& g) {
    WorkspaceLayout l;
    im2col_layout(n, g, l);
    return l.bytes();
  }

  // Each kernel row of a window (kx = 0..KW-1) is KW*C contiguous floats
  // of a zero-padded copy of the input row, so every copy has one length.
  static void im2col(const float* in, int n, const ConvGeometry& g, float* cols, void* workspace) {
    const int patch = g.patch(), rowlen = g.kw * g.c;
    const int prow_len = padded_row_pixels(g) * g.c;
    WorkspaceLayout l;
    const WorkspaceLayout::Slots rows = im2col_layout(n, g, l);
    per_image(n, static_cast<std::ptrdiff_t>(g.oh) * g.ow * patch, [&](int img, int slot) {
      float* prow = workspace_at<float>(workspace, rows, slot);
      std::fill(prow, prow + prow_len, 0.0f);
      const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      float* out = cols + static_cast<std::ptrdiff_t>(img) * g.oh * g.ow * patch;
      const int data_len = std::min(g.w, padded_row_pixels(g) - g.pad_left) * g.c;
      for (int oy = 0; oy < g.oh; ++oy) {
        for (int ky = 0; ky < g.kh; ++ky) {
          const int iy = oy * g.sh + ky - g.pad_top;
          float* dst = out + static_cast<std::ptrdiff_t>(oy) * g.ow * patch + ky * rowlen;
          if (iy < 0 || iy >= g.h) {
            for (int ox = 0; ox < g.ow; ++ox, dst += patch) fill_zero(dst, rowlen);
            continue;
          }
          copy(prow + g.pad_left * g.c, x + static_cast<std::ptrdiff_t>(iy) * g.w * g.c, data_len);
          const float* src = prow;
          const int step = g.sw * g.c;
          for (int ox = 0; ox < g.ow; ++ox, dst += patch, src += step) copy_short(dst, src, rowlen);
        }
      }
    });
  }

  // The adjoint, adding each window row's in-bounds run straight onto din
  // (in the reference's order, so sums match it bit for bit).
  static void col2im_add(const float* cols, int n, const ConvGeometry& g, float* din) {
    const int patch = g.patch(), rowlen = g.kw * g.c;
    per_image(n, static_cast<std::ptrdiff_t>(g.oh) * g.ow * patch, [&](int img, int /*slot*/) {
      float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      const float* row = cols + static_cast<std::ptrdiff_t>(img) * g.oh * g.ow * patch;
      for (int oy = 0; oy < g.oh; ++oy) {
        for (int ox = 0; ox < g.ow; ++ox, row += patch) {
          const int ix0 = ox * g.sw - g.pad_left;
          const int kx_lo = std::max(0, -ix0), kx_hi = std::min(g.kw, g.w - ix0);
          if (kx_lo >= kx_hi) continue;
          for (int ky = 0; ky < g.kh; ++ky) {
            const int iy = oy * g.sh + ky - g.pad_top;
            if (iy < 0 || iy >= g.h) continue;
            add_into(dx + (static_cast<std::ptrdiff_t>(iy) * g.w + ix0 + kx_lo) * g.c, row + ky * rowlen + kx_lo * g.c,
                     (kx_hi - kx_lo) * g.c);
          }
        }
      }
    });
  }

  static void max_pool_forward(const float* in, int n, const PoolGeometry& g, float* out, std::int32_t* argmax) {
    const std::ptrdiff_t out_per_img = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
    per_image(n, out_per_img * g.ph * g.pw, [&](int img, int /*slot*/) {
      const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      float* y = out + img * out_per_img;
      std::int32_t* am = argmax + img * out_per_img;
      for (int oy = 0; oy < g.oh; ++oy) {
        const int y_lo = std::max(0, oy * g.sh - g.pad_top), y_hi = std::min(g.h, oy * g.sh - g.pad_top + g.ph);
        for (int ox = 0; ox < g.ow; ++ox, y += g.c, am += g.c) {
          const int x_lo = std::max(0, ox * g.sw - g.pad_left), x_hi = std::min(g.w, ox * g.sw - g.pad_left + g.pw);
          int ch = 0;
          if (y_lo < y_hi && x_lo < x_hi) {
            for (; ch + W <= g.c; ch += W) {
              // Seeded with the window's first cell; strictly greater
              // replaces, so ties keep the first in row-major order.
              int base = (y_lo * g.w + x_lo) * g.c + ch;
              T best = V::load(x + base), idx = V::index(base);
              for (int iy = y_lo; iy < y_hi; ++iy)
                for (int ix = (iy == y_lo ? x_lo + 1 : x_lo); ix < x_hi; ++ix) {
                  base = (iy * g.w + ix) * g.c + ch;
                  const T v = V::load(x + base);
                  const T gt = V::gt(v, best);
                  best = V::select(gt, v, best);
                  idx = V::select(gt, V::index(base), idx);
                }
              V::store(y + ch, best);
              V::store_i32(am + ch, idx);
            }
          }
          for (; ch < g.c; ++ch) {
            float best = 0.0f;
            std::int32_t best_idx = -1;
            for (int iy = y_lo; iy < y_hi; ++iy)
              for (int ix = x_lo; ix < x_hi; ++ix) {
                const std::int32_t i = (iy * g.w + ix) * g.c + ch;
                if (best_idx < 0 || x[i] > best) {
                  best = x[i];
                  best_idx = i;
                }
              }
            y[ch] = best_idx < 0 ? -__builtin_huge_valf() : best;
            am[ch] = best_idx;
          }
        }
      }
    });
  }

  static void max_pool_backward_add(const float* dout, const std::int32_t* argmax, int n, const PoolGeometry& g,
                                    float* din) {
    const std::ptrdiff_t out_per_img = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
    per_image(n, out_per_img, [&](int img, int /*slot*/) {
      float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      const float* dy = dout + img * out_per_img;
      const std::int32_t* am = argmax + img * out_per_img;
      for (std::ptrdiff_t i = 0; i < out_per_img; ++i) dx[am[i]] += dy[i];
    });
  }

  // In-bounds rows [y_lo, y_hi) and columns [x_lo, x_hi) of output cell
  // (oy, ox)'s window: average pools count only real cells.
  struct PoolWindow {
    int y_lo, y_hi, x_lo, x_hi;
    float inv_count() const { return 1.0f / static_cast<float>((y_hi - y_lo) * (x_hi - x_lo)); }
  };
  static PoolWindow pool_window(const PoolGeometry& g, int oy, int ox) {
    const int ys = oy * g.sh - g.pad_top, xs = ox * g.sw - g.pad_left;
    return {std::max(ys, 0), std::min(ys + g.ph, g.h), std::max(xs, 0), std::min(xs + g.pw, g.w)};
  }

  // Each window's cells summed W channels at a time, in the reference's
  // row-major order, then scaled by 1/count: the reference's bits.
  static void avg_pool_forward(const float* in, int n, const PoolGeometry& g, float* out) {
    const std::ptrdiff_t out_per_img = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
    per_image(n, out_per_img * g.ph * g.pw, [&](int img, int /*slot*/) {
      const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      float* y = out + img * out_per_img;
      for (int oy = 0; oy < g.oh; ++oy)
        for (int ox = 0; ox < g.ow; ++ox, y += g.c) {
          const PoolWindow win = pool_window(g, oy, ox);
          const float inv = win.inv_count();
          int ch = 0;
          for (; ch + W <= g.c; ch += W) {
            T sum = V::zero();
            for (int iy = win.y_lo; iy < win.y_hi; ++iy)
              for (int ix = win.x_lo; ix < win.x_hi; ++ix)
                sum = V::add(sum, V::load(x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c + ch));
            V::store(y + ch, V::mul(sum, V::splat(inv)));
          }
          for (; ch < g.c; ++ch) {
            float sum = 0.0f;
            for (int iy = win.y_lo; iy < win.y_hi; ++iy)
              for (int ix = win.x_lo; ix < win.x_hi; ++ix)
                sum += x[(static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c + ch];
            y[ch] = sum * inv;
          }
        }
    });
  }

  // Each output gradient, scaled by 1/count once, added onto its window's
  // cells in the reference's order.
  static void avg_pool_backward_add(const float* dout, int n, const PoolGeometry& g, float* din) {
    const std::ptrdiff_t out_per_img = static_cast<std::ptrdiff_t>(g.oh) * g.ow * g.c;
    per_image(n, out_per_img * g.ph * g.pw, [&](int img, int /*slot*/) {
      float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
      const float* dy = dout + img * out_per_img;
      for (int oy = 0; oy < g.oh; ++oy)
        for (int ox = 0; ox < g.ow; ++ox, dy += g.c) {
          const PoolWindow win = pool_window(g, oy, ox);
          const float inv = win.inv_count();
          int ch = 0;
          for (; ch + W <= g.c; ch += W) {
            const T d = V::mul(V::load(dy + ch), V::splat(inv));
            for (int iy = win.y_lo; iy < win.y_hi; ++iy)
              for (int ix = win.x_lo; ix < win.x_hi; ++ix) {
                float* cell = dx + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c + ch;
                V::store(cell, V::add(V::load(cell), d));
              }
          }
          for (; ch < g.c; ++ch) {
            const float d = dy[ch] * inv;
            for (int iy = win.y_lo; iy < win.y_hi; ++iy)
              for (int ix = win.x_lo; ix < win.x_hi; ++ix)
                dx[(static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c + ch] += d;
          }
        }
    });
  }

  static void bias_act(float* out, int rows, int cols, const float* bias, Act act, float alpha) {
    const T va = V::splat(alpha);
    for (int r = 0; r < rows; ++r) {
      float* row = out + static_cast<std::ptrdiff_t>(r) * cols;
      int j = 0;
      for (; j + W <= cols; j += W) {
        T x = V::load(row + j);
        if (bias) x = V::add(x, V::load(bias + j));
        if (act == Act::Relu)
          x = V::relu(x);
        else if (act == Act::LeakyRelu)
          x = V::leaky(x, va);
        V::store(row + j, x);
      }
      for (; j < cols; ++j) {
        float x = row[j] + (bias ? bias[j] : 0.0f);
        if (act == Act::Relu)
          x = x > 0.0f ? x : 0.0f;
        else if (act == Act::LeakyRelu)
          x = x > 0.0f ? x : alpha * x;
        row[j] = x;
      }
    }
  }

  static void add_bias_rows(float* out, int rows, int cols, const float* bias) {
    bias_act(out, rows, cols, bias, Act::Linear, 0.0f);
  }

  // dbias(cols) += column sums of d(rows, cols). Large sums are cut into row
  // chunks that run in parallel, each into its own partial sums in the
  // workspace, which are then added in chunk order; the chunk count depends
  // on the shape only, so the result never depends on the number of threads.
  static int row_chunks(int rows, int cols) {
    return static_cast<long long>(rows) * cols >= (1 << 16) ? std::clamp(rows / 512, 1, kMaxTaskSlots) : 1;
  }
  static WorkspaceLayout::Slots sum_rows_layout(int rows, int cols, WorkspaceLayout& l) {
    const int chunks = row_chunks(rows, cols);
    return l.add_slots<float>(chunks > 1 ? chunks : 0, static_cast<std::size_t>(cols));
  }
  static std::size_t sum_rows_add_workspace_size(int rows, int cols) {
    WorkspaceLayout l;
    sum_rows_layout(rows, cols, l);
    return l.bytes();
  }

  static void sum_rows_add(const float* d, int rows, int cols, float* dbias, void* workspace) {
    const int chunks = row_chunks(rows, cols);
    if (chunks <= 1) return column_sums(d, rows, cols, dbias);
    WorkspaceLayout l;
    const WorkspaceLayout::Slots parts = sum_rows_layout(rows, cols, l);
    parallel_for(chunks, [&](int t) {
      float* part = workspace_at<float>(workspace, parts, t);
      std::fill(part, part + cols, 0.0f);
      const int begin = rows * t / chunks, end = rows * (t + 1) / chunks;
      column_sums(d + static_cast<std::ptrdiff_t>(begin) * cols, end - begin, cols, part);
    });
    for (int t = 0; t < chunks; ++t) add_into(dbias, workspace_at<float>(workspace, parts, t), cols);
  }

  static void column_sums(const float* d, int rows, int cols, float* dbias) {
    int j = 0;
    for (; j + 2 * W <= cols; j += 2 * W) {
      T s0 = V::zero(), s1 = V::zero();
      for (int r = 0; r < rows; ++r) {
        const float* row = d + static_cast<std::ptrdiff_t>(r) * cols + j;
        s0 = V::add(s0, V::load(row));
        s1 = V::add(s1, V::load(row + W));
      }
      V::store(dbias + j, V::add(V::load(dbias + j), s0));
      V::store(dbias + j + W, V::add(V::load(dbias + j + W), s1));
    }
    for (; j + W <= cols; j += W) {
      T s = V::zero();
      for (int r = 0; r < rows; ++r) s = V::add(s, V::load(d + static_cast<std::ptrdiff_t>(r) * cols + j));
      V::store(dbias + j, V::add(V::load(dbias + j), s));
    }
    for (; j < cols; ++j) {
      float s = 0.0f;
      for (int r = 0; r < rows; ++r) s += d[static_cast<std::ptrdiff_t>(r) * cols + j];
      dbias[j] += s;
    }
  }

  // Elementwise, so threads take whole vector-aligned slices of it (conv
  // activations at batch 32 are a few hundred thousand floats). dpre may be
  // dy: layers that must keep dy write beside it, in the same pass.
  static void act_backward(Act act, float alpha, const float* y, const float* dy, float* dpre, std::size_t count) {
    if (act == Act::Linear) {
      if (dpre != dy) std::copy(dy, dy + count, dpre);
      return;
    }
    parallel_slices(count, 1u << 16, W, [&](std::size_t begin, std::size_t end) {
      act_backward_range(act, alpha, y + begin, dy + begin, dpre + begin, end - begin);
    });
  }

  static void act_backward_range(Act act, float alpha, const float* y, const float* dy, float* dpre,
                                 std::size_t count) {
    const T zero = V::zero(), va = V::splat(alpha);
    const bool relu = act == Act::Relu;
    std::size_t i = 0;
    for (; i + W <= count; i += W) {
      const T pos = V::gt(V::load(y + i), zero);
      const T d = V::load(dy + i);
      V::store(dpre + i, V::select(pos, d, relu ? zero : V::mul(d, va)));
    }
    for (; i < count; ++i) dpre[i] = y[i] > 0.0f ? dy[i] : act == Act::Relu ? 0.0f : dy[i] * alpha;
  }
};

}  // namespace convolab::kernels::generic
