#include "convolab/layers/up_sampling2d.h"

#include <algorithm>
#include <cmath>

namespace convolab {

UpSampling2D::UpSampling2D(const LayerOptions& opts, Shape in) : Layer("UpSampling2D", in) {
  opts.require_image(in);
  opts.get_pair("size", 2, 2, 1, sh_, sw_);
  const std::string interpolation = opts.get_string("interpolation", "nearest");
  if (interpolation != "nearest" && interpolation != "bilinear")
    opts.fail_option("interpolation", "'interpolation' must be 'nearest' or 'bilinear', got '" + interpolation + "'",
                     interpolation);
  bilinear_ = interpolation == "bilinear";
  out_ = {in.h * sh_, in.w * sw_, in.c};
  rows_ = taps(in.h, out_.h, bilinear_);
  cols_ = taps(in.w, out_.w, bilinear_);
}

std::string UpSampling2D::describe() const {
  return std::to_string(sh_) + "x" + std::to_string(sw_) + (bilinear_ ? " bilinear" : " nearest");
}

// The source coordinate in double, as tfjs's cpu kernels compute it, so the
// floors and fractions match theirs bit for bit.
std::vector<UpSampling2D::Tap> UpSampling2D::taps(int in, int out, bool bilinear) {
  std::vector<Tap> t(static_cast<std::size_t>(out));
  const double ratio = static_cast<double>(in) / out;
  for (int y = 0; y < out; ++y) {
    const double s = ratio * y;
    const int lo = std::min(in - 1, static_cast<int>(std::floor(s)));
    if (!bilinear) {
      t[y] = {lo, lo, 0.0f};
      continue;
    }
    t[y] = {lo, std::min(in - 1, static_cast<int>(std::ceil(s))), static_cast<float>(s - lo)};
  }
  return t;
}

void UpSampling2D::forward(const float* in, float* out, int n, bool /*training*/) {
  const int c = in_.c;
  for (int i = 0; i < n; ++i) {
    const float* img = in + static_cast<std::size_t>(i) * in_.size();
    float* o = out + static_cast<std::size_t>(i) * out_.size();
    for (int y = 0; y < out_.h; ++y) {
      const Tap r = rows_[y];
      for (int x = 0; x < out_.w; ++x) {
        const Tap q = cols_[x];
        const float* tl = img + (static_cast<std::size_t>(r.lo) * in_.w + q.lo) * c;
        float* dst = o + (static_cast<std::size_t>(y) * out_.w + x) * c;
        if (!bilinear_) {
          std::copy(tl, tl + c, dst);
          continue;
        }
        const float* tr = img + (static_cast<std::size_t>(r.lo) * in_.w + q.hi) * c;
        const float* bl = img + (static_cast<std::size_t>(r.hi) * in_.w + q.lo) * c;
        const float* br = img + (static_cast<std::size_t>(r.hi) * in_.w + q.hi) * c;
        for (int ch = 0; ch < c; ++ch) {
          // the order of tfjs's kernel: across columns, then rows
          const float top = tl[ch] + (tr[ch] - tl[ch]) * q.frac;
          const float bottom = bl[ch] + (br[ch] - bl[ch]) * q.frac;
          dst[ch] = top + (bottom - top) * r.frac;
        }
      }
    }
  }
}

void UpSampling2D::backward(const float*, const float*, float* dout, float* din, int n) {
  if (!din) return;
  const int c = in_.c;
  for (int i = 0; i < n; ++i) {
    float* d = din + static_cast<std::size_t>(i) * in_.size();
    const float* g = dout + static_cast<std::size_t>(i) * out_.size();
    for (int y = 0; y < out_.h; ++y) {
      const Tap r = rows_[y];
      for (int x = 0; x < out_.w; ++x) {
        const Tap q = cols_[x];
        const float* src = g + (static_cast<std::size_t>(y) * out_.w + x) * c;
        float* tl = d + (static_cast<std::size_t>(r.lo) * in_.w + q.lo) * c;
        if (!bilinear_) {
          for (int ch = 0; ch < c; ++ch) tl[ch] += src[ch];
          continue;
        }
        float* tr = d + (static_cast<std::size_t>(r.lo) * in_.w + q.hi) * c;
        float* bl = d + (static_cast<std::size_t>(r.hi) * in_.w + q.lo) * c;
        float* br = d + (static_cast<std::size_t>(r.hi) * in_.w + q.hi) * c;
        const float wtl = (1 - r.frac) * (1 - q.frac), wtr = (1 - r.frac) * q.frac;
        const float wbl = r.frac * (1 - q.frac), wbr = r.frac * q.frac;
        for (int ch = 0; ch < c; ++ch) {
          tl[ch] += src[ch] * wtl;
          tr[ch] += src[ch] * wtr;
          bl[ch] += src[ch] * wbl;
          br[ch] += src[ch] * wbr;
        }
      }
    }
  }
}

}  // namespace convolab
