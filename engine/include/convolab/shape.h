#pragma once
// Shape of one example, channels-last (H, W, C) as Keras; the batch
// dimension N is carried separately so one plan serves any batch size.
#include <cstddef>
#include <string>

namespace convolab {

struct Shape {
  int h = 0;
  int w = 0;
  int c = 0;

  std::size_t size() const { return static_cast<std::size_t>(h) * w * c; }
  bool is_flat() const { return h == 1 && w == 1; }
  std::string str() const { return std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c); }
  bool operator==(const Shape& o) const { return h == o.h && w == o.w && c == o.c; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

}  // namespace convolab
