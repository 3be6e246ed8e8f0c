#pragma once
// Kernel workspaces, as XNNPACK's operators do it (create → reshape → setup
// → run): a kernel's scratch memory (packed panels, padded copies, per-task
// partial sums) is one block the caller owns. The caller asks the kernel's
// *_workspace_size how many bytes a shape needs, allocates them once (a
// layer, at reserve time) and passes them to every call, so no kernel
// allocates, and none keeps hidden state between calls. The size may be 0
// (the pointer is then never read).
//
// A kernel cuts its block with a WorkspaceLayout; the same layout function
// gives both the size and where each piece starts, so they cannot disagree.
#include <cstddef>

namespace convolab::kernels {

class WorkspaceLayout {
 public:
  // Pieces start on cache lines, so per-task pieces written by different
  // threads never share one.
  static constexpr std::size_t kLine = 64;

  // Room for count Ts; returns the piece's byte offset.
  template <class T>
  std::size_t add(std::size_t count) {
    return add_bytes(count * sizeof(T));
  }

  // One piece of count Ts per task slot: slot t starts at offset + t * stride.
  struct Slots {
    std::size_t offset, stride;
  };
  template <class T>
  Slots add_slots(int slots, std::size_t count) {
    const std::size_t stride = round_up(count * sizeof(T));
    return {add_bytes(stride * static_cast<std::size_t>(slots > 0 ? slots : 0)), stride};
  }

  std::size_t bytes() const { return bytes_; }

 private:
  static std::size_t round_up(std::size_t bytes) { return (bytes + kLine - 1) / kLine * kLine; }
  std::size_t add_bytes(std::size_t bytes) {
    const std::size_t offset = bytes_;
    bytes_ += round_up(bytes);
    return offset;
  }
  std::size_t bytes_ = 0;
};

// The piece of workspace at a byte offset from its start.
template <class T>
T* workspace_at(void* workspace, std::size_t offset) {
  return reinterpret_cast<T*>(static_cast<unsigned char*>(workspace) + offset);
}
template <class T>
T* workspace_at(void* workspace, WorkspaceLayout::Slots slots, int slot) {
  return workspace_at<T>(workspace, slots.offset + slots.stride * static_cast<std::size_t>(slot));
}

}  // namespace convolab::kernels
