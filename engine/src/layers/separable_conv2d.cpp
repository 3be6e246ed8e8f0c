#include "convolab/layers/separable_conv2d.h"

#include <algorithm>

namespace convolab {

SeparableConv2D::SeparableConv2D(const LayerOptions& opts, Shape in) : Layer("SeparableConv2D", in) {
  opts.require_image(in);
  filters_ = opts.get_int("filters", 0, 1);
  if (filters_ == 0) opts.fail_option("filters", "'filters' is required (the number of output channels)");
  int kh, kw, sh, sw;
  opts.get_pair("kernelSize", 0, 0, 1, kh, kw);
  if (kh == 0) opts.fail_option("kernelSize", "'kernelSize' is required");
  mult_ = opts.get_int("depthMultiplier", 1, 1);
  opts.get_pair("strides", 1, 1, 1, sh, sw);
  padding_ = read_padding(opts, "valid");
  if (padding_.mode == PaddingSpec::Mode::Explicit) opts.fail_option("padding", "padding must be 'valid' or 'same'");
  use_bias_ = opts.get_bool("useBias", true);
  act_ = opts.get_activation("activation", "linear");
  alpha_ = static_cast<float>(opts.get_number("alpha", 0.3));
  if (act_ == Activation::LeakyRelu && !(alpha_ > 0.0f)) opts.fail_option("alpha", "'alpha' must be above 0");
  Axis y = window_axis(opts, "kernel", in.h, kh, sh, padding_.mode, 0, kh, kw, in);
  Axis x = window_axis(opts, "kernel", in.w, kw, sw, padding_.mode, 0, kh, kw, in);
  geo_ = {in.h, in.w, in.c, kh, kw, sh, sw, y.pad_before, x.pad_before, y.out, x.out};
  out_ = {y.out, x.out, filters_};
  const int cm = in.c * mult_;
  ParamBlock dk = kernel_block({kh, kw, in.c, mult_}, kh * kw * in.c, kh * kw * mult_,
                               opts.get_init("depthwiseInitializer", Init::GlorotUniform));
  dk.name = "depthwiseKernel";
  ParamBlock pk =
      kernel_block({1, 1, cm, filters_}, cm, filters_, opts.get_init("pointwiseInitializer", Init::GlorotUniform));
  pk.name = "pointwiseKernel";
  params_.push_back(dk);
  params_.push_back(pk);
  if (use_bias_) params_.push_back(bias_block(filters_, opts.get_init("biasInitializer", Init::Zeros)));
}

std::uint64_t SeparableConv2D::macs() const {
  const std::uint64_t pixels = static_cast<std::uint64_t>(geo_.oh) * geo_.ow,
                      cm = static_cast<std::uint64_t>(in_.c) * mult_;
  return pixels * cm * (static_cast<std::uint64_t>(geo_.kh) * geo_.kw + filters_);
}

std::string SeparableConv2D::describe() const {
  return std::to_string(filters_) + "@" + std::to_string(geo_.kh) + "x" + std::to_string(geo_.kw) + " x" +
         std::to_string(mult_) + " s" + std::to_string(geo_.sh) +
         (geo_.sh == geo_.sw ? "" : "x" + std::to_string(geo_.sw)) + " " + padding_.str() + " " + activation_name(act_);
}

std::size_t SeparableConv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow, cm = in_.c * mult_;
  std::size_t bytes = std::max({kernels::depthwise_forward_workspace_size(max_batch, geo_, mult_),
                                kernels::depthwise_backward_filter_workspace_size(max_batch, geo_, mult_),
                                kernels::gemm_workspace_size(false, false, rows, filters_, cm),
                                kernels::gemm_workspace_size(true, false, cm, filters_, rows),
                                kernels::gemm_workspace_size(false, true, rows, cm, filters_)});
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::depthwise_backward_input_workspace_size(max_batch, geo_, mult_));
  if (use_bias_) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(rows, filters_));
  return bytes;
}

std::size_t SeparableConv2D::buffer_bytes(int max_batch) const {
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  const std::size_t mid = rows * static_cast<std::size_t>(in_.c) * mult_;  // mid_, dmid_
  return (2 * mid + rows * filters_) * sizeof(float);  // and dpre_; the depthwise kernels need no columns
}

void SeparableConv2D::reserve(int max_batch) {
  workspace_.reserve(workspace_bytes(max_batch));
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  const std::size_t cm = static_cast<std::size_t>(in_.c) * mult_;
  grow_exactly(mid_, rows * cm);
  grow_exactly(dmid_, rows * cm);
  grow_exactly(dpre_, rows * filters_);
}

void SeparableConv2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int rows = n * geo_.oh * geo_.ow, cm = in_.c * mult_;
  // mid(N*OH*OW, C*M) = depthwise(in, depthwiseKernel)
  kernels::depthwise_forward(in, n, geo_, mult_, params_[0].value, mid_.data(), kernels::Epilogue{}, workspace_.data());
  kernels::Epilogue ep;
  ep.bias = use_bias_ ? params_[2].value : nullptr;
  kernels::gemm(false, false, rows, filters_, cm, mid_.data(), cm, params_[1].value, filters_, 0.0f, out, filters_, ep,
                workspace_.data());
  activation_forward(applied(), alpha_, out, rows, filters_);
}

void SeparableConv2D::backward(const float* in, const float* out, float* dout, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow, cm = in_.c * mult_;
  const float* dpre = activation_backward_to(applied(), alpha_, out, dout, dpre_.data(), rows, filters_);
  if (use_bias_) kernels::sum_rows_add(dpre, rows, filters_, params_[2].grad, workspace_.data());
  // dpointwise(CM, F) += mid^T * dpre; dmid(R, CM) = dpre * pointwise^T
  kernels::gemm(true, false, cm, filters_, rows, mid_.data(), cm, dpre, filters_, 1.0f, params_[1].grad, filters_, {},
                workspace_.data());
  kernels::gemm(false, true, rows, cm, filters_, dpre, filters_, params_[1].value, filters_, 0.0f, dmid_.data(), cm, {},
                workspace_.data());
  kernels::depthwise_backward_filter_add(in, n, geo_, mult_, dmid_.data(), params_[0].grad, workspace_.data());
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("SeparableConv2D: an input gradient was asked of the first layer");
  kernels::depthwise_backward_input_add(dmid_.data(), n, geo_, mult_, params_[0].value, din, workspace_.data());
}

}  // namespace convolab
