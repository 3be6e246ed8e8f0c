#pragma once
// Sliding-window geometry shared by convolution and pooling: output size
// out = floor((in - k + pad_total) / stride) + 1, with the padding rule of
// Keras/TensorFlow ('valid', 'same') or explicit symmetric padding.
#include <string>

#include "convolab/layer.h"

namespace convolab {

struct PaddingSpec {
  enum class Mode { Valid, Same, Explicit } mode = Mode::Valid;
  int ph = 0, pw = 0;  // for Explicit: rows/cols added on each side
  std::string str() const;
};

// Reads 'padding': "valid" | "same" | p | [ph, pw].
PaddingSpec read_padding(const LayerOptions& opts, const std::string& fallback);

struct Axis {
  int out = 0;
  int pad_before = 0;  // top or left; the rest of 'same' padding goes after
  int pad_total = 0;
};

// Throws via opts.fail when the window does not fit (a zero or negative out).
Axis window_axis(const LayerOptions& opts, const char* what, int in, int k, int stride, PaddingSpec::Mode mode,
                 int explicit_pad, int kh_for_msg, int kw_for_msg, const Shape& input);

}  // namespace convolab
