#pragma once
// CRC-32 (IEEE 802.3, as zlib and bindings/dataset.js): the checksum of the
// .clmodel and .cldata formats.
#include <cstddef>
#include <cstdint>

namespace convolab {

inline std::uint32_t crc32(const std::uint8_t* bytes, std::size_t size) {
  static const auto table = [] {
    struct T {
      std::uint32_t v[256];
    } t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t.v[n] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) crc = table.v[(crc ^ bytes[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace convolab
