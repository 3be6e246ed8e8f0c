#pragma once
// The convolution kernel tests' cases: a geometry from the input, kernel,
// strides and the four paddings (bottom and right only size the output, as
// in 'same' padding), and the one-line description a mismatch prints.
#include <sstream>
#include <string>

#include "../../engine/kernels/kernels.h"

namespace convolab::test {

inline kernels::ConvGeometry conv_geometry(int h, int w, int c, int kh, int kw, int sh, int sw, int pt, int pl, int pb,
                                           int pr) {
  const int oh = (h + pt + pb - kh) / sh + 1, ow = (w + pl + pr - kw) / sw + 1;
  return {h, w, c, kh, kw, sh, sw, pt, pl, oh, ow};
}

// "n=2 in 5x5x3 kernel 3x3 stride 1x1 pad 1,1 out 5x5"; a depthwise case
// names its multiplier after the input ("in 5x5x3 x2").
inline std::string describe_conv(const kernels::ConvGeometry& g, int n, int depth_multiplier = 0) {
  std::ostringstream s;
  s << "n=" << n << " in " << g.h << "x" << g.w << "x" << g.c;
  if (depth_multiplier > 0) s << " x" << depth_multiplier;
  s << " kernel " << g.kh << "x" << g.kw << " stride " << g.sh << "x" << g.sw << " pad " << g.pad_top << ","
    << g.pad_left << " out " << g.oh << "x" << g.ow;
  return s.str();
}

}  // namespace convolab::test
