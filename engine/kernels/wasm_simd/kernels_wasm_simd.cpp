// convolab::kernels for WebAssembly SIMD128: the generic blocked GEMM and
// vector kernels instantiated with 4-lane v128 vectors.
#include "../generic/conv_im2col.h"
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
using ColsConv = generic::Im2colConv<Gemm, Vk>;

// Measured in Node (V8): reading windows in place wins while a kernel row
// is short (5x5 over 1 or 8 channels: 1.2-1.3x); for long rows (3x3 over 64
// channels) im2col + the blocked GEMM is 1.1x faster.
bool long_rows(const ConvGeometry& g) { return g.kw * g.c >= 128; }

// The input gradient of a stride-1 conv as a conv of dout, unless its rows
// are long: then through dcols.
bool input_grad_as_conv(const ConvGeometry& g, int oc, ConvGeometry& t) {
  return Conv::transposed_geometry(g, oc, t) && !long_rows(t);
}
}  // namespace

const char* implementation_name() { return "wasm_simd"; }

void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta, float* c,
          int ldc, const Epilogue& ep, void* workspace) {
  Gemm::run(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep, workspace);
}
std::size_t gemm_workspace_size(bool ta, bool tb, int m, int n, int k) { return Gemm::workspace_size(ta, tb, m, n, k); }
#include "../generic/vec_kernel_forwarders.inc"

std::size_t conv2d_forward_workspace_size(int n, const ConvGeometry& g, int oc) {
  return long_rows(g) ? ColsConv::forward_workspace_size(n, g, oc) : Conv::run_workspace_size(n, g, oc);
}
void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, void* workspace) {
  if (long_rows(g)) return ColsConv::forward(in, n, g, kernel, oc, out, ep, workspace);
  Conv::run(in, n, g, kernel, oc, out, ep, workspace);
}

std::size_t conv2d_backward_filter_workspace_size(int n, const ConvGeometry& g, int oc) {
  return long_rows(g) ? ColsConv::filter_grad_workspace_size(n, g, oc) : Conv::filter_grad_workspace_size(n, g, oc);
}
void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, void* workspace) {
  if (long_rows(g)) return ColsConv::filter_grad_add(in, n, g, dout, oc, dkernel, workspace);
  Conv::filter_grad_add(in, n, g, dout, oc, dkernel, workspace);
}

std::size_t conv2d_backward_input_workspace_size(int n, const ConvGeometry& g, int oc) {
  ConvGeometry t;
  if (input_grad_as_conv(g, oc, t)) return Conv::input_grad_workspace_size(n, g, oc);
  return ColsConv::input_grad_workspace_size(n, g, oc);
}
void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               void* workspace) {
  ConvGeometry t;
  if (input_grad_as_conv(g, oc, t)) return Conv::input_grad_add(dout, n, g, t, kernel, oc, din, workspace);
  ColsConv::input_grad_add(dout, n, g, kernel, oc, din, workspace);
}

}  // namespace convolab::kernels
