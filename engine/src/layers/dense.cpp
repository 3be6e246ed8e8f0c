#include "convolab/layers/dense.h"

#include "../../kernels/kernels.h"

namespace convolab {

Dense::Dense(const LayerOptions& opts, Shape in) : Layer("Dense", in) {
  if (!in.is_flat())
    opts.fail("input is " + in.str() + "; add Flatten (or GlobalAveragePooling2D) first");
  units_ = opts.get_int("units", 0, 1);
  if (units_ == 0) opts.fail("'units' is required");
  inputs_ = in.c;
  use_bias_ = opts.get_bool("useBias", true);
  act_ = opts.get_activation("activation", "linear");
  alpha_ = static_cast<float>(opts.get_number("alpha", 0.3));
  out_ = {1, 1, units_};

  ParamBlock kernel;
  kernel.name = "kernel";
  kernel.shape = {inputs_, units_};
  kernel.size = static_cast<std::size_t>(inputs_) * units_;
  kernel.init = Init::GlorotUniform;
  kernel.fan_in = inputs_;
  kernel.fan_out = units_;
  params_.push_back(kernel);
  if (use_bias_) {
    ParamBlock bias;
    bias.name = "bias";
    bias.shape = {units_};
    bias.size = static_cast<std::size_t>(units_);
    bias.is_bias = true;
    params_.push_back(bias);
  }
}

std::uint64_t Dense::macs() const { return static_cast<std::uint64_t>(inputs_) * units_; }

std::string Dense::describe() const { return std::to_string(units_) + " " + activation_name(act_); }

void Dense::forward(const float* in, float* out, int n, bool) {
  kernels::gemm(false, false, n, units_, inputs_, in, inputs_, params_[0].value, units_, 0.0f, out, units_);
  if (use_bias_) kernels::add_bias_rows(out, n, units_, params_[1].value);
  activation_forward(act_, alpha_, out, n, units_);
}

void Dense::backward(const float* in, const float* out, float* dout, float* din, int n) {
  activation_backward(act_, alpha_, out, dout, n, units_);  // dout := dL/dpre (N, U)
  kernels::gemm(true, false, inputs_, units_, n, in, inputs_, dout, units_, 1.0f, params_[0].grad, units_);
  if (use_bias_) kernels::sum_rows_add(dout, n, units_, params_[1].grad);
  if (din) kernels::gemm(false, true, n, inputs_, units_, dout, units_, params_[0].value, units_, 1.0f, din, inputs_);
}

}  // namespace convolab
