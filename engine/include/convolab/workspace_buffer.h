#pragma once
// The kernel workspace a layer owns (see engine/kernels/workspace.h): raw
// scratch memory in whole cache lines, grown at reserve time to the largest
// *_workspace_size of the kernel calls the layer makes (they run one after
// another, so they share it), and handed to each of them. It only grows,
// and never inside a training step.
#include <cstddef>
#include <vector>

namespace convolab {

// Grows a per-batch buffer to n elements with exactly n allocated (resize
// alone may double the old capacity, more than the memory estimate counts);
// what it held is kept.
template <typename T>
void grow_exactly(std::vector<T>& v, std::size_t n) {
  if (v.size() >= n) return;
  v.reserve(n);
  v.resize(n);
}

class WorkspaceBuffer {
 public:
  void reserve(std::size_t bytes) { grow_exactly(lines_, (bytes + sizeof(Line) - 1) / sizeof(Line)); }
  void* data() { return lines_.data(); }
  std::size_t bytes() const { return lines_.size() * sizeof(Line); }

 private:
  struct alignas(64) Line {
    unsigned char bytes[64];
  };
  std::vector<Line> lines_;
};

}  // namespace convolab
