// Small helpers shared by the ftam-front unit tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/escaping.h"
#include "osi/gather.h"

namespace gw::test {

// "30 03 02 01 05" -> bytes (spaces ignored).
inline std::vector<uint8_t> H(std::string_view hex) {
  std::string compact;
  for (char c : hex)
    if (c != ' ' && c != '\n') compact += c;
  std::string raw = absl::HexStringToBytes(compact);
  return std::vector<uint8_t>(raw.begin(), raw.end());
}

inline std::string ToHex(const std::vector<uint8_t>& v) {
  return absl::BytesToHexString(std::string(v.begin(), v.end()));
}

}  // namespace gw::test
