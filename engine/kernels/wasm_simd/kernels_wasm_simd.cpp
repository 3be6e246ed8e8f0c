// convolab::kernels for WebAssembly SIMD128: the generic blocked GEMM and
// vector kernels instantiated with 4-lane v128 vectors.
#include "../generic/conv_implicit.h"
#include "../generic/gemm_blocked.h"
#include "../generic/kernels_vec.h"
#include "../kernels.h"
#include "vec_wasm_simd.h"

namespace convolab::kernels {

namespace {
// f32_gemm_4x8__wasmsimd: 8 accumulators + 2 B vectors + a broadcast fit
// the 16 registers V8 has on x64 without spilling.
using Gemm = generic::BlockedGemm<wasm_simd::Vec, 4, 2>;
using Vk = generic::VecKernels<wasm_simd::Vec>;
using Conv = generic::ImplicitConv<wasm_simd::Vec, 4, 2>;

// Measured in Node (V8): reading windows in place wins while a kernel row
// is short (5x5 over 1 or 8 channels: 1.2-1.3x); for long rows (3x3 over 64
// channels) im2col + the blocked GEMM is 1.1x faster.
bool long_rows(const ConvGeometry& g) { return g.kw * g.c >= 128; }
}  // namespace

const char* implementation_name() { return "wasm_simd"; }

void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta, float* c,
          int ldc, const Epilogue& ep) {
  Gemm::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
}
#include "../generic/vec_kernel_forwarders.inc"
void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, float* cols) {
  if (long_rows(g)) {
    const int rows = n * g.oh * g.ow, k = g.patch();
    Vk::im2col(in, n, g, cols);
    return Gemm::run(false, false, rows, oc, k, cols, k, kernel, oc, 0.0f, out, oc, ep);
  }
  Conv::run(in, n, g, kernel, oc, out, ep);
}

void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, float* cols) {
  if (long_rows(g)) {
    const int rows = n * g.oh * g.ow, k = g.patch();
    Vk::im2col(in, n, g, cols);
    return Gemm::run(true, false, k, oc, rows, cols, k, dout, oc, 1.0f, dkernel, oc, Epilogue{});
  }
  Conv::filter_grad_add(in, n, g, dout, oc, dkernel);
}

void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               float* dcols) {
  ConvGeometry t;
  if (Conv::transposed_geometry(g, oc, t) && !long_rows(t)) return Conv::input_grad_add(dout, n, g, t, kernel, oc, din);
  const int rows = n * g.oh * g.ow, k = g.patch();
  Gemm::run(false, true, rows, k, oc, dout, oc, kernel, oc, 0.0f, dcols, k, Epilogue{});
  Vk::col2im_add(dcols, n, g, din);
}

}  // namespace convolab::kernels
