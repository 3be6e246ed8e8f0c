#pragma once
// The options the convolution layers share (Conv2D, DepthwiseConv2D,
// SeparableConv2D, Conv2DTranspose), read and checked in one order so that
// every one of them refuses a bad option with the same message and fields:
// filters, kernelSize, depthMultiplier, strides, padding, useBias. Each
// layer reads its activation and initialisers itself, after these.
#include <string>

#include "convolab/kernels_fwd.h"
#include "convolab/layer.h"
#include "convolab/window.h"

namespace convolab {

// Which of the shared options a layer takes.
struct ConvOptionSet {
  bool filters = true;            // DepthwiseConv2D has none: it makes C*M channels
  bool depth_multiplier = false;  // M filters per input channel, for the depthwise kernels
  bool explicit_padding = false;  // padding as numbers ([ph, pw]): Conv2D's alone
};

struct ConvOptions {
  int filters = 0;           // output channels; 0 for a layer that takes none
  int depth_multiplier = 1;  // M
  int kh = 0, kw = 0;        // kernel
  int sh = 1, sw = 1;        // stride
  PaddingSpec padding;
  bool use_bias = true;

  // For summaries: "3x3" and "s1" (or "s2x1" when the strides differ).
  std::string kernel_str() const;
  std::string strides_str() const;
};

// Reads them from the spec of a layer whose input must be an image (H, W, C);
// a bad one fails through opts.
ConvOptions read_conv_options(const LayerOptions& opts, const Shape& in, ConvOptionSet set);

// The windows of conv sliding over in, (H, W, C) → (OH, OW), sized and padded
// as window_axis says (which refuses a kernel that does not fit).
kernels::ConvGeometry conv_window_geometry(const LayerOptions& opts, const Shape& in, const ConvOptions& conv);

}  // namespace convolab
