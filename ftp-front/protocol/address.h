// Data-connection addresses: RFC 959 PORT/PASV (h1,h2,h3,h4,p1,p2) and RFC 2428
// EPRT/EPSV (|proto|address|port|). Pure parsing and formatting; fuzzed by address_fuzz.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gw::ftp {

struct HostPort {
  std::string host;  // dotted IPv4 or IPv6 text
  uint16_t port = 0;
  bool ipv6 = false;
};

std::optional<HostPort> ParsePortArgument(std::string_view arg);   // "h1,h2,h3,h4,p1,p2"
std::optional<HostPort> ParseEprtArgument(std::string_view arg);   // "|1|132.235.1.2|6275|"
std::string FormatPasvReply(std::string_view ipv4, uint16_t port); // "227 Entering Passive Mode (...)."
std::string FormatEpsvReply(uint16_t port);                        // "229 Entering Extended Passive Mode (|||port|)"

// Same host, comparing IPv4-mapped IPv6 addresses with plain IPv4 ones.
bool SameHost(std::string_view a, std::string_view b);

}  // namespace gw::ftp
