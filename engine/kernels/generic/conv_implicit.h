#pragma once
// Conv2D forward as an implicit GEMM (no im2col matrix), written once over
// a vector type V like BlockedGemm, whose panels and tile stores it reuses.
// The input is copied once into a zero-padded buffer (N, HP, WP, C); then
// the window of output pixel q starts at base(q) and its kernel row ky is
// the KW*C contiguous floats at base(q) + ky*WP*C, so a register tile of MR
// output pixels streams its A values straight from the image (XNNPACK's
// indirect GEMM, with the indirection reduced to MR row pointers). The
// padded copy, the window offsets and the packed kernel live in the
// caller's workspace (each entry point has a *_layout and a workspace size).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "../kernels.h"
#include "../parallel.h"
#include "../workspace.h"
#include "gemm_blocked.h"

namespace convolab::kernels::generic {

template <class V, int MR, int NV>
struct ImplicitConv {
  using G = BlockedGemm<V, MR, NV>;
  using T = typename V::T;
  static constexpr int W = V::W;
  static constexpr int NR = G::NR;

  struct Padded {
    int hp, wp;  // padded size covering every window
  };
  static Padded padded_size(const ConvGeometry& g) {
    return {std::max(g.pad_top + g.h, (g.oh - 1) * g.sh + g.kh), std::max(g.pad_left + g.w, (g.ow - 1) * g.sw + g.kw)};
  }

  static constexpr int MC = 64;  // output pixels per chunk: their windows stay in L1/L2

  static int panels(int oc) { return (oc + NR - 1) / NR; }

  // out(R, nc) = epilogue(sum over p of window(r)[off[p]] * kernel row p):
  // one flat K loop, the window's shape folded into the offset table.
  template <int R>
  static void micro(const float* const* base, const std::int32_t* off, int k, const float* bp, float* c, int ldc,
                    int nc, bool acc_c, const Epilogue* ep, int col0) {
    T acc[R][NV];
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = V::zero();
    for (int p = 0; p < k; ++p) {
      T bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = V::load(bp + v * W);
      bp += NR;
      const std::int32_t o = off[p];
      for (int r = 0; r < R; ++r) {
        const T av = V::broadcast(base[r] + o);
        for (int v = 0; v < NV; ++v) acc[r][v] = V::madd(acc[r][v], av, bv[v]);
      }
    }
    G::template store_tile<R>(acc, c, ldc, nc, acc_c, ep, col0);
  }

  template <int R = MR>
  static void micro_rows(int rows, const float* const* base, const std::int32_t* off, int k, const float* bp, float* c,
                         int ldc, int nc, bool acc_c, const Epilogue* ep, int col0) {
    if constexpr (R > 0) {
      if (rows == R) return micro<R>(base, off, k, bp, c, ldc, nc, acc_c, ep, col0);
      micro_rows<R - 1>(rows, base, off, k, bp, c, ldc, nc, acc_c, ep, col0);
    }
  }

  // The padded input and the window offsets, shared by forward and the
  // weight gradient: window element p = (ky, kx, ci) of output pixel q is
  // at base(q) + off[p].
  struct Windows {
    const float* pad0;
    std::ptrdiff_t img_pad;
    int wp;
    const std::int32_t* off;
    const float* base(const ConvGeometry& g, int q) const {
      const int pixels = g.oh * g.ow, img = q / pixels, rem = q - img * pixels, oy = rem / g.ow, ox = rem - oy * g.ow;
      return pad0 + img * img_pad + (static_cast<std::ptrdiff_t>(oy) * g.sh * wp + ox * g.sw) * g.c;
    }
  };

  // Where prepare puts the padded input (N, HP, WP, C) and the offsets (K).
  struct WindowPieces {
    std::size_t padded, offsets;
  };
  static WindowPieces windows_layout(int n, const ConvGeometry& g, WorkspaceLayout& l) {
    const Padded pd = padded_size(g);
    const std::size_t padded = l.add<float>(static_cast<std::size_t>(n) * pd.hp * pd.wp * g.c);
    return {padded, l.add<std::int32_t>(static_cast<std::size_t>(g.patch()))};
  }

  static Windows prepare(const float* in, int n, const ConvGeometry& g, float* padded, std::int32_t* off) {
    const Padded pd = padded_size(g);
    const int c = g.c;
    const std::ptrdiff_t img_in = static_cast<std::ptrdiff_t>(g.h) * g.w * c;
    const std::ptrdiff_t img_pad = static_cast<std::ptrdiff_t>(pd.hp) * pd.wp * c;
    // (N, HP, WP, C): zeros around the image, which starts at (pad_top, pad_left)
    const int right = pd.wp - g.pad_left - g.w;
    auto pad_image = [&](int img) {
      float* dst = padded + img * img_pad;
      const float* src = in + img * img_in;
      for (int py = 0; py < pd.hp; ++py, dst += static_cast<std::ptrdiff_t>(pd.wp) * c) {
        const int iy = py - g.pad_top;
        if (iy < 0 || iy >= g.h) {
          std::fill(dst, dst + static_cast<std::ptrdiff_t>(pd.wp) * c, 0.0f);
          continue;
        }
        std::fill(dst, dst + g.pad_left * c, 0.0f);
        std::copy(src + static_cast<std::ptrdiff_t>(iy) * g.w * c, src + static_cast<std::ptrdiff_t>(iy + 1) * g.w * c,
                  dst + g.pad_left * c);
        if (right > 0) std::fill(dst + (g.pad_left + g.w) * c, dst + static_cast<std::ptrdiff_t>(pd.wp) * c, 0.0f);
      }
    };
    // A pure copy, so splitting it changes no result; worth a fork only for
    // a batch of images (32 padded 28x28 images are ~128 KB).
    const int tasks = num_threads() > 1 && img_pad * n >= (1 << 15) ? std::min(n, 2 * num_threads()) : 1;
    parallel_for(tasks, [&](int t) {
      for (int img = n * t / tasks; img < n * (t + 1) / tasks; ++img) pad_image(img);
    });
    for (int ky = 0, p = 0; ky < g.kh; ++ky)
      for (int x = 0; x < g.kw * c; ++x, ++p) off[p] = ky * pd.wp * c + x;
    return {padded, img_pad, pd.wp, off};
  }

  // run's workspace: the windows, then the kernel (K, OC) as contiguous
  // NR-wide panels (a panel stays in L1 while a chunk of output pixels runs
  // through it).
  struct RunPieces {
    WindowPieces windows;
    std::size_t packed;
  };
  static RunPieces run_layout(int n, const ConvGeometry& g, int oc, WorkspaceLayout& l) {
    const WindowPieces windows = windows_layout(n, g, l);
    return {windows, l.add<float>(static_cast<std::size_t>(panels(oc)) * NR * g.patch())};
  }
  static std::size_t run_workspace_size(int n, const ConvGeometry& g, int oc) {
    WorkspaceLayout l;
    run_layout(n, g, oc, l);
    return l.bytes();
  }

  // out (+)= epilogue(conv(in, kernel)); accumulate adds onto out.
  static void run(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                  const Epilogue& epilogue, void* workspace, bool accumulate = false) {
    const int k = g.patch();
    WorkspaceLayout l;
    const RunPieces at = run_layout(n, g, oc, l);
    const Windows win = prepare(in, n, g, workspace_at<float>(workspace, at.windows.padded),
                                workspace_at<std::int32_t>(workspace, at.windows.offsets));
    const int panels = ImplicitConv::panels(oc);
    float* packed = workspace_at<float>(workspace, at.packed);
    G::pack_b(false, k, oc, kernel, oc, packed);
    const bool has_ep = epilogue.bias || epilogue.act != Act::Linear;
    const Epilogue* ep = has_ep ? &epilogue : nullptr;
    const int m = n * g.oh * g.ow;
    const std::ptrdiff_t panel_stride = static_cast<std::ptrdiff_t>(k) * NR;
    auto rows = [&](int i_begin, int i_end) {
      const float* base[MC];
      for (int ic = i_begin; ic < i_end; ic += MC) {
        const int ic_end = std::min(i_end, ic + MC);
        for (int q = ic; q < ic_end; ++q) base[q - ic] = win.base(g, q);
        for (int jp = 0; jp < panels; ++jp) {
          const int j0 = jp * NR;
          for (int i0 = ic; i0 < ic_end; i0 += MR)
            micro_rows(std::min(MR, ic_end - i0), base + (i0 - ic), win.off, k, packed + jp * panel_stride,
                       out + static_cast<std::ptrdiff_t>(i0) * oc + j0, oc, std::min(NR, oc - j0), accumulate, ep, j0);
        }
      }
    };
    const int threads = num_threads();
    const long long macs = static_cast<long long>(m) * oc * k;
    const int tiles = (m + MR - 1) / MR;
    const int tasks = threads > 1 && macs >= (1 << 20) ? std::min({4 * threads, tiles, kMaxTaskSlots}) : 1;
    if (tasks <= 1) return rows(0, m);
    parallel_for(tasks,
                 [&](int t) { rows(std::min(m, tiles * t / tasks * MR), std::min(m, tiles * (t + 1) / tasks * MR)); });
  }

  // dkernel(R rows from p0, nc) += sum over the chunk's pixels q of
  // window(q)[off[p0 + r]] * dout(q, panel): A^T read in place.
  template <int R>
  static void grad_micro(const float* const* base, int qc, const std::int32_t* offp, const float* bp,
                         std::ptrdiff_t ldbp, float* c, int ldc, int nc) {
    T acc[R][NV];
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = V::zero();
    std::int32_t o[R];
    for (int r = 0; r < R; ++r) o[r] = offp[r];
    for (int q = 0; q < qc; ++q) {
      T bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = V::load(bp + v * W);
      bp += ldbp;
      const float* b = base[q];
      for (int r = 0; r < R; ++r) {
        const T av = V::broadcast(b + o[r]);
        for (int v = 0; v < NV; ++v) acc[r][v] = V::madd(acc[r][v], av, bv[v]);
      }
    }
    G::template store_tile<R>(acc, c, ldc, nc, true, nullptr, 0);
  }

  template <int R = MR>
  static void grad_micro_rows(int rows, const float* const* base, int qc, const std::int32_t* offp, const float* bp,
                              std::ptrdiff_t ldbp, float* c, int ldc, int nc) {
    if constexpr (R > 0) {
      if (rows == R) return grad_micro<R>(base, qc, offp, bp, ldbp, c, ldc, nc);
      grad_micro_rows<R - 1>(rows, base, qc, offp, bp, ldbp, c, ldc, nc);
    }
  }

  static constexpr int QC = 256;  // pixels per chunk of the reduction

  // How many pixel chunks the weight gradient's reduction is cut into. It
  // depends on the shape only, never on the thread count, so a model trains
  // to the same bits on one thread or many.
  static int reduction_chunks(int m, int oc, int k) {
    const long long macs = static_cast<long long>(m) * oc * k;
    if (macs < (1 << 20)) return 1;
    return std::clamp(m / 1024, 1, kMaxTaskSlots);
  }

  // filter_grad_add's workspace: the windows; per chunk, QC rows of dout
  // packed into NR-wide panels (unless OC is a multiple of NR, when dout is
  // read in place); per chunk after the first, a partial dkernel.
  struct GradPieces {
    WindowPieces windows;
    WorkspaceLayout::Slots dout_panels, partial_sums;  // partial sum of chunk t in slot t - 1
  };
  static GradPieces grad_layout(int n, const ConvGeometry& g, int oc, WorkspaceLayout& l) {
    const int k = g.patch(), chunks = reduction_chunks(n * g.oh * g.ow, oc, k);
    const WindowPieces windows = windows_layout(n, g, l);
    const bool direct = oc % NR == 0;
    const auto dout_panels = l.add_slots<float>(direct ? 0 : chunks, static_cast<std::size_t>(panels(oc)) * NR * QC);
    return {windows, dout_panels, l.add_slots<float>(chunks - 1, static_cast<std::size_t>(k) * oc)};
  }
  static std::size_t filter_grad_workspace_size(int n, const ConvGeometry& g, int oc) {
    WorkspaceLayout l;
    grad_layout(n, g, oc, l);
    return l.bytes();
  }

  // dkernel(KH*KW*C, OC) += windows^T * dout(N*OH*OW, OC). The pixels are cut
  // into chunks that run in parallel, each summing into its own partial
  // dkernel (chunk 0 straight into dkernel); the partials are then added in
  // chunk order. Every chunk walks only its own windows, and a 5x5x1 kernel's
  // 25 rows need no even split across threads.
  static void filter_grad_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc, float* dkernel,
                              void* workspace) {
    const int k = g.patch(), m = n * g.oh * g.ow;
    WorkspaceLayout l;
    const GradPieces at = grad_layout(n, g, oc, l);
    const Windows win = prepare(in, n, g, workspace_at<float>(workspace, at.windows.padded),
                                workspace_at<std::int32_t>(workspace, at.windows.offsets));
    const int panels = ImplicitConv::panels(oc);
    const bool direct = oc % NR == 0;
    const std::size_t kernel_size = static_cast<std::size_t>(k) * oc;
    auto partial = [&](int chunk) { return workspace_at<float>(workspace, at.partial_sums, chunk - 1); };
    auto pixels = [&](int chunk, int q_begin, int q_end, float* dk) {
      float* dpack = workspace_at<float>(workspace, at.dout_panels, chunk);
      const float* base[QC];
      for (int q0 = q_begin; q0 < q_end; q0 += QC) {
        const int qc = std::min(QC, q_end - q0);
        for (int q = 0; q < qc; ++q) base[q] = win.base(g, q0 + q);
        const float* bsrc = dout + static_cast<std::ptrdiff_t>(q0) * oc;
        std::ptrdiff_t ldbp = oc, panel_stride = NR;
        if (!direct) {
          G::pack_b(false, qc, oc, bsrc, oc, dpack);
          bsrc = dpack;
          ldbp = NR;
          panel_stride = static_cast<std::ptrdiff_t>(qc) * NR;
        }
        for (int p0 = 0; p0 < k; p0 += MR)
          for (int jp = 0; jp < panels; ++jp) {
            const int j0 = jp * NR;
            grad_micro_rows(std::min(MR, k - p0), base, qc, win.off + p0, bsrc + jp * panel_stride, ldbp,
                            dk + static_cast<std::ptrdiff_t>(p0) * oc + j0, oc, std::min(NR, oc - j0));
          }
      }
    };
    const int chunks = reduction_chunks(m, oc, k);
    if (chunks <= 1) return pixels(0, 0, m, dkernel);
    parallel_for(chunks, [&](int t) {
      float* dk = dkernel;
      if (t > 0) {
        dk = partial(t);
        std::fill(dk, dk + kernel_size, 0.0f);
      }
      pixels(t, m * t / chunks, m * (t + 1) / chunks, dk);
    });
    // Each element still adds the partials in chunk order, so slicing the
    // sum across threads changes no bit.
    parallel_slices(kernel_size, (1u << 16) / chunks, 1, [&](std::size_t begin, std::size_t end) {
      for (int t = 1; t < chunks; ++t) {
        const float* part = partial(t);
        for (std::size_t i = begin; i < end; ++i) dkernel[i] += part[i];
      }
    });
  }

  // The input gradient of a stride-1 conv is itself a conv: of dout, padded
  // by KH-1-pad_top / KW-1-pad_left, with the kernel flipped in space and
  // its channel axes swapped. Returns that geometry, or false when the
  // shortcut does not apply (strides, padding wider than the kernel).
  static bool transposed_geometry(const ConvGeometry& g, int oc, ConvGeometry& t) {
    if (g.sh != 1 || g.sw != 1 || g.pad_top > g.kh - 1 || g.pad_left > g.kw - 1) return false;
    t = ConvGeometry{g.oh, g.ow, oc, g.kh, g.kw, 1, 1, g.kh - 1 - g.pad_top, g.kw - 1 - g.pad_left, g.h, g.w};
    return true;
  }

  // input_grad_add's workspace: the flipped kernel, then (from conv on)
  // run's workspace for the transposed geometry.
  struct InputGradPieces {
    std::size_t flipped, conv;
  };
  static InputGradPieces input_grad_layout(int n, const ConvGeometry& g, int oc, WorkspaceLayout& l) {
    const std::size_t flipped = l.add<float>(static_cast<std::size_t>(g.patch()) * oc);
    const std::size_t conv = l.bytes();
    ConvGeometry t;
    transposed_geometry(g, oc, t);
    run_layout(n, t, g.c, l);
    return {flipped, conv};
  }
  static std::size_t input_grad_workspace_size(int n, const ConvGeometry& g, int oc) {
    WorkspaceLayout l;
    input_grad_layout(n, g, oc, l);
    return l.bytes();
  }

  // din(N,H,W,C) += conv(dout, flipped kernel) for a geometry accepted by
  // transposed_geometry.
  static void input_grad_add(const float* dout, int n, const ConvGeometry& g, const ConvGeometry& t,
                             const float* kernel, int oc, float* din, void* workspace) {
    WorkspaceLayout l;
    const InputGradPieces at = input_grad_layout(n, g, oc, l);
    // flipped(ky', kx', o, c) = kernel(KH-1-ky', KW-1-kx', c, o): (KH*KW*OC, C)
    float* flipped = workspace_at<float>(workspace, at.flipped);
    for (int ky = 0; ky < g.kh; ++ky)
      for (int kx = 0; kx < g.kw; ++kx) {
        const float* src = kernel + static_cast<std::ptrdiff_t>((g.kh - 1 - ky) * g.kw + (g.kw - 1 - kx)) * g.c * oc;
        float* dst = flipped + static_cast<std::ptrdiff_t>(ky * g.kw + kx) * oc * g.c;
        for (int c = 0; c < g.c; ++c)
          for (int o = 0; o < oc; ++o)
            dst[static_cast<std::ptrdiff_t>(o) * g.c + c] = src[static_cast<std::ptrdiff_t>(c) * oc + o];
      }
    run(dout, n, t, flipped, g.c, din, Epilogue{}, workspace_at<unsigned char>(workspace, at.conv), true);
  }
};

}  // namespace convolab::kernels::generic
