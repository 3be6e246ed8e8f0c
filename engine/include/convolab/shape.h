#pragma once
// Shape of one example, channels-last as Keras; the batch dimension N is
// carried separately so one plan serves any batch size. Images are rank 3
// (H, W, C); Flatten, Dense on a flat input and the global pools give rank 1
// (K), stored as 1x1xK; Reshape may give rank 2 (W, C), stored as 1xWxC.
// The rank matters only for which layers accept the shape (Conv2D needs an
// image, Flatten needs more than one axis, as tfjs-layers checks); the data
// is the same contiguous row-major block either way.
#include <cstddef>
#include <string>
#include <vector>

namespace convolab {

struct Shape {
  int h = 0;
  int w = 0;
  int c = 0;
  int rank = 3;  // 1, 2 or 3 axes per example

  std::size_t size() const { return static_cast<std::size_t>(h) * w * c; }
  bool is_flat() const { return h == 1 && w == 1; }
  bool is_image() const { return rank == 3; }
  // Positions along which the last axis repeats (H*W): a loss runs over the
  // last axis at each of them.
  int positions() const { return h * w; }
  std::vector<int> dims() const {
    if (rank == 1) return {c};
    if (rank == 2) return {w, c};
    return {h, w, c};
  }
  std::string str() const {
    if (rank == 1) return std::to_string(c);
    if (rank == 2) return std::to_string(w) + "x" + std::to_string(c);
    return std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
  }
  bool operator==(const Shape& o) const { return h == o.h && w == o.w && c == o.c && rank == o.rank; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

// A rank-1 shape of k values.
inline Shape flat_shape(int k) { return {1, 1, k, 1}; }

}  // namespace convolab
