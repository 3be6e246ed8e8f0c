#include "convolab/layers/separable_conv2d.h"

#include <algorithm>

namespace convolab {

SeparableConv2D::SeparableConv2D(const LayerOptions& opts, Shape in)
    : ActivatedLayer("SeparableConv2D", in),
      conv_(read_conv_options(opts, in, {/*filters=*/true, /*depth_multiplier=*/true, /*explicit_padding=*/false})) {
  act_ = OutputActivation(opts);
  const int kh = conv_.kh, kw = conv_.kw, mult = conv_.depth_multiplier, filters = conv_.filters;
  geo_ = conv_window_geometry(opts, in, conv_);
  out_ = {geo_.oh, geo_.ow, filters};
  const int cm = in.c * mult;
  ParamBlock dk = kernel_block({kh, kw, in.c, mult}, kh * kw * in.c, kh * kw * mult,
                               opts.get_init("depthwiseInitializer", Init::GlorotUniform));
  dk.name = "depthwiseKernel";
  ParamBlock pk =
      kernel_block({1, 1, cm, filters}, cm, filters, opts.get_init("pointwiseInitializer", Init::GlorotUniform));
  pk.name = "pointwiseKernel";
  params_.push_back(dk);
  params_.push_back(pk);
  if (conv_.use_bias) params_.push_back(bias_block(filters, opts.get_init("biasInitializer", Init::Zeros)));
}

std::uint64_t SeparableConv2D::macs() const {
  const std::uint64_t pixels = static_cast<std::uint64_t>(geo_.oh) * geo_.ow,
                      cm = static_cast<std::uint64_t>(in_.c) * conv_.depth_multiplier;
  return pixels * cm * (static_cast<std::uint64_t>(geo_.kh) * geo_.kw + conv_.filters);
}

std::string SeparableConv2D::describe() const {
  return std::to_string(conv_.filters) + "@" + conv_.kernel_str() + " x" + std::to_string(conv_.depth_multiplier) +
         " " + conv_.strides_str() + " " + conv_.padding.str() + " " + activation_name(act_.declared());
}

std::size_t SeparableConv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow, cm = in_.c * conv_.depth_multiplier, f = conv_.filters;
  std::size_t bytes = std::max(
      {kernels::depthwise_forward_workspace_size(max_batch, geo_, conv_.depth_multiplier),
       kernels::depthwise_backward_filter_workspace_size(max_batch, geo_, conv_.depth_multiplier),
       kernels::gemm_workspace_size(false, false, rows, f, cm), kernels::gemm_workspace_size(true, false, cm, f, rows),
       kernels::gemm_workspace_size(false, true, rows, cm, f)});
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::depthwise_backward_input_workspace_size(max_batch, geo_, conv_.depth_multiplier));
  if (conv_.use_bias) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(rows, f));
  return bytes;
}

std::size_t SeparableConv2D::buffer_bytes(int max_batch) const {
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  const std::size_t mid = rows * static_cast<std::size_t>(in_.c) * conv_.depth_multiplier;  // mid_, dmid_
  return (2 * mid + rows * conv_.filters) * sizeof(float);  // and dpre_; the depthwise kernels need no columns
}

void SeparableConv2D::reserve(int max_batch) {
  workspace_.reserve(workspace_bytes(max_batch));
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  const std::size_t cm = static_cast<std::size_t>(in_.c) * conv_.depth_multiplier;
  grow_exactly(mid_, rows * cm);
  grow_exactly(dmid_, rows * cm);
  grow_exactly(dpre_, rows * conv_.filters);
}

void SeparableConv2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int rows = n * geo_.oh * geo_.ow, cm = in_.c * conv_.depth_multiplier, f = conv_.filters;
  // mid(N*OH*OW, C*M) = depthwise(in, depthwiseKernel)
  kernels::depthwise_forward(in, n, geo_, conv_.depth_multiplier, params_[0].value, mid_.data(), kernels::Epilogue{},
                             workspace_.data());
  kernels::Epilogue ep;
  ep.bias = conv_.use_bias ? params_[2].value : nullptr;
  kernels::gemm(false, false, rows, f, cm, mid_.data(), cm, params_[1].value, f, 0.0f, out, f, ep, workspace_.data());
  act_.forward(out, rows, f);
}

void SeparableConv2D::backward(const float* in, const float* out, float* dout, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow, cm = in_.c * conv_.depth_multiplier, f = conv_.filters;
  const float* dpre = act_.backward(out, dout, dpre_.data(), rows, f);
  if (conv_.use_bias) kernels::sum_rows_add(dpre, rows, f, params_[2].grad, workspace_.data());
  // dpointwise(CM, F) += mid^T * dpre; dmid(R, CM) = dpre * pointwise^T
  kernels::gemm(true, false, cm, f, rows, mid_.data(), cm, dpre, f, 1.0f, params_[1].grad, f, {}, workspace_.data());
  kernels::gemm(false, true, rows, cm, f, dpre, f, params_[1].value, f, 0.0f, dmid_.data(), cm, {}, workspace_.data());
  kernels::depthwise_backward_filter_add(in, n, geo_, conv_.depth_multiplier, dmid_.data(), params_[0].grad,
                                         workspace_.data());
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("SeparableConv2D: an input gradient was asked of the first layer");
  kernels::depthwise_backward_input_add(dmid_.data(), n, geo_, conv_.depth_multiplier, params_[0].value, din,
                                        workspace_.data());
}

}  // namespace convolab
