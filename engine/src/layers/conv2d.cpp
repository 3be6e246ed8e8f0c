#include "convolab/layers/conv2d.h"

#include <algorithm>

namespace convolab {

Conv2D::Conv2D(const LayerOptions& opts, Shape in) : Layer("Conv2D", in) {
  opts.require_image(in);
  filters_ = opts.get_int("filters", 0, 1);
  if (filters_ == 0) opts.fail_option("filters", "'filters' is required (the number of output channels)");
  int kh, kw, sh, sw;
  opts.get_pair("kernelSize", 0, 0, 1, kh, kw);
  if (kh == 0) opts.fail_option("kernelSize", "'kernelSize' is required");
  opts.get_pair("strides", 1, 1, 1, sh, sw);
  padding_ = read_padding(opts, "valid");
  use_bias_ = opts.get_bool("useBias", true);
  act_ = OutputActivation(opts);
  Axis y = window_axis(opts, "kernel", in.h, kh, sh, padding_.mode, padding_.ph, kh, kw, in);
  Axis x = window_axis(opts, "kernel", in.w, kw, sw, padding_.mode, padding_.pw, kh, kw, in);
  geo_ = {in.h, in.w, in.c, kh, kw, sh, sw, y.pad_before, x.pad_before, y.out, x.out};
  out_ = {y.out, x.out, filters_};

  const Init kernel_init = opts.get_init("kernelInitializer", Init::GlorotUniform);
  const Init bias_init = opts.get_init("biasInitializer", Init::Zeros);
  // Keras fans for a conv kernel: receptive field times channels in / out.
  params_.push_back(kernel_block({kh, kw, in.c, filters_}, kh * kw * in.c, kh * kw * filters_, kernel_init));
  if (use_bias_) params_.push_back(bias_block(filters_, bias_init));
}

std::uint64_t Conv2D::macs() const { return static_cast<std::uint64_t>(geo_.patch()) * filters_ * geo_.oh * geo_.ow; }

std::string Conv2D::describe() const {
  return std::to_string(filters_) + "@" + std::to_string(geo_.kh) + "x" + std::to_string(geo_.kw) + " s" +
         std::to_string(geo_.sh) + (geo_.sh == geo_.sw ? "" : "x" + std::to_string(geo_.sw)) + " " + padding_.str() +
         " " + activation_name(act_.declared());
}

// A 1x1 kernel with stride 1 and no padding reads each input pixel's
// channels as its own im2col row: the input already is the cols matrix.
bool Conv2D::pointwise() const {
  return geo_.kh == 1 && geo_.kw == 1 && geo_.sh == 1 && geo_.sw == 1 && geo_.pad_top == 0 && geo_.pad_left == 0;
}

std::size_t Conv2D::workspace_bytes(int max_batch) const {
  const int rows = max_batch * geo_.oh * geo_.ow, k = geo_.patch();
  std::size_t bytes = use_bias_ ? kernels::sum_rows_add_workspace_size(rows, filters_) : 0;
  if (pointwise()) {
    bytes = std::max({bytes, kernels::gemm_workspace_size(false, false, rows, filters_, k),
                      kernels::gemm_workspace_size(true, false, k, filters_, rows)});
    if (input_gradient_needed_) bytes = std::max(bytes, kernels::gemm_workspace_size(false, true, rows, k, filters_));
    return bytes;
  }
  bytes = std::max({bytes, kernels::conv2d_forward_workspace_size(max_batch, geo_, filters_),
                    kernels::conv2d_backward_filter_workspace_size(max_batch, geo_, filters_)});
  if (input_gradient_needed_)
    bytes = std::max(bytes, kernels::conv2d_backward_input_workspace_size(max_batch, geo_, filters_));
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
  const int rows = n * geo_.oh * geo_.ow, k = geo_.patch();
  const kernels::Epilogue ep = act_.epilogue(use_bias_ ? params_[1].value : nullptr);
  void* ws = workspace_.data();
  if (pointwise()) {
    // out(N*H*W, OC) = act(in(N*H*W, C) * kernel(C, OC) + bias)
    kernels::gemm(false, false, rows, filters_, k, in, k, params_[0].value, filters_, 0.0f, out, filters_, ep, ws);
  } else {
    // out(N*OH*OW, OC) = act(im2col(in) * kernel(KH*KW*C, OC) + bias); the
    // kernel reads windows in place or builds im2col in the workspace.
    kernels::conv2d_forward(in, n, geo_, params_[0].value, filters_, out, ep, ws);
  }
  act_.finish_forward(out, rows, filters_);
}

void Conv2D::backward(const float* in, const float* out, float* dout_in, float* din, int n) {
  const int rows = n * geo_.oh * geo_.ow, k = geo_.patch();
  void* ws = workspace_.data();
  // dout := dL/dpre (N*OH*OW, OC), in dpre_ so the caller's dL/dout stays intact
  const float* dout = act_.backward(out, dout_in, dpre_.data(), rows, filters_);
  // dkernel(KH*KW*C, OC) += im2col(in)^T * dout
  if (pointwise())
    kernels::gemm(true, false, k, filters_, rows, in, k, dout, filters_, 1.0f, params_[0].grad, filters_, {}, ws);
  else
    kernels::conv2d_backward_filter_add(in, n, geo_, dout, filters_, params_[0].grad, ws);
  if (use_bias_) kernels::sum_rows_add(dout, rows, filters_, params_[1].grad, ws);
  if (!din) return;  // the first layer's input needs no gradient
  if (!input_gradient_needed_) throw Error("Conv2D: an input gradient was asked of the first layer");
  if (pointwise()) {
    // din(N*H*W, C) += dout * kernel^T
    kernels::gemm(false, true, rows, k, filters_, dout, filters_, params_[0].value, filters_, 1.0f, din, k, {}, ws);
    return;
  }
  // din += col2im(dout * kernel^T), as a conv of dout or through dcols in the workspace
  kernels::conv2d_backward_input_add(dout, n, geo_, params_[0].value, filters_, din, ws);
}

}  // namespace convolab
