// The client side of RFC 959 §4.2: replies read back from a far server's control
// connection, and the data-connection addresses of PASV (227) and EPSV (229, RFC 2428 §3).
// Pure code over bytes, no I/O; fuzzed by tests/ftp-front/client/reply_fuzz.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace gw::ftp::client {

// One complete reply. `text` is the reply without its code prefixes: a single line, or the
// lines of a multi-line reply joined with '\n' ("ddd-" and "ddd " removed from the first
// and last line, body lines kept as sent). `lines` holds the raw lines without line ends.
struct ServerReply {
  int code = 0;
  std::string text;
  std::vector<std::string> lines;

  bool Preliminary() const { return code >= 100 && code < 200; }
  bool Positive() const { return code >= 200 && code < 400; }
  // "550 /x: No such file or directory": how the reply is quoted in statuses and logs.
  std::string Quote() const;
};

// Accumulates bytes from the control connection and hands out complete replies.
// Line ends are CRLF; a bare LF is accepted too. A reply larger than `max_bytes` (or a
// line that is no reply at all) is an error and the reader stays failed.
class ReplyReader {
 public:
  explicit ReplyReader(std::size_t max_bytes = 64 * 1024) : max_bytes_(max_bytes) {}

  void Append(std::string_view bytes) { buf_.append(bytes); }
  // The next complete reply, nullopt if more bytes are needed, or an error
  // (InvalidArgument for a malformed line, ResourceExhausted for an oversized reply).
  absl::StatusOr<std::optional<ServerReply>> Next();
  // Bytes received but not yet consumed by a complete reply.
  std::size_t buffered() const { return buf_.size(); }

 private:
  std::size_t max_bytes_;
  std::string buf_;
  bool failed_ = false;
};

struct DataAddress {
  std::string host;  // empty for EPSV: the control connection's peer
  uint16_t port = 0;
};

// 227: the first "h1,h2,h3,h4,p1,p2" anywhere in the text (with or without parentheses).
std::optional<DataAddress> ParsePasvReply(std::string_view text);
// 229: "(<d><d><d>port<d>)" with any delimiter <d> in 33..126 (RFC 2428 §3).
std::optional<uint16_t> ParseEpsvReply(std::string_view text);

// Where to connect for a PASV reply. The common NAT fix: a server behind NAT advertises its
// private address, so the advertised host is used only when `trust_advertised` is set and it
// is neither private, loopback, link-local nor unspecified while the control peer is not;
// otherwise the control connection's peer address is used (which also stops a hostile
// server from pointing the data connection at a third host).
std::string PasvConnectHost(std::string_view advertised, std::string_view control_peer, bool trust_advertised);

// RFC 1918 / loopback / link-local / 0.0.0.0 / CGNAT (100.64/10) IPv4 text.
bool IsPrivateIpv4(std::string_view ipv4);

}  // namespace gw::ftp::client
