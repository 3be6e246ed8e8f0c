#include "convolab/layers/batch_normalization.h"
#include "convolab/workspace_buffer.h"

#include <cmath>
#include <cstdio>

namespace convolab {

namespace {

ParamBlock channel_block(const char* name, int c, Init init, bool trainable, bool is_bias) {
  ParamBlock b;
  b.name = name;
  b.shape = {c};
  b.size = static_cast<std::size_t>(c);
  b.init = init;
  b.trainable = trainable;
  b.is_bias = is_bias;
  return b;
}

}  // namespace

BatchNormalization::BatchNormalization(const LayerOptions& opts, Shape in) : Layer("BatchNormalization", in) {
  const double momentum = opts.get_number("momentum", 0.99);
  const double epsilon = opts.get_number("epsilon", 1e-3);
  if (!(momentum >= 0.0 && momentum < 1.0))
    opts.fail_option("momentum", "'momentum' must be at least 0 and below 1", momentum);
  if (!(epsilon > 0.0)) opts.fail_option("epsilon", "'epsilon' must be above 0", epsilon);
  const bool scale = opts.get_bool("scale", true), center = opts.get_bool("center", true);
  const int axis = opts.get_int("axis", -1, -1);
  if (axis != -1 && axis != 3)
    opts.fail_option("axis", "only 'axis': -1 (channels, also written 3) is supported", axis);
  momentum_ = static_cast<float>(momentum);
  epsilon_ = static_cast<float>(epsilon);
  out_ = in;
  // Without scale there is no gamma (it is 1), without center no beta (0).
  if (scale) {
    gamma_ = static_cast<int>(params_.size());
    params_.push_back(channel_block("gamma", in.c, Init::Ones, true, false));
  }
  if (center) {
    beta_ = static_cast<int>(params_.size());
    params_.push_back(channel_block("beta", in.c, Init::Zeros, true, true));
  }
  moving_mean_ = static_cast<int>(params_.size());
  params_.push_back(channel_block("movingMean", in.c, Init::Zeros, false, false));
  moving_var_ = static_cast<int>(params_.size());
  params_.push_back(channel_block("movingVariance", in.c, Init::Ones, false, false));
  ones_.assign(static_cast<std::size_t>(in.c), 1.0f);
  zeros_.assign(static_cast<std::size_t>(in.c), 0.0f);
  scratch_grad_.assign(static_cast<std::size_t>(in.c), 0.0f);
  inv_std_.resize(static_cast<std::size_t>(in.c));
  for (auto* sums : {&batch_mean_, &sq_dev_sum_, &dy_sum_, &dy_xhat_sum_}) sums->resize(static_cast<std::size_t>(in.c));
}

std::string BatchNormalization::describe() const {
  char buf[48];
  std::snprintf(buf, sizeof buf, "momentum %g", static_cast<double>(momentum_));
  return std::string(buf) + (gamma_ < 0 ? ", no scale" : "") + (beta_ < 0 ? ", no center" : "");
}

void BatchNormalization::reserve(int max_batch) {
  const std::size_t need = static_cast<std::size_t>(max_batch) * in_.size();
  grow_exactly(xhat_, need);
}

void BatchNormalization::forward(const float* in, float* out, int n, bool training) {
  const int c = in_.c;
  const std::size_t rows = static_cast<std::size_t>(n) * in_.h * in_.w;
  const float* gamma = gamma_ >= 0 ? params_[gamma_].value : ones_.data();
  const float* beta = beta_ >= 0 ? params_[beta_].value : zeros_.data();
  float* moving_mean = params_[moving_mean_].value;
  float* moving_var = params_[moving_var_].value;
  batch_stats_ = training;
  if (!training) {
    for (int ch = 0; ch < c; ++ch) inv_std_[ch] = 1.0f / std::sqrt(moving_var[ch] + epsilon_);
    for (std::size_t r = 0; r < rows; ++r)
      for (int ch = 0; ch < c; ++ch) {
        const std::size_t i = r * c + ch;
        out[i] = gamma[ch] * (in[i] - moving_mean[ch]) * inv_std_[ch] + beta[ch];
      }
    return;
  }
  // Two passes (mean, then squared deviations) in double: stable for any offset.
  std::fill(batch_mean_.begin(), batch_mean_.end(), 0.0);
  std::fill(sq_dev_sum_.begin(), sq_dev_sum_.end(), 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (int ch = 0; ch < c; ++ch) batch_mean_[ch] += in[r * c + ch];
  for (int ch = 0; ch < c; ++ch) batch_mean_[ch] /= static_cast<double>(rows);
  for (std::size_t r = 0; r < rows; ++r)
    for (int ch = 0; ch < c; ++ch) {
      const double d = in[r * c + ch] - batch_mean_[ch];
      sq_dev_sum_[ch] += d * d;
    }
  for (int ch = 0; ch < c; ++ch) {
    const float mean = static_cast<float>(batch_mean_[ch]);
    const float var = static_cast<float>(sq_dev_sum_[ch] / static_cast<double>(rows));
    inv_std_[ch] = 1.0f / std::sqrt(var + epsilon_);
    moving_mean[ch] -= (moving_mean[ch] - mean) * (1.0f - momentum_);
    moving_var[ch] -= (moving_var[ch] - var) * (1.0f - momentum_);
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (int ch = 0; ch < c; ++ch) {
      const std::size_t i = r * c + ch;
      xhat_[i] = (in[i] - static_cast<float>(batch_mean_[ch])) * inv_std_[ch];
      out[i] = gamma[ch] * xhat_[i] + beta[ch];
    }
}

void BatchNormalization::backward(const float* in, const float*, float* dout, float* din, int n) {
  const int c = in_.c;
  const std::size_t rows = static_cast<std::size_t>(n) * in_.h * in_.w;
  const float* gamma = gamma_ >= 0 ? params_[gamma_].value : ones_.data();
  // a missing gamma or beta still gets its sums, into a buffer no one reads
  float* dgamma = gamma_ >= 0 ? params_[gamma_].grad : scratch_grad_.data();
  float* dbeta = beta_ >= 0 ? params_[beta_].grad : scratch_grad_.data();
  if (!batch_stats_) {
    // Inference statistics are constants: y is affine in x.
    const float* moving_mean = params_[moving_mean_].value;
    for (std::size_t r = 0; r < rows; ++r)
      for (int ch = 0; ch < c; ++ch) {
        const std::size_t i = r * c + ch;
        if (din) din[i] += dout[i] * gamma[ch] * inv_std_[ch];
        dgamma[ch] += dout[i] * (in[i] - moving_mean[ch]) * inv_std_[ch];
        dbeta[ch] += dout[i];
      }
    return;
  }
  std::fill(dy_sum_.begin(), dy_sum_.end(), 0.0);
  std::fill(dy_xhat_sum_.begin(), dy_xhat_sum_.end(), 0.0);
  for (std::size_t r = 0; r < rows; ++r)
    for (int ch = 0; ch < c; ++ch) {
      const std::size_t i = r * c + ch;
      dy_sum_[ch] += dout[i];
      dy_xhat_sum_[ch] += static_cast<double>(dout[i]) * xhat_[i];
    }
  for (int ch = 0; ch < c; ++ch) {
    dgamma[ch] += static_cast<float>(dy_xhat_sum_[ch]);
    dbeta[ch] += static_cast<float>(dy_sum_[ch]);
  }
  if (!din) return;
  // dx = gamma * inv_std / M * (M*dy - sum(dy) - xhat * sum(dy*xhat))
  const double m = static_cast<double>(rows);
  for (std::size_t r = 0; r < rows; ++r)
    for (int ch = 0; ch < c; ++ch) {
      const std::size_t i = r * c + ch;
      const double g = gamma[ch] * inv_std_[ch] / m;
      din[i] += static_cast<float>(g * (m * dout[i] - dy_sum_[ch] - xhat_[i] * dy_xhat_sum_[ch]));
    }
}

}  // namespace convolab
