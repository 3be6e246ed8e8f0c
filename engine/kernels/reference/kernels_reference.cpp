// Portable scalar kernels: the oracle every faster kernel is tested against,
// and the implementation used where no faster one exists.
#include <algorithm>
#include <cmath>

#include "../kernels.h"

namespace convolab::kernels::reference {

namespace {

float apply_act(Act act, float alpha, float v) {
  switch (act) {
    case Act::Linear:
      return v;
    case Act::Relu:
      return v > 0.0f ? v : 0.0f;
    case Act::LeakyRelu:
      return v > 0.0f ? v : alpha * v;
  }
  return v;
}

}  // namespace

std::size_t gemm_workspace_size(bool, bool, int, int, int) { return 0; }

void gemm(bool trans_a, bool trans_b, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta,
          float* c, int ldc, const Epilogue& ep, void* /*workspace*/) {
  if (beta == 0.0f) {
    for (int i = 0; i < m; ++i)
      std::fill(c + static_cast<std::ptrdiff_t>(i) * ldc, c + static_cast<std::ptrdiff_t>(i) * ldc + n, 0.0f);
  }
  // i-p-j order keeps the inner loop contiguous in B and C so the compiler
  // can vectorise it when B is not transposed.
  for (int i = 0; i < m; ++i) {
    float* crow = c + static_cast<std::ptrdiff_t>(i) * ldc;
    for (int p = 0; p < k; ++p) {
      float av = trans_a ? a[static_cast<std::ptrdiff_t>(p) * lda + i] : a[static_cast<std::ptrdiff_t>(i) * lda + p];
      if (av == 0.0f) continue;
      if (!trans_b) {
        const float* brow = b + static_cast<std::ptrdiff_t>(p) * ldb;
        for (int j = 0; j < n; ++j) crow[j] += av * brow[j];
      } else {
        for (int j = 0; j < n; ++j) crow[j] += av * b[static_cast<std::ptrdiff_t>(j) * ldb + p];
      }
    }
  }
  if (ep.bias || ep.act != Act::Linear)
    for (int i = 0; i < m; ++i)
      reference::bias_act(c + static_cast<std::ptrdiff_t>(i) * ldc, 1, n, ep.bias, ep.act, ep.alpha);
}

std::size_t im2col_workspace_size(int, const ConvGeometry&) { return 0; }

void im2col(const float* in, int n, const ConvGeometry& g, float* cols, void* /*workspace*/) {
  const int patch = g.patch();
  for (int img = 0; img < n; ++img) {
    const float* x = in + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        float* row = cols + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * patch;
        for (int ky = 0; ky < g.kh; ++ky) {
          int iy = oy * g.sh + ky - g.pad_top;
          for (int kx = 0; kx < g.kw; ++kx) {
            int ix = ox * g.sw + kx - g.pad_left;
            float* dst = row + (ky * g.kw + kx) * g.c;
            if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) {
              std::fill(dst, dst + g.c, 0.0f);
            } else {
              const float* src = x + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
              std::copy(src, src + g.c, dst);
            }
          }
        }
      }
    }
  }
}

void col2im_add(const float* cols, int n, const ConvGeometry& g, float* din) {
  const int patch = g.patch();
  for (int img = 0; img < n; ++img) {
    float* dx = din + static_cast<std::ptrdiff_t>(img) * g.h * g.w * g.c;
    for (int oy = 0; oy < g.oh; ++oy) {
      for (int ox = 0; ox < g.ow; ++ox) {
        const float* row = cols + ((static_cast<std::ptrdiff_t>(img) * g.oh + oy) * g.ow + ox) * patch;
        for (int ky = 0; ky < g.kh; ++ky) {
          int iy = oy * g.sh + ky - g.pad_top;
          if (iy < 0 || iy >= g.h) continue;
          for (int kx = 0; kx < g.kw; ++kx) {
            int ix = ox * g.sw + kx - g.pad_left;
            if (ix < 0 || ix >= g.w) continue;
            const float* src = row + (ky * g.kw + kx) * g.c;
            float* dst = dx + (static_cast<std::ptrdiff_t>(iy) * g.w + ix) * g.c;
            for (int ci = 0; ci < g.c; ++ci) dst[ci] += src[ci];
          }
        }
      }
    }
  }
}

void add_bias_rows(float* out, int rows, int cols, const float* bias) {
  for (int r = 0; r < rows; ++r) {
    float* row = out + static_cast<std::ptrdiff_t>(r) * cols;
    for (int j = 0; j < cols; ++j) row[j] += bias[j];
  }
}

std::size_t sum_rows_add_workspace_size(int, int) { return 0; }

void sum_rows_add(const float* d, int rows, int cols, float* dbias, void* /*workspace*/) {
  for (int r = 0; r < rows; ++r) {
    const float* row = d + static_cast<std::ptrdiff_t>(r) * cols;
    for (int j = 0; j < cols; ++j) dbias[j] += row[j];
  }
}

void bias_act(float* out, int rows, int cols, const float* bias, Act act, float alpha) {
  for (int r = 0; r < rows; ++r) {
    float* row = out + static_cast<std::ptrdiff_t>(r) * cols;
    for (int j = 0; j < cols; ++j) row[j] = apply_act(act, alpha, row[j] + (bias ? bias[j] : 0.0f));
  }
}

void act_backward(Act act, float alpha, const float* y, const float* dy, float* dpre, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    dpre[i] = act == Act::Linear || y[i] > 0.0f ? dy[i] : act == Act::Relu ? 0.0f : dy[i] * alpha;
}

void softmax_rows(float* x, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    float* row = x + static_cast<std::ptrdiff_t>(r) * cols;
    const float mx = *std::max_element(row, row + cols);
    float sum = 0.0f;
    for (int j = 0; j < cols; ++j) {
      row[j] = std::exp(row[j] - mx);
      sum += row[j];
    }
    const float inv = 1.0f / sum;
    for (int j = 0; j < cols; ++j) row[j] *= inv;
  }
}

// The convolutions go through im2col: cols (N*OH*OW, KH*KW*C) is their
// workspace (dcols for the input gradient).
namespace {
std::size_t cols_bytes(int n, const ConvGeometry& g) {
  return static_cast<std::size_t>(n) * g.oh * g.ow * g.patch() * sizeof(float);
}
}  // namespace

std::size_t conv2d_forward_workspace_size(int n, const ConvGeometry& g, int) { return cols_bytes(n, g); }
std::size_t conv2d_backward_filter_workspace_size(int n, const ConvGeometry& g, int) { return cols_bytes(n, g); }
std::size_t conv2d_backward_input_workspace_size(int n, const ConvGeometry& g, int) { return cols_bytes(n, g); }

void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, void* workspace) {
  const int rows = n * g.oh * g.ow, k = g.patch();
  float* cols = static_cast<float*>(workspace);
  reference::im2col(in, n, g, cols, nullptr);
  reference::gemm(false, false, rows, oc, k, cols, k, kernel, oc, 0.0f, out, oc, ep, nullptr);
}

void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, void* workspace) {
  const int rows = n * g.oh * g.ow, k = g.patch();
  float* cols = static_cast<float*>(workspace);
  reference::im2col(in, n, g, cols, nullptr);
  reference::gemm(true, false, k, oc, rows, cols, k, dout, oc, 1.0f, dkernel, oc, Epilogue{}, nullptr);
}

void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               void* workspace) {
  const int rows = n * g.oh * g.ow, k = g.patch();
  float* dcols = static_cast<float*>(workspace);
  reference::gemm(false, true, rows, k, oc, dout, oc, kernel, oc, 0.0f, dcols, k, Epilogue{}, nullptr);
  reference::col2im_add(dcols, n, g, din);
}

}  // namespace convolab::kernels::reference
