// Resolving a login to a route (RFC 1415 §3, §4: the destination is named by
// SITE or HOST, or by user@host; otherwise by the route policy).
#include "bridge/route/route_table.h"

#include <algorithm>
#include <optional>

#include "bridge/route/internal.h"

namespace gw::route {
namespace {

struct HostPort {
  std::string_view host;
  std::optional<uint16_t> port;
};

// "host", "host:port", "[v6]", "[v6]:port"; a bare IPv6 address (more than
// one ':') is all host. A trailing dot (fully qualified form) is dropped.
absl::StatusOr<HostPort> SplitHostPort(std::string_view text) {
  HostPort result{text, std::nullopt};
  std::string_view port;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(Cat("bad host name: ", text));
    }
    result.host = text.substr(1, close - 1);
    std::string_view after = text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return absl::InvalidArgumentError(Cat("bad host name: ", text));
      port = after.substr(1);
      has_port = true;
    }
  } else if (size_t colon = text.find(':'); colon != std::string_view::npos &&
                                            text.find(':', colon + 1) == std::string_view::npos) {
    result.host = text.substr(0, colon);
    port = text.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    uint32_t value = 0;
    bool digits = !port.empty() && port.size() <= 5;
    for (char c : port) {
      digits = digits && c >= '0' && c <= '9';
      value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (!digits || value == 0 || value > 65535) {
      return absl::InvalidArgumentError(Cat("bad port in host name: ", text));
    }
    result.port = static_cast<uint16_t>(value);
  }
  if (result.host.size() > 1 && result.host.back() == '.') result.host.remove_suffix(1);
  if (result.host.empty()) return absl::InvalidArgumentError("empty host name");
  return result;
}

bool NamesRoute(const Route& route, std::string_view host) {
  if (EqualsIgnoreCase(route.name, host)) return true;
  return std::any_of(route.hosts.begin(), route.hosts.end(),
                     [&](const std::string& h) { return EqualsIgnoreCase(h, host); });
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

absl::StatusOr<RouteTable::Match> RouteTable::Resolve(std::string_view user,
                                                      std::string_view host_hint) const {
  // The login may itself contain '@' (e-mail style); the host follows the last.
  std::string_view login = user;
  std::string_view user_host;
  bool user_names_host = false;
  if (size_t at = user.rfind('@'); at != std::string_view::npos) {
    login = user.substr(0, at);
    user_host = user.substr(at + 1);
    user_names_host = true;
  }
  if (login.empty()) return absl::InvalidArgumentError("empty login name");

  const Route* route = nullptr;
  // Precedence: SITE/HOST, then user@host, then the users lists, then the default.
  std::string_view named = !host_hint.empty() ? host_hint : user_host;
  if (!host_hint.empty() || user_names_host) {
    absl::StatusOr<HostPort> host = SplitHostPort(named);
    if (!host.ok()) return host.status();
    for (const Route& candidate : routes_) {
      if (NamesRoute(candidate, host->host)) route = &candidate;
    }
    // A port the route does not lead to is another destination, which is not listed.
    if (route != nullptr && host->port.has_value() && route->destination.port != 0 &&
        *host->port != route->destination.port) {
      route = nullptr;
    }
    if (route == nullptr) return absl::NotFoundError(Cat("no route for host ", named));
  } else {
    for (const Route& candidate : routes_) {
      if (std::find(candidate.users.begin(), candidate.users.end(), login) !=
          candidate.users.end()) {
        route = &candidate;
      }
    }
    if (route == nullptr) {
      for (const Route& candidate : routes_) {
        if (candidate.is_default) route = &candidate;
      }
    }
    if (route == nullptr) return absl::NotFoundError(Cat("no route for user ", login));
  }

  if (!route->allow_users.empty() && std::find(route->allow_users.begin(), route->allow_users.end(),
                                               login) == route->allow_users.end()) {
    return absl::PermissionDeniedError(
        Cat("user ", login, " may not use destination ", route->name));
  }
  return Match{route, std::string(login)};
}

}  // namespace gw::route
