#include "client/reply_reader.h"

#include <array>

#include "absl/status/status.h"

namespace gw::ftp::client {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// "ddd" with a first digit 1..5 (RFC 959 §4.2.1).
bool HasCode(std::string_view line) {
  return line.size() >= 3 && line[0] >= '1' && line[0] <= '5' && Digit(line[1]) && Digit(line[2]);
}

int CodeOf(std::string_view line) { return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'); }

// Up to 3 decimal digits at s[i], value <= 255; advances i.
std::optional<unsigned> Octet(std::string_view s, std::size_t& i) {
  std::size_t b = i;
  unsigned v = 0;
  while (i < s.size() && Digit(s[i]) && i - b < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
  if (i == b || v > 255 || (i < s.size() && Digit(s[i]))) return std::nullopt;
  return v;
}

}  // namespace

std::string ServerReply::Quote() const { return std::to_string(code) + " " + text; }

absl::StatusOr<std::optional<ServerReply>> ReplyReader::Next() {
  if (failed_) return absl::InvalidArgumentError("control connection out of sync after an earlier bad reply");
  ServerReply reply;
  std::size_t pos = 0;
  bool multi = false;
  for (;;) {
    auto lf = buf_.find('\n', pos);
    if (lf == std::string::npos) {
      if (buf_.size() > max_bytes_) {
        failed_ = true;
        return absl::ResourceExhaustedError("reply longer than " + std::to_string(max_bytes_) + " bytes");
      }
      return std::optional<ServerReply>();
    }
    if (lf + 1 > max_bytes_) {
      failed_ = true;
      return absl::ResourceExhaustedError("reply longer than " + std::to_string(max_bytes_) + " bytes");
    }
    std::string_view line(buf_.data() + pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = lf + 1;
    if (reply.lines.empty()) {
      // First line: "ddd text", "ddd-text" or a bare "ddd".
      if (!HasCode(line) || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
        failed_ = true;
        std::string shown(line.substr(0, 80));
        return absl::InvalidArgumentError("not an FTP reply: \"" + shown + "\"");
      }
      reply.code = CodeOf(line);
      multi = line.size() > 3 && line[3] == '-';
      reply.text = std::string(line.size() > 4 ? line.substr(4) : std::string_view());
      reply.lines.emplace_back(line);
      if (!multi) break;
      continue;
    }
    reply.lines.emplace_back(line);
    // RFC 959 §4.2: the last line starts with the same code followed by a space; body lines
    // may start with anything, digits included.
    bool last = HasCode(line) && CodeOf(line) == reply.code && (line.size() == 3 || line[3] == ' ');
    reply.text += '\n';
    reply.text += last ? (line.size() > 4 ? line.substr(4) : std::string_view()) : line;
    if (last) break;
  }
  buf_.erase(0, pos);
  return std::optional<ServerReply>(std::move(reply));
}

std::optional<DataAddress> ParsePasvReply(std::string_view text) {
  for (std::size_t start = 0; start < text.size(); ++start) {
    if (!Digit(text[start]) || (start > 0 && Digit(text[start - 1]))) continue;
    std::size_t i = start;
    std::array<unsigned, 6> v{};
    bool ok = true;
    for (std::size_t k = 0; k < v.size(); ++k) {
      if (k > 0) {
        if (i >= text.size() || text[i] != ',') {
          ok = false;
          break;
        }
        ++i;
      }
      auto o = Octet(text, i);
      if (!o) {
        ok = false;
        break;
      }
      v[k] = *o;
    }
    if (!ok) continue;
    DataAddress a;
    a.host = std::to_string(v[0]) + "." + std::to_string(v[1]) + "." + std::to_string(v[2]) + "." + std::to_string(v[3]);
    a.port = static_cast<uint16_t>(v[4] * 256 + v[5]);
    if (a.port == 0) continue;
    return a;
  }
  return std::nullopt;
}

std::optional<uint16_t> ParseEpsvReply(std::string_view text) {
  for (std::size_t open = text.find('('); open != std::string_view::npos; open = text.find('(', open + 1)) {
    std::string_view rest = text.substr(open + 1);
    if (rest.size() < 5) return std::nullopt;
    char d = rest[0];
    if (d < 33 || d > 126 || Digit(d) || rest[1] != d || rest[2] != d) continue;
    std::size_t i = 3;
    uint32_t port = 0;
    std::size_t digits = 0;
    while (i < rest.size() && Digit(rest[i]) && digits < 6) {
      port = port * 10 + static_cast<uint32_t>(rest[i++] - '0');
      ++digits;
    }
    if (digits == 0 || port == 0 || port > 65535 || i + 1 >= rest.size() || rest[i] != d || rest[i + 1] != ')') continue;
    return static_cast<uint16_t>(port);
  }
  return std::nullopt;
}

bool IsPrivateIpv4(std::string_view ip) {
  std::array<unsigned, 4> v{};
  std::size_t i = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    if (k > 0) {
      if (i >= ip.size() || ip[i] != '.') return false;
      ++i;
    }
    auto o = Octet(ip, i);
    if (!o) return false;
    v[k] = *o;
  }
  if (i != ip.size()) return false;
  return v[0] == 10 || v[0] == 127 || v[0] == 0 || (v[0] == 172 && v[1] >= 16 && v[1] <= 31) ||
         (v[0] == 192 && v[1] == 168) || (v[0] == 169 && v[1] == 254) || (v[0] == 100 && v[1] >= 64 && v[1] <= 127);
}

std::string PasvConnectHost(std::string_view advertised, std::string_view control_peer, bool trust_advertised) {
  std::string_view peer = control_peer;
  if (peer.starts_with("::ffff:")) peer.remove_prefix(7);
  if (advertised == peer) return std::string(advertised);
  if (trust_advertised && !advertised.starts_with("0.") && !(IsPrivateIpv4(advertised) && !IsPrivateIpv4(peer))) return std::string(advertised);
  return std::string(control_peer);
}

}  // namespace gw::ftp::client
