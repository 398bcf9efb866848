// Fuzzes the LIST and MLSD/MLST parsers with whole listing bodies.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/listing_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // The first byte picks "now" across a wide range, including before 1970.
  int64_t now = 1795321636;
  if (!in.empty()) {
    now += (static_cast<int64_t>(static_cast<unsigned char>(in[0])) - 128) * 86400 * 200;
    in.remove_prefix(1);
  }
  for (const auto& e : gw::ftp::client::ParseListing(in, now))
    if (e.name.empty()) __builtin_trap();
  for (const auto& e : gw::ftp::client::ParseMlsd(in))
    if (e.name.empty()) __builtin_trap();
  gw::ftp::client::ParseTimeVal(in);
  return 0;
}
