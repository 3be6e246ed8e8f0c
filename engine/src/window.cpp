#include "convolab/window.h"

namespace convolab {

std::string PaddingSpec::str() const {
  switch (mode) {
    case Mode::Valid:
      return "valid";
    case Mode::Same:
      return "same";
    case Mode::Explicit:
      return ph == pw ? std::to_string(ph) : "[" + std::to_string(ph) + "," + std::to_string(pw) + "]";
  }
  return "valid";
}

PaddingSpec read_padding(const LayerOptions& opts, const std::string& fallback) {
  PaddingSpec p;
  if (opts.has("padding")) {
    // numbers and pairs are explicit padding; strings name a rule
    if (opts.raw("padding").is_string()) {
      const std::string& s = opts.raw("padding").as_string();
      if (s == "valid")
        p.mode = PaddingSpec::Mode::Valid;
      else if (s == "same")
        p.mode = PaddingSpec::Mode::Same;
      else
        opts.fail_option("padding", "padding must be 'valid', 'same', a whole number or a pair [h, w], got '" + s + "'",
                         s);
      return p;
    }
    p.mode = PaddingSpec::Mode::Explicit;
    opts.get_pair("padding", 0, 0, 0, p.ph, p.pw);
    return p;
  }
  p.mode = fallback == "same" ? PaddingSpec::Mode::Same : PaddingSpec::Mode::Valid;
  return p;
}

namespace {
// The option that sets the window: kernelSize for convolutions, poolSize for pools.
std::string kernel_option(const char* what) { return std::string(what) == "kernel" ? "kernelSize" : "poolSize"; }
}  // namespace

Axis window_axis(const LayerOptions& opts, const char* what, int in, int k, int stride, PaddingSpec::Mode mode,
                 int explicit_pad, int kh, int kw, const Shape& input) {
  Axis a;
  const std::string window = std::to_string(kh) + "x" + std::to_string(kw) + " " + what;
  const std::string in_hw = std::to_string(input.h) + "x" + std::to_string(input.w);
  switch (mode) {
    case PaddingSpec::Mode::Same:
      a.out = (in + stride - 1) / stride;
      a.pad_total = (a.out - 1) * stride + k - in;
      if (a.pad_total < 0) a.pad_total = 0;
      a.pad_before = a.pad_total / 2;
      break;
    case PaddingSpec::Mode::Valid:
      if (k > in)
        opts.fail_option(kernel_option(what),
                         "a " + window + " does not fit a " + in_hw + " input with padding 'valid'");
      a.out = (in - k) / stride + 1;
      break;
    case PaddingSpec::Mode::Explicit:
      if (k > in + 2 * explicit_pad)
        opts.fail_option(kernel_option(what), "a " + window + " does not fit a " + in_hw + " input with padding " +
                                                  std::to_string(explicit_pad));
      if (explicit_pad >= k)
        opts.fail_option("padding", "padding " + std::to_string(explicit_pad) + " must be smaller than the " + window +
                                        " (a window would see only padding)");
      a.pad_total = 2 * explicit_pad;
      a.pad_before = explicit_pad;
      a.out = (in + 2 * explicit_pad - k) / stride + 1;
      break;
  }
  if (a.out <= 0) opts.fail("the output would be empty for a " + in_hw + " input");
  return a;
}

}  // namespace convolab
