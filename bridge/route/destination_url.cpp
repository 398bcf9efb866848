// Destination URLs: file:///path, ftp://, ftps://, ftps-implicit://, ftam://.
#include <cstdint>
#include <iterator>
#include <optional>

#include "bridge/route/internal.h"
#include "bridge/route/presentation_address.h"
#include "bridge/route/route_table.h"

namespace gw::route {
namespace {

struct SchemeRow {
  std::string_view name;
  Scheme scheme;
  uint16_t default_port;
};

// RFC 959 (21), RFC 4217 explicit TLS on the same port, implicit FTPS on 990,
// RFC 1006 ISO transport over TCP on 102.
constexpr SchemeRow kSchemes[] = {
    {"file", Scheme::kFile, 0},   {"ftp", Scheme::kFtp, 21},
    {"ftps", Scheme::kFtps, 21},  {"ftps-implicit", Scheme::kFtpsImplicit, 990},
    {"ftam", Scheme::kFtam, 102},
};

// The URL as messages show it: credentials in it are never repeated ("ftp://...@host/x"),
// since these messages reach logs and replies.
std::string Shown(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  std::string_view rest = url.substr(sep + 3);
  size_t at = rest.find('@');
  if (at == std::string_view::npos || at > rest.find('/')) return std::string(url);
  return Cat(url.substr(0, sep + 3), "...@", rest.substr(at + 1));
}

absl::Status Invalid(std::string_view url, std::string_view why) {
  return absl::InvalidArgumentError(Cat("bad destination URL \"", Shown(url), "\": ", why));
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    auto hex = [](char c) -> int {
      c = AsciiLower(c);
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    if (i + 2 >= text.size()) return std::nullopt;  // "%" needs two hex digits
    int high = hex(text[i + 1]);
    int low = hex(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    char c = static_cast<char>(high << 4 | low);
    if (c == '\0') return std::nullopt;
    out.push_back(c);
    i += 2;
  }
  return out;
}

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

absl::Status ParseAuthority(std::string_view url, std::string_view authority,
                            Destination& destination) {
  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(url, "unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Invalid(url, "junk after IPv6 address");
      port = after.substr(1);
      has_port = true;
    }
    if (host.empty() || host.find_first_not_of(":.0123456789abcdefABCDEF") != host.npos ||
        host.find(':') == host.npos) {
      return Invalid(url, "bad IPv6 address");
    }
  } else {
    size_t colon = authority.find(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return Invalid(url, "missing host");
    for (char c : host) {
      if (!IsHostNameChar(c)) return Invalid(url, Cat("bad character in host name \"", host, "\""));
    }
  }
  destination.host = std::string(host);
  if (has_port) {
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos) {
      return Invalid(url, Cat("bad port \"", port, "\""));
    }
    uint32_t value = 0;
    for (char c : port) value = value * 10 + static_cast<uint32_t>(c - '0');
    if (value == 0 || value > 65535)
      return Invalid(url, Cat("port out of range (1-65535): ", port));
    destination.port = static_cast<uint16_t>(value);
    destination.port_named = true;
  }
  return absl::OkStatus();
}

// ftam:// only: ?tsel=HEX&ssel=HEX&psel=HEX&ap_title=OID&ae_qualifier=N, each at most once.
absl::Status ParseFtamQuery(std::string_view url, std::string_view query, Destination& destination) {
  bool seen[5] = {};
  constexpr std::string_view kKeys[] = {"tsel", "ssel", "psel", "ap_title", "ae_qualifier"};
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string_view pair = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
    start = amp == std::string_view::npos ? query.size() + 1 : amp + 1;
    if (pair.empty()) continue;  // "?" alone, or "&&"
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    size_t index = std::size(kKeys);
    for (size_t i = 0; i < std::size(kKeys); ++i) {
      if (kKeys[i] == key) index = i;
    }
    if (index == std::size(kKeys))
      return Invalid(url, Cat("unknown query key \"", key.substr(0, 40),
                              "\" (expected tsel, ssel, psel, ap_title or ae_qualifier)"));
    if (seen[index]) return Invalid(url, Cat(key, " given twice"));
    seen[index] = true;
    if (eq == std::string_view::npos || value.empty()) return Invalid(url, Cat(key, " needs a value"));
    if (index < 3) {
      absl::StatusOr<std::string> octets = ParseHexSelector(value, key);
      if (!octets.ok()) return Invalid(url, std::string(octets.status().message()));
      std::string* selector[] = {&destination.tsel, &destination.ssel, &destination.psel};
      *selector[index] = std::move(*octets);
    } else if (index == 3) {
      absl::StatusOr<std::string> oid = ParseObjectIdentifier(value, key);
      if (!oid.ok()) return Invalid(url, std::string(oid.status().message()));
      destination.ap_title = std::move(*oid);
    } else {
      absl::StatusOr<int64_t> qualifier = ParseAeQualifier(value, key);
      if (!qualifier.ok()) return Invalid(url, std::string(qualifier.status().message()));
      destination.ae_qualifier = *qualifier;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Destination> ParseDestinationUrl(std::string_view url) {
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == ' ') {
      return Invalid(url, "spaces and control characters must be percent-encoded");
    }
  }
  size_t separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0) {
    return Invalid(url, "expected scheme://...");
  }
  std::string scheme_name;
  for (char c : url.substr(0, separator)) scheme_name.push_back(AsciiLower(c));
  const SchemeRow* row = nullptr;
  for (const SchemeRow& candidate : kSchemes) {
    if (candidate.name == scheme_name) row = &candidate;
  }
  if (row == nullptr) {
    return Invalid(url, Cat("unsupported scheme \"", scheme_name,
                            "\" (expected file, ftp, ftps, ftps-implicit or ftam)"));
  }
  std::string_view rest = url.substr(separator + 3);
  std::string_view query;
  bool has_query = false;
  if (size_t question = rest.find('?'); row->scheme == Scheme::kFtam && question != rest.npos) {
    query = rest.substr(question + 1);  // RFC 3986 §3.4
    rest = rest.substr(0, question);
    has_query = true;
  }
  if (rest.find_first_of("?#") != std::string_view::npos || query.find('#') != std::string_view::npos) {
    return Invalid(url, row->scheme == Scheme::kFtam ? "fragments are not allowed"
                                                     : "queries and fragments are not allowed");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid(url, "credentials do not belong in a destination URL");
  }
  std::string_view raw_path = slash == std::string_view::npos ? "" : rest.substr(slash);
  std::optional<std::string> path = PercentDecode(raw_path);
  if (!path) return Invalid(url, "bad percent-encoding in the path");

  Destination destination;
  destination.scheme = row->scheme;
  destination.url = std::string(url);
  if (row->scheme == Scheme::kFile) {
    if (!authority.empty() && !EqualsIgnoreCase(authority, "localhost")) {
      return Invalid(url, "file:// destinations must be local (file:///path)");
    }
    if (path->empty()) return Invalid(url, "file:// destination needs an absolute path");
    while (path->size() > 1 && path->back() == '/') path->pop_back();
    destination.root = std::move(*path);
    return destination;
  }
  if (absl::Status s = ParseAuthority(url, authority, destination); !s.ok()) return s;
  if (destination.port == 0) destination.port = row->default_port;
  destination.path = std::move(*path);
  if (has_query) {
    if (absl::Status s = ParseFtamQuery(url, query, destination); !s.ok()) return s;
  }
  return destination;
}

}  // namespace gw::route
