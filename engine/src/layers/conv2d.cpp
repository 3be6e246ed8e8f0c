#include "convolab/layers/conv2d.h"

#include <algorithm>

namespace convolab {

Conv2D::Conv2D(const LayerOptions& opts, Shape in)
    : ActivatedLayer("Conv2D", in),
      conv_(read_conv_options(opts, in, {/*filters=*/true, /*depth_multiplier=*/false, /*explicit_padding=*/true})) {
  act_ = OutputActivation(opts);
  const int kh = conv_.kh, kw = conv_.kw;
  geo_ = conv_window_geometry(opts, in, conv_);
  out_ = {geo_.oh, geo_.ow, conv_.filters};

  const Init kernel_init = opts.get_init("kernelInitializer", Init::GlorotUniform);
  const Init bias_init = opts.get_init("biasInitializer", Init::Zeros);
  // Keras fans for a conv kernel: receptive field times channels in / out.
  params_.push_back(kernel_block({kh, kw, in.c, conv_.filters}, kh * kw * in.c, kh * kw * conv_.filters, kernel_init));
  if (conv_.use_bias) params_.push_back(bias_block(conv_.filters, bias_init));
}

std::uint64_t Conv2D::macs() const {
  return static_cast<std::uint64_t>(geo_.patch()) * conv_.filters * geo_.oh * geo_.ow;
}

std::string Conv2D::describe() const {
  return std::to_string(conv_.filters) + "@" + conv_.kernel_str() + " " + conv_.strides_str() + " " +
         conv_.padding.str() + " " + activation_name(act_.declared());
}

// A 1x1 kernel with stride 1 and no padding reads each input pixel's
// channels as its own im2col row: the input already is the cols matrix.
bool Conv2D::pointwise() const {
  return geo_.kh == 1 && geo_.kw == 1 && geo_.sh == 1 && geo_.sw == 1 && geo_.pad_top == 0 && geo_.pad_left == 0;
}

std::size_t Conv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow, k = geo_.patch(), oc = conv_.filters;
  std::size_t bytes = conv_.use_bias ? kernels::sum_rows_add_workspace_size(rows, oc) : 0;
  if (pointwise()) {
    bytes = std::max({bytes, kernels::gemm_workspace_size(false, false, rows, oc, k),
                      kernels::gemm_workspace_size(true, false, k, oc, rows)});
    if (input_gradient_needed_) bytes = std::max(bytes, kernels::gemm_workspace_size(false, true, rows, k, oc));
    return bytes;
  }
  bytes = std::max({bytes, kernels::conv2d_forward_workspace_size(max_batch, geo_, oc),
                    kernels::conv2d_backward_filter_workspace_size(max_batch, geo_, oc)});
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::conv2d_backward_input_workspace_size(max_batch, geo_, oc));
  return bytes;
}

std::size_t Conv2D::buffer_bytes(int max_batch) const {
  return act_.needs_dpre() ? static_cast<std::size_t>(max_batch) * out_.size() * sizeof(float) : 0;
}

void Conv2D::reserve(int max_batch) {
  const std::size_t out_need = static_cast<std::size_t>(max_batch) * out_.size();
  if (act_.needs_dpre()) grow_exactly(dpre_, out_need);
  workspace_.reserve(workspace_bytes(max_batch));
}

void Conv2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int rows = n * geo_.oh * geo_.ow, k = geo_.patch(), oc = conv_.filters;
  const kernels::Epilogue ep = act_.epilogue(conv_.use_bias ? params_[1].value : nullptr);
  void* ws = workspace_.data();
  if (pointwise()) {
    // out(N*H*W, OC) = act(in(N*H*W, C) * kernel(C, OC) + bias)
    kernels::gemm(false, false, rows, oc, k, in, k, params_[0].value, oc, 0.0f, out, oc, ep, ws);
  } else {
    // out(N*OH*OW, OC) = act(im2col(in) * kernel(KH*KW*C, OC) + bias); the
    // kernel reads windows in place or builds im2col in the workspace.
    kernels::conv2d_forward(in, n, geo_, params_[0].value, oc, out, ep, ws);
  }
  act_.finish_forward(out, rows, oc);
}

void Conv2D::backward(const float* in, const float* out, float* dout_in, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow, k = geo_.patch(), oc = conv_.filters;
  void* ws = workspace_.data();
  // dout := dL/dpre (N*OH*OW, OC), in dpre_ so the caller's dL/dout stays intact
  const float* dout = act_.backward(out, dout_in, dpre_.data(), rows, oc);
  // dkernel(KH*KW*C, OC) += im2col(in)^T * dout
  if (pointwise())
    kernels::gemm(true, false, k, oc, rows, in, k, dout, oc, 1.0f, params_[0].grad, oc, {}, ws);
  else
    kernels::conv2d_backward_filter_add(in, n, geo_, dout, oc, params_[0].grad, ws);
  if (conv_.use_bias) kernels::sum_rows_add(dout, rows, oc, params_[1].grad, ws);
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("Conv2D: an input gradient was asked of the first layer");
  if (pointwise()) {
    // din(N*H*W, C) += dout * kernel^T
    kernels::gemm(false, true, rows, k, oc, dout, oc, params_[0].value, oc, 1.0f, din, k, {}, ws);
    return;
  }
  // din += col2im(dout * kernel^T), as a conv of dout or through dcols in the workspace
  kernels::conv2d_backward_input_add(dout, n, geo_, params_[0].value, oc, din, ws);
}

}  // namespace convolab
