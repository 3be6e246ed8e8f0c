#include "convolab/layers/depthwise_conv2d.h"

#include <algorithm>

namespace convolab {

DepthwiseConv2D::DepthwiseConv2D(const LayerOptions& opts, Shape in) : Layer("DepthwiseConv2D", in) {
  opts.require_image(in);
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
  out_ = {y.out, x.out, in.c * mult_};
  const Init kernel_init = opts.get_init("depthwiseInitializer", Init::GlorotUniform);
  const Init bias_init = opts.get_init("biasInitializer", Init::Zeros);
  // tfjs's fans for a (KH, KW, C, M) kernel: receptive field times C in, times M out
  ParamBlock k = kernel_block({kh, kw, in.c, mult_}, kh * kw * in.c, kh * kw * mult_, kernel_init);
  k.name = "depthwiseKernel";
  params_.push_back(k);
  if (use_bias_) params_.push_back(bias_block(in.c * mult_, bias_init));
}

std::uint64_t DepthwiseConv2D::macs() const {
  return static_cast<std::uint64_t>(geo_.kh) * geo_.kw * out_.c * geo_.oh * geo_.ow;
}

std::string DepthwiseConv2D::describe() const {
  return "x" + std::to_string(mult_) + "@" + std::to_string(geo_.kh) + "x" + std::to_string(geo_.kw) + " s" +
         std::to_string(geo_.sh) + (geo_.sh == geo_.sw ? "" : "x" + std::to_string(geo_.sw)) + " " + padding_.str() +
         " " + activation_name(act_);
}

std::size_t DepthwiseConv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow;
  std::size_t bytes = std::max(kernels::depthwise_forward_workspace_size(max_batch, geo_, mult_),
                               kernels::depthwise_backward_filter_workspace_size(max_batch, geo_, mult_));
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::depthwise_backward_input_workspace_size(max_batch, geo_, mult_));
  if (use_bias_) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(rows, out_.c));
  return bytes;
}

std::size_t DepthwiseConv2D::buffer_bytes(int max_batch) const {
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  return rows * out_.c * sizeof(float);  // dpre_; the kernels read windows in place (no columns)
}

void DepthwiseConv2D::reserve(int max_batch) {
  workspace_.reserve(workspace_bytes(max_batch));
  const std::size_t rows = static_cast<std::size_t>(max_batch) * geo_.oh * geo_.ow;
  grow_exactly(dpre_, rows * out_.c);
}

void DepthwiseConv2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int rows = n * geo_.oh * geo_.ow;
  // out(N*OH*OW, C*M) = depthwise(in, kernel) + bias, the windows read in place
  kernels::Epilogue ep;
  ep.bias = use_bias_ ? params_[1].value : nullptr;
  kernels::depthwise_forward(in, n, geo_, mult_, params_[0].value, out, ep, workspace_.data());
  activation_forward(applied(), alpha_, out, rows, out_.c);
}

void DepthwiseConv2D::backward(const float* in, const float* out, float* dout, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow;
  const float* dpre = activation_backward_to(applied(), alpha_, out, dout, dpre_.data(), rows, out_.c);
  if (use_bias_) kernels::sum_rows_add(dpre, rows, out_.c, params_[1].grad, workspace_.data());
  kernels::depthwise_backward_filter_add(in, n, geo_, mult_, dpre, params_[0].grad, workspace_.data());
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("DepthwiseConv2D: an input gradient was asked of the first layer");
  kernels::depthwise_backward_input_add(dpre, n, geo_, mult_, params_[0].value, din, workspace_.data());
}

}  // namespace convolab
