#pragma once
// The depthwise product shared by DepthwiseConv2D and SeparableConv2D, on
// im2col columns (kernels::im2col): each input channel ch is convolved with
// its own M filters, output channel ch*M + m (tfjs's order).
//   cols(R, KK*C), kernel(KK, C, M), out(R, C*M); R = N*OH*OW, KK = KH*KW.
// Plain loops the compiler vectorises over M and C; the reference for any
// faster kernel.
#include <algorithm>
#include <cstddef>

namespace convolab::depthwise {

// out(R, C*M) = depthwise(cols, kernel)
inline void forward(const float* cols, std::size_t rows, int kk, int c, int m, const float* kernel, float* out) {
  const std::size_t cm = static_cast<std::size_t>(c) * m;
  for (std::size_t r = 0; r < rows; ++r) {
    float* o = out + r * cm;
    std::fill(o, o + cm, 0.0f);
    const float* col = cols + r * kk * c;
    for (int k = 0; k < kk; ++k)
      for (int ch = 0; ch < c; ++ch) {
        const float v = col[k * c + ch];
        const float* w = kernel + (static_cast<std::size_t>(k) * c + ch) * m;
        float* oc = o + static_cast<std::size_t>(ch) * m;
        for (int j = 0; j < m; ++j) oc[j] += v * w[j];
      }
  }
}

// dkernel(KK, C, M) += cols^T-style sums with dout(R, C*M); dcols(R, KK*C) :=
// dL/dcols (overwritten), when not null.
inline void backward(const float* cols, const float* dout, std::size_t rows, int kk, int c, int m, const float* kernel,
                     float* dkernel, float* dcols) {
  const std::size_t cm = static_cast<std::size_t>(c) * m;
  for (std::size_t r = 0; r < rows; ++r) {
    const float* g = dout + r * cm;
    const float* col = cols + r * kk * c;
    float* dcol = dcols ? dcols + r * kk * c : nullptr;
    for (int k = 0; k < kk; ++k)
      for (int ch = 0; ch < c; ++ch) {
        const std::size_t at = (static_cast<std::size_t>(k) * c + ch) * m;
        const float v = col[k * c + ch];
        const float* gc = g + static_cast<std::size_t>(ch) * m;
        float s = 0.0f;
        for (int j = 0; j < m; ++j) {
          dkernel[at + j] += v * gc[j];
          s += gc[j] * kernel[at + j];
        }
        if (dcol) dcol[k * c + ch] = s;
      }
  }
}

}  // namespace convolab::depthwise
