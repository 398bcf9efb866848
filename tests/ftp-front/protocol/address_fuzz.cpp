// Fuzzes the PORT/EPRT argument parsers and the listing option stripper.
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/address.h"
#include "protocol/listing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto hp = gw::ftp::ParsePortArgument(in); hp && hp->host.empty()) __builtin_trap();
  if (auto hp = gw::ftp::ParseEprtArgument(in); hp && hp->host.empty()) __builtin_trap();
  gw::ftp::StripListOptions(in);
  gw::ftp::SameHost(in, "127.0.0.1");
  return 0;
}
