// convolab::kernels for native x86: the generic blocked GEMM instantiated
// with the widest vectors the compiler targets (-march=native), the other
// kernels with AVX2 (or SSE2) vectors.
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
          int ldc, const Epilogue& ep) {
  if (n <= GemmNarrow::NR)
    GemmNarrow::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
  else
    GemmWide::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
}
#include "../generic/vec_kernel_forwarders.inc"
void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, float* /*cols*/) {
  if (oc <= ConvNarrow::NR)
    ConvNarrow::run(in, n, g, kernel, oc, out, ep);
  else
    ConvWide::run(in, n, g, kernel, oc, out, ep);
}

void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, float* /*cols*/) {
  if (oc <= ConvNarrow::NR)
    ConvNarrow::filter_grad_add(in, n, g, dout, oc, dkernel);
  else
    ConvWide::filter_grad_add(in, n, g, dout, oc, dkernel);
}

void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               float* dcols) {
  ConvGeometry t;
  if (ConvNarrow::transposed_geometry(g, oc, t)) {
    if (g.c <= ConvNarrow::NR) return ConvNarrow::input_grad_add(dout, n, g, t, kernel, oc, din);
    return ConvWide::input_grad_add(dout, n, g, t, kernel, oc, din);
  }
  const int rows = n * g.oh * g.ow, k = g.patch();
  gemm(false, true, rows, k, oc, dout, oc, kernel, oc, 0.0f, dcols, k, Epilogue{});
  Vk::col2im_add(dcols, n, g, din);
}

}  // namespace convolab::kernels
