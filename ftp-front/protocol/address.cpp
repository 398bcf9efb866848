#include "protocol/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>
#include <vector>

namespace gw::ftp {
namespace {
bool ParseUint(std::string_view s, unsigned max, unsigned* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  *out = v;
  return true;
}

std::string Canonical(std::string_view text) {
  std::string s(text);
  if (auto pct = s.find('%'); pct != std::string::npos) s.resize(pct);  // zone id
  unsigned char buf[16];
  char out[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    inet_ntop(AF_INET, buf, out, sizeof out);
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(buf, kMapped, 12) == 0) {
      inet_ntop(AF_INET, buf + 12, out, sizeof out);
      return out;
    }
    inet_ntop(AF_INET6, buf, out, sizeof out);
    return out;
  }
  return "";
}
}  // namespace

std::optional<HostPort> ParsePortArgument(std::string_view arg) {
  std::vector<unsigned> v;
  std::size_t start = 0;
  while (v.size() < 7) {
    std::size_t comma = arg.find(',', start);
    std::string_view part = arg.substr(start, comma == std::string_view::npos ? arg.npos : comma - start);
    unsigned n;
    if (!ParseUint(part, 255, &n)) return std::nullopt;
    v.push_back(n);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (v.size() != 6) return std::nullopt;
  HostPort hp;
  hp.host = std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]) + "." +
            std::to_string(v[3]);
  hp.port = static_cast<uint16_t>(v[4] * 256 + v[5]);
  return hp;
}

std::optional<HostPort> ParseEprtArgument(std::string_view arg) {
  if (arg.size() < 7) return std::nullopt;
  char d = arg[0];
  if (d < 33 || d > 126) return std::nullopt;
  std::vector<std::string_view> f;
  std::size_t start = 1;
  for (int i = 0; i < 3; ++i) {
    std::size_t next = arg.find(d, start);
    if (next == std::string_view::npos) return std::nullopt;
    f.push_back(arg.substr(start, next - start));
    start = next + 1;
  }
  if (start != arg.size()) return std::nullopt;
  unsigned proto, port;
  if (!ParseUint(f[0], 2, &proto) || proto == 0 || !ParseUint(f[2], 65535, &port)) return std::nullopt;
  HostPort hp;
  hp.ipv6 = proto == 2;
  unsigned char buf[16];
  std::string host(f[1]);
  if (inet_pton(hp.ipv6 ? AF_INET6 : AF_INET, host.c_str(), buf) != 1) return std::nullopt;
  hp.host = host;
  hp.port = static_cast<uint16_t>(port);
  return hp;
}

std::string FormatPasvReply(std::string_view ipv4, uint16_t port) {
  std::string h(ipv4);
  for (char& c : h)
    if (c == '.') c = ',';
  return "227 Entering Passive Mode (" + h + "," + std::to_string(port / 256) + "," +
         std::to_string(port % 256) + ").";
}

std::string FormatEpsvReply(uint16_t port) {
  return "229 Entering Extended Passive Mode (|||" + std::to_string(port) + "|)";
}

bool SameHost(std::string_view a, std::string_view b) {
  std::string ca = Canonical(a), cb = Canonical(b);
  return !ca.empty() && ca == cb;
}

}  // namespace gw::ftp
