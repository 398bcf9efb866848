// Fuzzes the reply reader (fed in pieces, as the network delivers them) and the PASV/EPSV
// address parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "client/reply_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  gw::ftp::client::ReplyReader reader(512);
  std::size_t step = in.empty() ? 1 : 1 + static_cast<unsigned char>(in[0]) % 64;
  for (std::size_t at = 0; at < in.size(); at += step) {
    reader.Append(in.substr(at, step));
    for (;;) {
      auto next = reader.Next();
      if (!next.ok() || !next->has_value()) break;
      const auto& reply = **next;
      if (reply.code < 100 || reply.code > 599 || reply.lines.empty()) __builtin_trap();
      gw::ftp::client::ParsePasvReply(reply.text);
      gw::ftp::client::ParseEpsvReply(reply.text);
    }
  }
  if (auto a = gw::ftp::client::ParsePasvReply(in); a && (a->port == 0 || a->host.empty())) __builtin_trap();
  if (auto p = gw::ftp::client::ParseEpsvReply(in); p && *p == 0) __builtin_trap();
  gw::ftp::client::PasvConnectHost(in, "127.0.0.1", true);
  return 0;
}
