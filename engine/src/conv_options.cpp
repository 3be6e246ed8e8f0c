#include "convolab/conv_options.h"

namespace convolab {

std::string ConvOptions::kernel_str() const { return std::to_string(kh) + "x" + std::to_string(kw); }

std::string ConvOptions::strides_str() const {
  return "s" + std::to_string(sh) + (sh == sw ? "" : "x" + std::to_string(sw));
}

ConvOptions read_conv_options(const LayerOptions& opts, const Shape& in, ConvOptionSet set) {
  opts.require_image(in);
  ConvOptions conv;
  if (set.filters) {
    conv.filters = opts.get_int("filters", 0, 1);
    if (conv.filters == 0) opts.fail_option("filters", "'filters' is required (the number of output channels)");
  }
  opts.get_pair("kernelSize", 0, 0, 1, conv.kh, conv.kw);
  if (conv.kh == 0) opts.fail_option("kernelSize", "'kernelSize' is required");
  if (set.depth_multiplier) conv.depth_multiplier = opts.get_int("depthMultiplier", 1, 1);
  opts.get_pair("strides", 1, 1, 1, conv.sh, conv.sw);
  conv.padding = read_padding(opts, "valid");
  if (!set.explicit_padding && conv.padding.mode == PaddingSpec::Mode::Explicit)
    opts.fail_option("padding", "padding must be 'valid' or 'same'");
  conv.use_bias = opts.get_bool("useBias", true);
  return conv;
}

kernels::ConvGeometry conv_window_geometry(const LayerOptions& opts, const Shape& in, const ConvOptions& conv) {
  const PaddingSpec& p = conv.padding;
  const Axis y = window_axis(opts, "kernel", in.h, conv.kh, conv.sh, p.mode, p.ph, conv.kh, conv.kw, in);
  const Axis x = window_axis(opts, "kernel", in.w, conv.kw, conv.sw, p.mode, p.pw, conv.kh, conv.kw, in);
  return {in.h, in.w, in.c, conv.kh, conv.kw, conv.sh, conv.sw, y.pad_before, x.pad_before, y.out, x.out};
}

}  // namespace convolab
