#pragma once
// Test-only reader of the .cldata dataset format (bindings/dataset.js):
//   'CLDS', u32 version 1, u32 count, u16 height, width, channels, classes,
//   u32 metaLength + JSON, u8 labels[count], u8 pixels[count*h*w*c],
//   u32 CRC-32 of everything before. Little-endian.
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "convolab/crc32.h"

namespace convolab::test {

struct Dataset {
  int count = 0, height = 0, width = 0, channels = 0, classes = 0;
  std::vector<std::uint8_t> labels, pixels;
  std::size_t image_size() const { return static_cast<std::size_t>(height) * width * channels; }
  // Images [start, start + n) scaled to [0, 1] as the page does (pixel / 255).
  std::vector<float> images(int start, int n) const {
    std::vector<float> out(static_cast<std::size_t>(n) * image_size());
    const std::uint8_t* src = pixels.data() + static_cast<std::size_t>(start) * image_size();
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(src[i]) / 255.0f;
    return out;
  }
};

inline Dataset read_cldata(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path + " (run scripts/build.sh to make it)");
  std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
           static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
  };
  auto u16 = [&](std::size_t at) { return static_cast<int>(b[at] | b[at + 1] << 8); };
  if (b.size() < 28 || std::string(b.begin(), b.begin() + 4) != "CLDS" || u32(4) != 1)
    throw std::runtime_error(path + " is not a version 1 .cldata file");
  if (u32(b.size() - 4) != crc32(b.data(), b.size() - 4)) throw std::runtime_error(path + ": checksum mismatch");
  Dataset d;
  d.count = static_cast<int>(u32(8));
  d.height = u16(12);
  d.width = u16(14);
  d.channels = u16(16);
  d.classes = u16(18);
  const std::size_t labels_at = 24 + u32(20);
  const std::size_t pixels_at = labels_at + d.count;
  if (pixels_at + d.count * d.image_size() + 4 != b.size()) throw std::runtime_error(path + ": sizes do not add up");
  d.labels.assign(b.begin() + labels_at, b.begin() + pixels_at);
  d.pixels.assign(b.begin() + pixels_at, b.end() - 4);
  return d;
}

}  // namespace convolab::test
