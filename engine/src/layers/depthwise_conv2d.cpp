#include "convolab/layers/depthwise_conv2d.h"

#include <algorithm>

namespace convolab {

DepthwiseConv2D::DepthwiseConv2D(const LayerOptions& opts, Shape in)
    : ActivatedLayer("DepthwiseConv2D", in),
      conv_(read_conv_options(opts, in, {/*filters=*/false, /*depth_multiplier=*/true, /*explicit_padding=*/false})) {
  act_ = OutputActivation(opts);
  const int kh = conv_.kh, kw = conv_.kw, mult = conv_.depth_multiplier;
  geo_ = conv_window_geometry(opts, in, conv_);
  out_ = {geo_.oh, geo_.ow, in.c * mult};
  const Init kernel_init = opts.get_init("depthwiseInitializer", Init::GlorotUniform);
  const Init bias_init = opts.get_init("biasInitializer", Init::Zeros);
  // tfjs's fans for a (KH, KW, C, M) kernel: receptive field times C in, times M out
  ParamBlock k = kernel_block({kh, kw, in.c, mult}, kh * kw * in.c, kh * kw * mult, kernel_init);
  k.name = "depthwiseKernel";
  params_.push_back(k);
  if (conv_.use_bias) params_.push_back(bias_block(out_.c, bias_init));
}

std::uint64_t DepthwiseConv2D::macs() const {
  return static_cast<std::uint64_t>(geo_.kh) * geo_.kw * out_.c * geo_.oh * geo_.ow;
}

std::string DepthwiseConv2D::describe() const {
  return "x" + std::to_string(conv_.depth_multiplier) + "@" + conv_.kernel_str() + " " + conv_.strides_str() + " " +
         conv_.padding.str() + " " + activation_name(act_.declared());
}

std::size_t DepthwiseConv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow;
  std::size_t bytes =
      std::max(kernels::depthwise_forward_workspace_size(max_batch, geo_, conv_.depth_multiplier),
               kernels::depthwise_backward_filter_workspace_size(max_batch, geo_, conv_.depth_multiplier));
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::depthwise_backward_input_workspace_size(max_batch, geo_, conv_.depth_multiplier));
  if (conv_.use_bias) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(rows, out_.c));
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
  ep.bias = conv_.use_bias ? params_[1].value : nullptr;
  kernels::depthwise_forward(in, n, geo_, conv_.depth_multiplier, params_[0].value, out, ep, workspace_.data());
  act_.forward(out, rows, out_.c);
}

void DepthwiseConv2D::backward(const float* in, const float* out, float* dout, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow;
  const float* dpre = act_.backward(out, dout, dpre_.data(), rows, out_.c);
  if (conv_.use_bias) kernels::sum_rows_add(dpre, rows, out_.c, params_[1].grad, workspace_.data());
  kernels::depthwise_backward_filter_add(in, n, geo_, conv_.depth_multiplier, dpre, params_[0].grad, workspace_.data());
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("DepthwiseConv2D: an input gradient was asked of the first layer");
  kernels::depthwise_backward_input_add(dpre, n, geo_, conv_.depth_multiplier, params_[0].value, din,
                                        workspace_.data());
}

}  // namespace convolab
