#pragma once
// The only numeric interface layers call. Every routine here has a portable
// reference implementation (kernels/reference/) that stays forever as the
// test oracle; faster ISA-specific versions (wasm SIMD, x86) implement the
// same signatures and are chosen at build time.
//
// Glossary: N batch, H/W input height/width, C input channels,
// KH/KW kernel size, SH/SW stride, OH/OW output size, OC output channels.
// All images are NHWC, row-major; matrices are row-major.
#include <cstddef>
#include <cstdint>

namespace convolab::kernels {

// C(M,N) = beta*C + op(A)(M,K) * op(B)(K,N); op(X) = X or X^T.
// beta is 0 (overwrite) or 1 (accumulate): backward passes accumulate.
void gemm(bool trans_a, bool trans_b, int m, int n, int k,
          const float* a, int lda, const float* b, int ldb,
          float beta, float* c, int ldc);

struct ConvGeometry {
  int h, w, c;          // input, per image
  int kh, kw;           // kernel
  int sh, sw;           // stride
  int pad_top, pad_left;
  int oh, ow;           // output
  int patch() const { return kh * kw * c; }
};

// cols(N*OH*OW, KH*KW*C): one row per output pixel, zero where the window
// overlaps padding.
void im2col(const float* in /*(N,H,W,C)*/, int n, const ConvGeometry& g, float* cols);
// Adjoint of im2col: din(N,H,W,C) += scatter of cols.
void col2im_add(const float* cols, int n, const ConvGeometry& g, float* din);

struct PoolGeometry {
  int h, w, c;
  int ph, pw;   // window
  int sh, sw;
  int pad_top, pad_left;
  int oh, ow;
};

// Max pool; argmax(N,OH,OW,C) records the flat input index (within one
// image) of the first maximum in row-major order, as TensorFlow does.
void max_pool_forward(const float* in, int n, const PoolGeometry& g, float* out, std::int32_t* argmax);
void max_pool_backward_add(const float* dout, const std::int32_t* argmax, int n, const PoolGeometry& g, float* din);

// out(rows, cols) += bias(cols) broadcast over rows.
void add_bias_rows(float* out, int rows, int cols, const float* bias);
// dbias(cols) += column sums of d(rows, cols).
void sum_rows_add(const float* d, int rows, int cols, float* dbias);

}  // namespace convolab::kernels
