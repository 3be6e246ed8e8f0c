#include "convolab/layers/conv2d_transpose.h"

#include <algorithm>

namespace convolab {

Conv2DTranspose::Conv2DTranspose(const LayerOptions& opts, Shape in)
    : ActivatedLayer("Conv2DTranspose", in),
      conv_(read_conv_options(opts, in, {/*filters=*/true, /*depth_multiplier=*/false, /*explicit_padding=*/false})) {
  act_ = OutputActivation(opts);
  const int kh = conv_.kh, kw = conv_.kw, sh = conv_.sh, sw = conv_.sw, filters = conv_.filters;
  const bool same = conv_.padding.mode == PaddingSpec::Mode::Same;
  const int oh = same ? in.h * sh : in.h * sh + std::max(kh - sh, 0);
  const int ow = same ? in.w * sw : in.w * sw + std::max(kw - sw, 0);
  // The convolution (OH, OW, F) → (H, W, C) this layer is the adjoint of.
  const int pad_h = same ? std::max(0, (in.h - 1) * sh + kh - oh) : 0;
  const int pad_w = same ? std::max(0, (in.w - 1) * sw + kw - ow) : 0;
  geo_ = {oh, ow, filters, kh, kw, sh, sw, pad_h / 2, pad_w / 2, in.h, in.w};
  out_ = {oh, ow, filters};
  const Init kernel_init = opts.get_init("kernelInitializer", Init::GlorotUniform);
  // tfjs's fans for a (KH, KW, F, C) kernel: receptive field times F "in", times C "out"
  params_.push_back(kernel_block({kh, kw, filters, in.c}, kh * kw * filters, kh * kw * in.c, kernel_init));
  if (conv_.use_bias) params_.push_back(bias_block(filters, opts.get_init("biasInitializer", Init::Zeros)));
}

std::uint64_t Conv2DTranspose::macs() const { return static_cast<std::uint64_t>(geo_.patch()) * in_.c * in_.h * in_.w; }

std::string Conv2DTranspose::describe() const {
  return std::to_string(conv_.filters) + "@" + conv_.kernel_str() + " " + conv_.strides_str() + " " +
         conv_.padding.str() + " " + activation_name(act_.declared());
}

std::size_t Conv2DTranspose::workspace_bytes(int max_batch) const {
  const int rows = max_batch * in_.h * in_.w, out_rows = max_batch * out_.h * out_.w, k = geo_.patch();
  std::size_t bytes = std::max({kernels::conv2d_backward_input_workspace_size(max_batch, geo_, in_.c),
                                kernels::im2col_workspace_size(max_batch, geo_),
                                kernels::gemm_workspace_size(true, false, k, in_.c, rows)});
  if (conv_.use_bias) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(out_rows, conv_.filters));
  if (input_gradient_needed_) bytes = std::max(bytes, kernels::gemm_workspace_size(false, false, rows, in_.c, k));
  return bytes;
}

std::size_t Conv2DTranspose::buffer_bytes(int max_batch) const {
  const std::size_t rows = static_cast<std::size_t>(max_batch) * in_.h * in_.w;
  return (rows * geo_.patch() + static_cast<std::size_t>(max_batch) * out_.size()) * sizeof(float);  // cols_, dpre_
}

void Conv2DTranspose::reserve(int max_batch) {
  workspace_.reserve(workspace_bytes(max_batch));
  const std::size_t rows = static_cast<std::size_t>(max_batch) * in_.h * in_.w;
  grow_exactly(cols_, rows * geo_.patch());
  grow_exactly(dpre_, static_cast<std::size_t>(max_batch) * out_.size());
}

void Conv2DTranspose::forward(const float* in, float* out, int n, bool /*training*/) {
  const int c = in_.c;
  const std::size_t count = static_cast<std::size_t>(n) * out_.size();
  std::fill(out, out + count, 0.0f);
  // out += col2im(in(N*H*W, C) * kernel^T): the input gradient of the adjoint conv
  kernels::conv2d_backward_input_add(in, n, geo_, params_[0].value, c, out, workspace_.data());
  const int rows = n * out_.h * out_.w;
  if (conv_.use_bias) kernels::add_bias_rows(out, rows, conv_.filters, params_[1].value);
  act_.forward(out, rows, conv_.filters);
}

void Conv2DTranspose::backward(const float* in, const float* out, float* dout, float* din, int n) {
  const int c = in_.c, k = geo_.patch();
  const int out_rows = n * out_.h * out_.w, rows = n * in_.h * in_.w;
  const float* dpre = act_.backward(out, dout, dpre_.data(), out_rows, conv_.filters);
  if (conv_.use_bias) kernels::sum_rows_add(dpre, out_rows, conv_.filters, params_[1].grad, workspace_.data());
  // cols(N*H*W, KH*KW*F) = im2col(dpre) over the adjoint conv's windows
  kernels::im2col(dpre, n, geo_, cols_.data(), workspace_.data());
  // dkernel(KH*KW*F, C) += cols^T * in(N*H*W, C)
  kernels::gemm(true, false, k, c, rows, cols_.data(), k, in, c, 1.0f, params_[0].grad, c, {}, workspace_.data());
  // din(N*H*W, C) += cols * kernel
  if (din)
    kernels::gemm(false, false, rows, c, k, cols_.data(), k, params_[0].value, c, 1.0f, din, c, {}, workspace_.data());
}

}  // namespace convolab
