// convolab::kernels for builds without a SIMD implementation
// (CONVOLAB_KERNELS=reference): every kernel is the reference twin.
#include "../kernels.h"

namespace convolab::kernels {

const char* implementation_name() { return "reference"; }

void gemm(bool ta, bool tb, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float beta, float* c,
          int ldc, const Epilogue& ep) {
  reference::gemm(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc, ep);
}
void im2col(const float* in, int n, const ConvGeometry& g, float* cols) { reference::im2col(in, n, g, cols); }
void col2im_add(const float* cols, int n, const ConvGeometry& g, float* din) { reference::col2im_add(cols, n, g, din); }
void max_pool_forward(const float* in, int n, const PoolGeometry& g, float* out, std::int32_t* argmax) {
  reference::max_pool_forward(in, n, g, out, argmax);
}
void max_pool_backward_add(const float* dout, const std::int32_t* argmax, int n, const PoolGeometry& g, float* din) {
  reference::max_pool_backward_add(dout, argmax, n, g, din);
}
void bias_act(float* out, int rows, int cols, const float* bias, Act act, float alpha) {
  reference::bias_act(out, rows, cols, bias, act, alpha);
}
void add_bias_rows(float* out, int rows, int cols, const float* bias) {
  reference::add_bias_rows(out, rows, cols, bias);
}
void sum_rows_add(const float* d, int rows, int cols, float* dbias) { reference::sum_rows_add(d, rows, cols, dbias); }
void act_backward(Act act, float alpha, const float* y, const float* dy, float* dpre, std::size_t count) {
  reference::act_backward(act, alpha, y, dy, dpre, count);
}
void softmax_rows(float* x, int rows, int cols) { reference::softmax_rows(x, rows, cols); }
void conv2d_forward(const float* in, int n, const ConvGeometry& g, const float* kernel, int oc, float* out,
                    const Epilogue& ep, float* cols) {
  reference::conv2d_forward(in, n, g, kernel, oc, out, ep, cols);
}

void conv2d_backward_filter_add(const float* in, int n, const ConvGeometry& g, const float* dout, int oc,
                                float* dkernel, float* cols) {
  reference::conv2d_backward_filter_add(in, n, g, dout, oc, dkernel, cols);
}

void conv2d_backward_input_add(const float* dout, int n, const ConvGeometry& g, const float* kernel, int oc, float* din,
                               float* dcols) {
  reference::conv2d_backward_input_add(dout, n, g, kernel, oc, din, dcols);
}

}  // namespace convolab::kernels
