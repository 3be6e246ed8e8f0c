#pragma once
// The blocked GEMM, written once over a vector type V (see vec_*.h):
//   V::T, V::W (lanes), zero, load, store, broadcast(const float*),
//   madd(acc, a, b) = acc + a*b, add, relu, leaky(x, alpha_vec), splat.
// An MR x NR tile of C (NR = NV*W) lives in registers while the K loop
// streams one broadcast A value per row and NV vectors of B per step, as
// XNNPACK's f32_gemm_MRxNR kernels do. A is read in place through a row
// stride and a K stride (so op(A) = A or A^T costs nothing); B is packed
// into NR-wide, zero-padded panels unless it already is one (row-major with
// N a multiple of NR). K is cut into KC blocks so a B block stays in L1;
// rows are split across threads, each task packing its own B blocks into
// its piece of the caller's workspace.
#include <algorithm>
#include <cstddef>

#include "../kernels.h"
#include "../parallel.h"
#include "../workspace.h"

namespace convolab::kernels::generic {

template <class V, int MR, int NV, int KC = 256, int MC = 64>
struct BlockedGemm {
  using T = typename V::T;
  using V_t = V;
  static constexpr int MR_t = MR, NV_t = NV;
  static constexpr int W = V::W;
  static constexpr int NR = NV * W;

  // bp: one (kc, NR) panel per NR columns of op(B)(kc, n), zero-padded.
  static void pack_b(bool tb, int kc, int n, const float* b, int ldb, float* bp) {
    for (int j0 = 0; j0 < n; j0 += NR, bp += static_cast<std::ptrdiff_t>(kc) * NR) {
      const int nc = std::min(NR, n - j0);
      if (!tb) {
        for (int p = 0; p < kc; ++p) {
          const float* src = b + static_cast<std::ptrdiff_t>(p) * ldb + j0;
          float* dst = bp + static_cast<std::ptrdiff_t>(p) * NR;
          int j = 0;
          for (; j < nc; ++j) dst[j] = src[j];
          for (; j < NR; ++j) dst[j] = 0.0f;
        }
      } else {
        // op(B)(p, j) = b[j*ldb + p]: walk each source row contiguously.
        for (int j = 0; j < NR; ++j) {
          float* dst = bp + j;
          if (j < nc) {
            const float* src = b + static_cast<std::ptrdiff_t>(j0 + j) * ldb;
            for (int p = 0; p < kc; ++p) dst[static_cast<std::ptrdiff_t>(p) * NR] = src[p];
          } else {
            for (int p = 0; p < kc; ++p) dst[static_cast<std::ptrdiff_t>(p) * NR] = 0.0f;
          }
        }
      }
    }
  }

  static T finish(T x, const Epilogue& ep, int col) {
    if (ep.bias) x = V::add(x, V::load(ep.bias + col));
    if (ep.act == Act::Relu)
      x = V::relu(x);
    else if (ep.act == Act::LeakyRelu)
      x = V::leaky(x, V::splat(ep.alpha));
    return x;
  }

  static float finish_scalar(float x, const Epilogue& ep, int col) {
    if (ep.bias) x += ep.bias[col];
    if (ep.act == Act::Relu)
      x = x > 0.0f ? x : 0.0f;
    else if (ep.act == Act::LeakyRelu)
      x = x > 0.0f ? x : ep.alpha * x;
    return x;
  }

  // Writes an R x NR register tile to C(R, nc): adds C's old values when
  // acc_c, then applies the epilogue when given; a partial panel (nc < NR)
  // goes through a small buffer.
  template <int R>
  static void store_tile(T (&acc)[R][NV], float* c, int ldc, int nc, bool acc_c, const Epilogue* ep, int col0) {
    if (nc == NR) {
      for (int r = 0; r < R; ++r) {
        float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
        for (int v = 0; v < NV; ++v) {
          T x = acc[r][v];
          if (acc_c) x = V::add(x, V::load(cr + v * W));
          if (ep) x = finish(x, *ep, col0 + v * W);
          V::store(cr + v * W, x);
        }
      }
    } else {
      alignas(64) float tile[NR];
      for (int r = 0; r < R; ++r) {
        float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
        for (int v = 0; v < NV; ++v) V::store(tile + v * W, acc[r][v]);
        for (int j = 0; j < nc; ++j) {
          float x = tile[j];
          if (acc_c) x += cr[j];
          if (ep) x = finish_scalar(x, *ep, col0 + j);
          cr[j] = x;
        }
      }
    }
  }

  // C(R, nc) (+)= A(R, kc) * Bpanel(kc, NR)[:, :nc], then the epilogue if given.
  // A(r, p) = a[r*rsa + p*csa]; Bpanel row p starts at bp + p*ldbp.
  template <int R>
  static void micro(int kc, const float* a, std::ptrdiff_t rsa, std::ptrdiff_t csa, const float* bp,
                    std::ptrdiff_t ldbp, float* c, int ldc, int nc, bool acc_c, const Epilogue* ep, int col0) {
    T acc[R][NV];
    for (int r = 0; r < R; ++r)
      for (int v = 0; v < NV; ++v) acc[r][v] = V::zero();
    const float* ap[R];
    for (int r = 0; r < R; ++r) ap[r] = a + r * rsa;
    for (int p = 0; p < kc; ++p) {
      T bv[NV];
      for (int v = 0; v < NV; ++v) bv[v] = V::load(bp + v * W);
      bp += ldbp;
      for (int r = 0; r < R; ++r) {
        const T av = V::broadcast(ap[r]);
        ap[r] += csa;
        for (int v = 0; v < NV; ++v) acc[r][v] = V::madd(acc[r][v], av, bv[v]);
      }
    }
    store_tile<R>(acc, c, ldc, nc, acc_c, ep, col0);
  }

  template <int R = MR>
  static void micro_rows(int rows, int kc, const float* a, std::ptrdiff_t rsa, std::ptrdiff_t csa, const float* bp,
                         std::ptrdiff_t ldbp, float* c, int ldc, int nc, bool acc_c, const Epilogue* ep, int col0) {
    if constexpr (R > 0) {
      if (rows == R) return micro<R>(kc, a, rsa, csa, bp, ldbp, c, ldc, nc, acc_c, ep, col0);
      micro_rows<R - 1>(rows, kc, a, rsa, csa, bp, ldbp, c, ldc, nc, acc_c, ep, col0);
    }
  }

  // One or two rows (a single example through a Dense layer): packing B
  // would cost as much as the product, so few_rows streams it in place.
  static bool streams_rows(bool ta, int m, int n, int k) {
    return m <= 2 && !ta && static_cast<long long>(k) * n >= 4096;
  }

  // Row tasks for `threads` threads: only when the work is well over the
  // cost of waking a worker (tens of microseconds in wasm); a few tasks per
  // thread, so a worker that wakes late still finds some to take.
  static int row_tasks(int m, int n, int k, int threads) {
    const long long macs = static_cast<long long>(m) * n * k;
    if (threads > 1 && macs >= (1 << 20) && m >= 2 * MR) return std::min({4 * threads, m / MR, kMaxTaskSlots});
    return 1;
  }

  // The workspace: per row task, one KC block of op(B) packed into
  // (min(K, KC), NR) panels, unless B is used as it is (or not at all).
  static WorkspaceLayout::Slots layout(bool ta, bool tb, int m, int n, int k, WorkspaceLayout& l) {
    const bool packed_already = !tb && n % NR == 0;
    if (m <= 0 || n <= 0 || k <= 0 || streams_rows(ta, m, n, k) || packed_already) return l.add_slots<float>(0, 0);
    const int panels = (n + NR - 1) / NR;
    return l.add_slots<float>(row_tasks(m, n, k, max_threads()),
                              static_cast<std::size_t>(panels) * NR * std::min(k, KC));
  }

  static std::size_t workspace_size(bool ta, bool tb, int m, int n, int k) {
    WorkspaceLayout l;
    layout(ta, tb, m, n, k, l);
    return l.bytes();
  }

  // Rows [i_begin, i_end) of C, every column, every K block; pack holds the
  // task's packed B block (unused when B is already in panels).
  static void rows(float* pack, bool ta, bool tb, int i_begin, int i_end, int n, int k, const float* a, int lda,
                   const float* b, int ldb, float beta, float* c, int ldc, const Epilogue* ep) {
    const std::ptrdiff_t rsa = ta ? 1 : lda, csa = ta ? lda : 1;
    const int panels = (n + NR - 1) / NR;
    const bool packed_already = !tb && n % NR == 0;
    for (int k0 = 0; k0 < k; k0 += KC) {
      const int kc = std::min(KC, k - k0);
      const float* bblock;
      std::ptrdiff_t ldbp, panel_stride;
      if (packed_already) {
        bblock = b + static_cast<std::ptrdiff_t>(k0) * ldb;
        ldbp = ldb;
        panel_stride = NR;
      } else {
        pack_b(tb, kc, n, tb ? b + k0 : b + static_cast<std::ptrdiff_t>(k0) * ldb, ldb, pack);
        bblock = pack;
        ldbp = NR;
        panel_stride = static_cast<std::ptrdiff_t>(kc) * NR;
      }
      const bool acc_c = k0 > 0 || beta != 0.0f;
      const Epilogue* e = k0 + kc >= k ? ep : nullptr;
      for (int ic = i_begin; ic < i_end; ic += MC) {
        const int ic_end = std::min(i_end, ic + MC);
        for (int jp = 0; jp < panels; ++jp) {
          const int j0 = jp * NR, nc = std::min(NR, n - j0);
          const float* bpanel = bblock + jp * panel_stride;
          for (int i0 = ic; i0 < ic_end; i0 += MR) {
            const float* ai = a + i0 * rsa + static_cast<std::ptrdiff_t>(k0) * csa;
            float* ci = c + static_cast<std::ptrdiff_t>(i0) * ldc + j0;
            micro_rows(std::min(MR, ic_end - i0), kc, ai, rsa, csa, bpanel, ldbp, ci, ldc, nc, acc_c, e, j0);
          }
        }
      }
    }
  }

  // C(m, n) (+)= A(m, k) * op(B)(k, n) row by row without packing: over
  // columns in vectors when B is row-major, over k in vectors (a dot
  // product per column) when it is transposed.
  static void few_rows(bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta,
                       float* c, int ldc, const Epilogue* ep) {
    for (int i = 0; i < m; ++i) {
      const float* ai = a + static_cast<std::ptrdiff_t>(i) * lda;
      float* ci = c + static_cast<std::ptrdiff_t>(i) * ldc;
      int j = 0;
      if (!tb) {
        for (; j + W <= n; j += W) {
          T acc = V::zero();
          const float* bp = b + j;
          for (int p = 0; p < k; ++p, bp += ldb) acc = V::madd(acc, V::broadcast(ai + p), V::load(bp));
          if (beta != 0.0f) acc = V::add(acc, V::load(ci + j));
          if (ep) acc = finish(acc, *ep, j);
          V::store(ci + j, acc);
        }
        for (; j < n; ++j) {
          float acc = 0.0f;
          for (int p = 0; p < k; ++p) acc += ai[p] * b[static_cast<std::ptrdiff_t>(p) * ldb + j];
          if (beta != 0.0f) acc += ci[j];
          ci[j] = ep ? finish_scalar(acc, *ep, j) : acc;
        }
      } else {
        for (; j < n; ++j) {
          const float* bj = b + static_cast<std::ptrdiff_t>(j) * ldb;
          T acc0 = V::zero(), acc1 = V::zero();
          int p = 0;
          for (; p + 2 * W <= k; p += 2 * W) {
            acc0 = V::madd(acc0, V::load(ai + p), V::load(bj + p));
            acc1 = V::madd(acc1, V::load(ai + p + W), V::load(bj + p + W));
          }
          for (; p + W <= k; p += W) acc0 = V::madd(acc0, V::load(ai + p), V::load(bj + p));
          alignas(64) float lanes[W];
          V::store(lanes, V::add(acc0, acc1));
          float acc = 0.0f;
          for (int l = 0; l < W; ++l) acc += lanes[l];
          for (; p < k; ++p) acc += ai[p] * bj[p];
          if (beta != 0.0f) acc += ci[j];
          ci[j] = ep ? finish_scalar(acc, *ep, j) : acc;
        }
      }
    }
  }

  static void run(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta,
                  float* c, int ldc, const Epilogue& epilogue, void* workspace) {
    if (m <= 0 || n <= 0) return;
    const bool has_ep = epilogue.bias || epilogue.act != Act::Linear;
    if (k <= 0) {
      for (int i = 0; i < m; ++i) {
        float* ci = c + static_cast<std::ptrdiff_t>(i) * ldc;
        for (int j = 0; j < n; ++j) {
          float x = beta != 0.0f ? ci[j] : 0.0f;
          ci[j] = has_ep ? finish_scalar(x, epilogue, j) : x;
        }
      }
      return;
    }
    const Epilogue* ep = has_ep ? &epilogue : nullptr;
    if (streams_rows(ta, m, n, k)) return few_rows(tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
    WorkspaceLayout l;
    const WorkspaceLayout::Slots packs = layout(ta, tb, m, n, k, l);
    const int tasks = row_tasks(m, n, k, num_threads());  // at most the slots: num_threads() <= max_threads()
    if (tasks <= 1)
      return rows(workspace_at<float>(workspace, packs, 0), ta, tb, 0, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
    const int tiles = (m + MR - 1) / MR;
    parallel_for(tasks, [&](int t) {
      const int i_begin = std::min(m, tiles * t / tasks * MR);
      const int i_end = std::min(m, tiles * (t + 1) / tasks * MR);
      if (i_begin < i_end)
        rows(workspace_at<float>(workspace, packs, t), ta, tb, i_begin, i_end, n, k, a, lda, b, ldb, beta, c, ldc, ep);
    });
  }
};

}  // namespace convolab::kernels::generic
