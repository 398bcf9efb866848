// Fuzzes the control-channel line splitter and command parser with arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/command.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  gw::ftp::LineReader lr(64);
  std::string line;
  // Feed in two pieces to exercise state kept across reads.
  lr.Feed(in.substr(0, size / 2));
  while (lr.Next(&line) != gw::ftp::LineReader::Status::kNeedMore) gw::ftp::ParseCommand(line);
  lr.Feed(in.substr(size / 2));
  while (lr.Next(&line) != gw::ftp::LineReader::Status::kNeedMore) {
    auto c = gw::ftp::ParseCommand(line);
    if (c && (c->verb.size() < 3 || c->verb.size() > 4)) __builtin_trap();
  }
  return 0;
}
