#include "convolab/layers/dense.h"

#include <algorithm>

#include "../../kernels/kernels.h"

namespace convolab {

Dense::Dense(const LayerOptions& opts, Shape in) : ActivatedLayer("Dense", in) {
  units_ = opts.get_int("units", 0, 1);
  if (units_ == 0) opts.fail_option("units", "'units' is required");
  inputs_ = in.c;
  use_bias_ = opts.get_bool("useBias", true);
  act_ = OutputActivation(opts);
  const Init kernel_init = opts.get_init("kernelInitializer", Init::GlorotUniform);
  const Init bias_init = opts.get_init("biasInitializer", Init::Zeros);
  out_ = {in.h, in.w, units_, in.rank};
  params_.push_back(kernel_block({inputs_, units_}, inputs_, units_, kernel_init));
  if (use_bias_) params_.push_back(bias_block(units_, bias_init));
}

std::uint64_t Dense::macs() const { return static_cast<std::uint64_t>(inputs_) * units_ * in_.positions(); }

std::string Dense::describe() const { return std::to_string(units_) + " " + activation_name(act_.declared()); }

std::size_t Dense::workspace_bytes(int max_batch) const {
  const int n = max_batch * in_.positions();
  std::size_t bytes = std::max(kernels::gemm_workspace_size(false, false, n, units_, inputs_),
                               kernels::gemm_workspace_size(true, false, inputs_, units_, n));
  if (use_bias_) bytes = std::max(bytes, kernels::sum_rows_add_workspace_size(n, units_));
  if (input_gradient_needed_) bytes = std::max(bytes, kernels::gemm_workspace_size(false, true, n, inputs_, units_));
  return bytes;
}

std::size_t Dense::buffer_bytes(int max_batch) const {
  return act_.needs_dpre() ? static_cast<std::size_t>(max_batch) * out_.size() * sizeof(float) : 0;
}

void Dense::reserve(int max_batch) {
  const std::size_t need = static_cast<std::size_t>(max_batch) * out_.size();
  if (act_.needs_dpre()) grow_exactly(dpre_, need);
  workspace_.reserve(workspace_bytes(max_batch));
}

void Dense::forward(const float* in, float* out, int batch, bool) {
  const int n = batch * in_.positions();  // rows: a non-flat input is transformed along its last axis
  // out(N*H*W, U) = act(in(N, I) * kernel(I, U) + bias): bias and (leaky) ReLU
  // are applied by the GEMM as it stores, the rest afterwards.
  const kernels::Epilogue ep = act_.epilogue(use_bias_ ? params_[1].value : nullptr);
  kernels::gemm(false, false, n, units_, inputs_, in, inputs_, params_[0].value, units_, 0.0f, out, units_, ep,
                workspace_.data());
  act_.finish_forward(out, n, units_);
}

void Dense::backward(const float* in, const float* out, float* dout, float* din, int batch) {
  const int n = batch * in_.positions();
  void* ws = workspace_.data();
  // dpre(N*H*W, U) = dL/d(pre-activation)
  const float* dpre = act_.backward(out, dout, dpre_.data(), n, units_);
  kernels::gemm(true, false, inputs_, units_, n, in, inputs_, dpre, units_, 1.0f, params_[0].grad, units_, {}, ws);
  if (use_bias_) kernels::sum_rows_add(dpre, n, units_, params_[1].grad, ws);
  if (!din) return;
  if (!input_gradient_needed_) throw Error("Dense: an input gradient was asked of the first layer");
  kernels::gemm(false, true, n, inputs_, units_, dpre, units_, params_[0].value, units_, 1.0f, din, inputs_, {}, ws);
}

}  // namespace convolab
