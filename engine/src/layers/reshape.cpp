#include "convolab/layers/reshape.h"

#include <algorithm>

namespace convolab {

Reshape::Reshape(const LayerOptions& opts, Shape in) : Layer("Reshape", in) {
  if (!opts.has("targetShape")) opts.fail_option("targetShape", "'targetShape' is required, e.g. [7, 7, 16]");
  std::vector<int> dims = opts.get_int_list("targetShape", -1);
  if (dims.empty() || dims.size() > 3)
    opts.fail_option(
        "targetShape",
        "'targetShape' must have 1 to 3 axes (Convolab keeps at most [height, width, channels] per example)");
  std::size_t known = 1;
  int unknown = -1;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 0) opts.fail_option("targetShape", "'targetShape' entries must be at least 1 (or -1 once)");
    if (dims[i] == -1) {
      if (unknown >= 0) opts.fail_option("targetShape", "'targetShape' can have only one -1");
      unknown = static_cast<int>(i);
    } else {
      known *= static_cast<std::size_t>(dims[i]);
    }
  }
  auto text = [&] {
    std::string s;
    for (int d : dims) s += (s.empty() ? "" : ", ") + std::to_string(d);
    return "[" + s + "]";
  };
  if (unknown >= 0) {
    if (in.size() % known != 0)
      opts.fail_option("targetShape",
                       "the input's " + std::to_string(in.size()) + " values do not fit 'targetShape' " + text());
    dims[unknown] = static_cast<int>(in.size() / known);
  } else if (known != in.size()) {
    opts.fail_option("targetShape", "'targetShape' " + text() + " holds " + std::to_string(known) +
                                        " values; the input has " + std::to_string(in.size()) + " (" + in.str() + ")");
  }
  const int rank = static_cast<int>(dims.size());
  if (rank == 1) out_ = flat_shape(dims[0]);
  if (rank == 2) out_ = {1, dims[0], dims[1], 2};
  if (rank == 3) out_ = {dims[0], dims[1], dims[2]};
}

void Reshape::forward(const float* in, float* out, int n, bool) {
  std::copy(in, in + static_cast<std::size_t>(n) * in_.size(), out);
}

void Reshape::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const std::size_t count = static_cast<std::size_t>(n) * in_.size();
  for (std::size_t i = 0; i < count; ++i) din[i] += dout[i];
}

}  // namespace convolab
