// convolab::kernels for native x86: the generic blocked GEMM instantiated
// with the widest vectors the compiler targets (-march=native), the other
// kernels with AVX2 (or SSE2) vectors.
#include "../generic/conv_im2col.h"
#include "../generic/conv_implicit.h"
#include "../generic/gemm_blocked.h"
#include "../generic/kernels_vec.h"
#include "../kernels.h"
#include "vec_x86.h"

namespace convolab::kernels {

namespace {
#if defined(__AVX512F__)
// 32 zmm registers: an 8x32 tile (16 accumulators) for wide outputs, a
// 12x16 tile (12 accumulators) when N is at most 16 (the small convs).
using GemmWide = generic::BlockedGemm<x86::VecAvx512, 8, 2>;
using GemmNarrow = generic::BlockedGemm<x86::VecAvx512, 12, 1>;
constexpr const char* kName = "x86-avx512";
#elif defined(__AVX2__)
using GemmWide = generic::BlockedGemm<x86::VecAvx2, 6, 2>;
using GemmNarrow = generic::BlockedGemm<x86::VecAvx2, 6, 1>;
constexpr const char* kName = "x86-avx2";
#else
using GemmWide = generic::BlockedGemm<x86::VecSse, 4, 2>;
using GemmNarrow = generic::BlockedGemm<x86::VecSse, 6, 1>;
constexpr const char* kName = "x86-sse2";
#endif
using Vk = generic::VecKernels<x86::VecNarrow>;
using ConvWide = generic::ImplicitConv<GemmWide::V_t, GemmWide::MR_t, GemmWide::NV_t>;
using ConvNarrow = generic::ImplicitConv<GemmNarrow::V_t, GemmNarrow::MR_t, GemmNarrow::NV_t>;
}  // namespace

const char* implementation_name() { return kName; }

void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta, float* c,
          int ldc, const Epilogue& ep, void* workspace) {
  if (n <= GemmNarrow::NR)
    GemmNarrow::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep, workspace);
  else
    GemmWide::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep, workspace);
}
std::size_t gemm_workspace_size(bool ta, bool tb, int m, int n, int k) {
  return n <= GemmNarrow::NR ? GemmNarrow::workspace_size(ta, tb, m, n, k) : GemmWide::workspace_size(ta, tb, m, n, k);
}
#include "../generic/vec_kernel_forwarders.inc"

namespace {
// The GEMM above (narrow or wide tiles by N), for the im2col path.
struct Gemm {
  static void run(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta,
                  float* c, int ldc, const Epilogue& ep, void* workspace) {
    gemm(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep, workspace);
  }
  static std::size_t workspace_size(bool ta, bool tb, int m, int n, int k) {
    return gemm_workspace_size(ta, tb, m, n, k);
  }
};
using ColsConv = generic::Im2colConv<Gemm, Vk>;
}  // namespace

std::size_t conv2d_forward_workspace_size(int n, const ConvGeometry& g, int oc) {
  return oc <= ConvNarrow::NR ? ConvNarrow::run_workspace_size(n, g, oc) : ConvWide::run_workspace_size(n, g, oc);
}
void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, void* workspace) {
  if (oc <= ConvNarrow::NR)
    ConvNarrow::run(in, n, g, kernel, oc, out, ep, workspace);
  else
    ConvWide::run(in, n, g, kernel, oc, out, ep, workspace);
}

std::size_t conv2d_backward_filter_workspace_size(int n, const ConvGeometry& g, int oc) {
  return oc <= ConvNarrow::NR ? ConvNarrow::filter_grad_workspace_size(n, g, oc)
                              : ConvWide::filter_grad_workspace_size(n, g, oc);
}
void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, void* workspace) {
  if (oc <= ConvNarrow::NR)
    ConvNarrow::filter_grad_add(in, n, g, dout, oc, dkernel, workspace);
  else
    ConvWide::filter_grad_add(in, n, g, dout, oc, dkernel, workspace);
}

std::size_t conv2d_backward_input_workspace_size(int n, const ConvGeometry& g, int oc) {
  ConvGeometry t;
  if (ConvNarrow::transposed_geometry(g, oc, t))
    return g.c <= ConvNarrow::NR ? ConvNarrow::input_grad_workspace_size(n, g, oc)
                                 : ConvWide::input_grad_workspace_size(n, g, oc);
  return ColsConv::input_grad_workspace_size(n, g, oc);
}
void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               void* workspace) {
  ConvGeometry t;
  if (ConvNarrow::transposed_geometry(g, oc, t)) {
    if (g.c <= ConvNarrow::NR) return ConvNarrow::input_grad_add(dout, n, g, t, kernel, oc, din, workspace);
    return ConvWide::input_grad_add(dout, n, g, t, kernel, oc, din, workspace);
  }
  ColsConv::input_grad_add(dout, n, g, kernel, oc, din, workspace);
}

}  // namespace convolab::kernels
