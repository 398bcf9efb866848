// RFC 1278 presentation addresses, selectors, AP titles and AE qualifiers (format in
// presentation_address.h).
#include "bridge/route/presentation_address.h"

#include <limits>
#include <optional>
#include <vector>

#include "bridge/route/internal.h"

namespace gw::route {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

absl::Status Bad(std::string_view text, std::string_view why) {
  std::string_view shown = text.substr(0, 80);
  return absl::InvalidArgumentError(Cat("bad presentation address \"", shown,
                                        shown.size() < text.size() ? "..." : "", "\": ", why));
}

// The components between '/', a '/' inside "..." belonging to the selector.
std::optional<std::vector<std::string_view>> SplitComponents(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == '/' && !quoted) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (quoted) return std::nullopt;
  parts.push_back(text.substr(start));
  return parts;
}

// One selector in any of RFC 1278's three forms; "" for an absent one.
absl::StatusOr<std::string> ParseSelector(std::string_view text, std::string_view all,
                                          std::string_view what) {
  if (text.empty()) return std::string();
  std::string octets;
  if (text.front() == '"') {
    if (text.size() < 2 || text.back() != '"')
      return Bad(all, Cat(what, ": unterminated quoted selector"));
    std::string_view inner = text.substr(1, text.size() - 2);
    if (inner.find('"') != std::string_view::npos)
      return Bad(all, Cat(what, ": '\"' inside a quoted selector"));
    for (char c : inner) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return Bad(all, Cat(what, ": control character in a quoted selector"));
    }
    octets = std::string(inner);
  } else if (text.front() == '#') {
    std::string_view digits = text.substr(1);
    if (!IsDigits(digits) || digits.size() > 5)
      return Bad(all, Cat(what, ": expected #decimal (0-65535), got \"", text, "\""));
    uint32_t value = 0;
    for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
    if (value > 65535) return Bad(all, Cat(what, ": #", digits, " is over 65535"));
    octets.push_back(static_cast<char>(value >> 8));
    octets.push_back(static_cast<char>(value & 0xff));
  } else if (text.front() == '\'') {
    if (text.size() < 3 || text.substr(text.size() - 2) != "'H")
      return Bad(all, Cat(what, ": expected 'hex'H, got \"", text, "\""));
    absl::StatusOr<std::string> hex = ParseHexSelector(text.substr(1, text.size() - 3), what);
    if (!hex.ok()) return Bad(all, std::string(hex.status().message()));
    octets = std::move(*hex);
  } else {
    return Bad(all, Cat(what, ": expected \"text\", #decimal or 'hex'H, got \"",
                        text.substr(0, 40), "\""));
  }
  if (octets.size() > kMaxSelectorOctets)
    return Bad(all, Cat(what, " longer than ", kMaxSelectorOctets, " octets"));
  return octets;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

// Internet=host[+port[+RFC-1006]] (RFC 1278 §3, the TCP/IP form for RFC 1006).
absl::Status ParseNetworkAddress(std::string_view text, std::string_view all,
                                 PresentationAddress& address) {
  constexpr std::string_view kInternet = "Internet=";
  if (text.find('|') != std::string_view::npos)
    return Bad(all, "only one network address is supported");
  if (text.size() < kInternet.size() || !EqualsIgnoreCase(text.substr(0, kInternet.size()), kInternet))
    return Bad(all, "expected the network address as Internet=host[+port]");
  std::string_view rest = text.substr(kInternet.size());
  std::string_view host = rest;
  std::string_view tail;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Bad(all, "unterminated IPv6 address");
    host = rest.substr(1, close - 1);
    tail = rest.substr(close + 1);
    if (host.empty() || host.find(':') == std::string_view::npos ||
        host.find_first_not_of(":.0123456789abcdefABCDEF") != std::string_view::npos)
      return Bad(all, "bad IPv6 address");
    if (!tail.empty() && tail.front() != '+') return Bad(all, "junk after IPv6 address");
  } else {
    size_t plus = rest.find('+');
    host = rest.substr(0, plus);
    tail = plus == std::string_view::npos ? std::string_view() : rest.substr(plus);
    if (host.empty()) return Bad(all, "missing host after Internet=");
    for (char c : host) {
      if (!IsHostChar(c)) return Bad(all, Cat("bad character in host name \"", host.substr(0, 80), "\""));
    }
    if (host.size() > 253) return Bad(all, "host name longer than 253 characters");
  }
  address.host = std::string(host);
  address.port = kRfc1006Port;
  if (tail.empty()) return absl::OkStatus();
  tail.remove_prefix(1);  // '+'
  size_t plus = tail.find('+');
  std::string_view port = tail.substr(0, plus);
  if (!IsDigits(port) || port.size() > 5)
    return Bad(all, Cat("bad port \"", port.substr(0, 20), "\""));
  uint32_t value = 0;
  for (char c : port) value = value * 10 + static_cast<uint32_t>(c - '0');
  if (value == 0 || value > 65535) return Bad(all, Cat("port out of range (1-65535): ", port));
  address.port = static_cast<uint16_t>(value);
  if (plus != std::string_view::npos && !EqualsIgnoreCase(tail.substr(plus + 1), "RFC-1006"))
    return Bad(all, "the only transport set supported is RFC-1006");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ParseHexSelector(std::string_view hex, std::string_view what) {
  if (hex.empty()) return absl::InvalidArgumentError(Cat(what, ": empty selector"));
  if (hex.size() > 2 * kMaxSelectorOctets)
    return absl::InvalidArgumentError(Cat(what, ": selector longer than ", kMaxSelectorOctets, " octets"));
  if (hex.size() % 2 != 0)
    return absl::InvalidArgumentError(Cat(what, ": odd number of hex digits"));
  std::string octets;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexValue(hex[i]);
    int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0)
      return absl::InvalidArgumentError(Cat(what, ": bad hex digit in \"", hex, "\""));
    octets.push_back(static_cast<char>(high << 4 | low));
  }
  return octets;
}

absl::StatusOr<std::string> ParseObjectIdentifier(std::string_view oid, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(Cat(what, ": bad object identifier \"", oid.substr(0, 80),
                                          "\": ", why));
  };
  if (oid.size() > 64 * 19) return bad("too long");
  std::vector<std::string_view> arcs;
  size_t start = 0;
  while (true) {
    size_t dot = oid.find('.', start);
    arcs.push_back(oid.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (arcs.size() < 2) return bad("expected at least two arcs, e.g. 1.3.9999.1");
  if (arcs.size() > 64) return bad("more than 64 arcs");
  for (std::string_view arc : arcs) {
    if (!IsDigits(arc)) return bad("arcs are decimal numbers separated by '.'");
    if (arc.size() > 1 && arc.front() == '0') return bad("leading zero in an arc");
    if (arc.size() > 18) return bad("arc too large");
  }
  if (arcs[0].size() != 1 || arcs[0][0] > '2') return bad("the first arc is 0, 1 or 2");
  if (arcs[0][0] != '2' && (arcs[1].size() > 2 || (arcs[1].size() == 2 && arcs[1][0] >= '4')))
    return bad("the second arc is below 40 under 0 and 1");
  return std::string(oid);
}

absl::StatusOr<int64_t> ParseAeQualifier(std::string_view text, std::string_view what) {
  bool negative = !text.empty() && text.front() == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  if (!IsDigits(digits) || digits.size() > 19)
    return absl::InvalidArgumentError(Cat(what, ": expected an integer, got \"", text.substr(0, 40), "\""));
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  if (value > limit) return absl::InvalidArgumentError(Cat(what, ": ", text, " does not fit in 64 bits"));
  if (negative) return value == limit ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(value);
  return static_cast<int64_t>(value);
}

absl::StatusOr<PresentationAddress> ParsePresentationAddress(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty presentation address");
  if (text.size() > kMaxPresentationAddressLength)
    return Bad(text, Cat("longer than ", kMaxPresentationAddressLength, " characters"));
  std::optional<std::vector<std::string_view>> parts = SplitComponents(text);
  if (!parts) return Bad(text, "unterminated quoted selector");
  if (parts->size() > 4)
    return Bad(text, "at most three selectors (psel/ssel/tsel) before the network address");
  PresentationAddress address;
  // Selectors are optional from the left: the one next to the network address is the
  // transport selector (RFC 1278 §3).
  std::string* selectors[] = {&address.tsel, &address.ssel, &address.psel};
  constexpr std::string_view kNames[] = {"tsel", "ssel", "psel"};
  size_t count = parts->size() - 1;
  for (size_t i = 0; i < count; ++i) {
    size_t which = count - 1 - i;  // parts[i] is the (count-1-i)th from the right
    absl::StatusOr<std::string> octets = ParseSelector((*parts)[i], text, kNames[which]);
    if (!octets.ok()) return octets.status();
    *selectors[which] = std::move(*octets);
  }
  if (absl::Status s = ParseNetworkAddress(parts->back(), text, address); !s.ok()) return s;
  return address;
}

std::string HexOf(std::string_view octets) {
  std::string out;
  for (char c : octets) {
    auto byte = static_cast<unsigned char>(c);
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xf]);
  }
  return out;
}

std::string FormatPresentationAddress(const PresentationAddress& address) {
  auto selector = [](const std::string& octets) {
    return octets.empty() ? std::string("\"\"") : Cat("'", HexOf(octets), "'H");
  };
  std::string out;
  if (!address.psel.empty()) out = Cat(selector(address.psel), "/");
  if (!address.psel.empty() || !address.ssel.empty()) out = Cat(out, selector(address.ssel), "/");
  if (!out.empty() || !address.tsel.empty()) out = Cat(out, selector(address.tsel), "/");
  bool v6 = address.host.find(':') != std::string::npos;
  return Cat(out, "Internet=", v6 ? "[" : "", address.host, v6 ? "]" : "", "+", address.port);
}

}  // namespace gw::route
