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

bool PortAllowed(const Route& route, uint16_t port) {
  if (port == route.destination.port) return true;
  for (const auto& [lo, hi] : route.ports)
    if (port >= lo && port <= hi) return true;
  return false;
}

bool SchemeAllowed(const Route& route, Scheme scheme) {
  return scheme == route.destination.scheme ||
         std::find(route.schemes.begin(), route.schemes.end(), scheme) != route.schemes.end();
}

// The route a host name selects: with a scheme, the one that allows it (routes sharing a
// name have disjoint schemes); without, the first listed.
const Route* RouteNamed(const std::vector<Route>& routes, std::string_view host,
                        std::optional<Scheme> scheme = std::nullopt) {
  const Route* first = nullptr;
  for (const Route& candidate : routes) {
    if (!NamesRoute(candidate, host)) continue;
    if (!first) first = &candidate;
    if (scheme && SchemeAllowed(candidate, *scheme)) return &candidate;
  }
  return first;
}

absl::Status AllowedUser(const Route& route, std::string_view login) {
  if (!route.allow_users.empty() &&
      std::find(route.allow_users.begin(), route.allow_users.end(), login) == route.allow_users.end()) {
    return absl::PermissionDeniedError(Cat("user ", login, " may not use destination ", route.name));
  }
  return absl::OkStatus();
}

// ftam:// URLs naming selectors, an AP title or an AE qualifier
// ("SITE ftam://host/?tsel=0103"): the URL's replace the route's, all together, since they
// address one entity on the host the route allows (the host and port were checked).
void UseNamedOsiAddress(const Destination& named, Destination& effective) {
  if (named.tsel.empty() && named.ssel.empty() && named.psel.empty() && named.ap_title.empty() &&
      !named.ae_qualifier)
    return;
  effective.tsel = named.tsel;
  effective.ssel = named.ssel;
  effective.psel = named.psel;
  effective.ap_title = named.ap_title;
  effective.ae_qualifier = named.ae_qualifier;
}

// A destination named by URL ("SITE ftps://host:990/dir", or a one-shot target), parsed
// (ParseDestinationUrl refuses credentials): the route its host selects, if that route
// allows the scheme and the port. `as_directory`: the URL's path becomes the initial
// directory (a hint) rather than the call's path (a target).
absl::StatusOr<RouteTable::Match> MatchUrl(const std::vector<Route>& routes, Destination named,
                                           std::string_view url, std::string_view login,
                                           bool as_directory) {
  if (named.scheme == Scheme::kFile) return absl::NotFoundError(Cat("no route for ", url));
  std::string_view host = named.host;
  if (host.size() > 1 && host.back() == '.') host.remove_suffix(1);  // fully qualified form
  const Route* route = RouteNamed(routes, host, named.scheme);
  // No port in the URL: the route's own port for its own scheme (the URL names the route),
  // the scheme's default port for another scheme.
  if (route != nullptr && !named.port_named && named.scheme == route->destination.scheme)
    named.port = route->destination.port;
  // A scheme or port the route does not allow is another destination, refused like any
  // unlisted one (NotFound), so the answer does not tell which hosts are listed.
  if (route == nullptr || route->destination.scheme == Scheme::kFile ||
      !SchemeAllowed(*route, named.scheme) || !PortAllowed(*route, named.port)) {
    return absl::NotFoundError(Cat("no route for ", url));
  }
  if (absl::Status s = AllowedUser(*route, login); !s.ok()) return s;
  RouteTable::Match match{route, std::string(login), route->destination, named.path};
  match.destination.scheme = named.scheme;
  match.destination.port = named.port;
  if (as_directory && !named.path.empty()) match.destination.path = named.path;
  UseNamedOsiAddress(named, match.destination);
  return match;
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

  // RFC 1415 §4.1: SITE <DN or UFN or name> of a directory entry (directory.cpp).
  if (!host_hint.empty() && host_hint.find("://") == std::string_view::npos) {
    absl::StatusOr<Match> by_name = MatchDirectoryHint(login, host_hint);
    if (!by_name.ok() || by_name->route != nullptr) return by_name;
  }

  const Route* route = nullptr;
  std::optional<uint16_t> port;
  // Precedence: SITE/HOST, then user@host, then the users lists, then the default.
  std::string_view named = !host_hint.empty() ? host_hint : user_host;
  if (!host_hint.empty() && host_hint.find("://") != std::string_view::npos) {
    absl::StatusOr<Destination> named = ParseDestinationUrl(host_hint);
    if (!named.ok()) return named.status();
    return MatchUrl(routes_, std::move(*named), host_hint, login, /*as_directory=*/true);
  }
  if (!host_hint.empty() || user_names_host) {
    absl::StatusOr<HostPort> host = SplitHostPort(named);
    if (!host.ok()) return host.status();
    route = RouteNamed(routes_, host->host);
    // A port the route does not lead to is another destination, which is not listed.
    if (route != nullptr && host->port.has_value()) {
      if (route->destination.scheme == Scheme::kFile) {
        // a file:// destination has no port: the name alone selects it
      } else if (!PortAllowed(*route, *host->port)) {
        route = nullptr;
      } else {
        port = host->port;
      }
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

  if (absl::Status s = AllowedUser(*route, login); !s.ok()) return s;
  Match match{route, std::string(login), route->destination, ""};
  if (port) match.destination.port = *port;
  return match;
}

absl::StatusOr<RouteTable::Match> RouteTable::ResolveUrl(std::string_view url, std::string_view user) const {
  if (user.empty()) return absl::InvalidArgumentError("empty login name");
  absl::StatusOr<Destination> named = ParseDestinationUrl(url);  // refuses credentials
  if (!named.ok()) return named.status();
  if (named->scheme != Scheme::kFile) return MatchUrl(routes_, std::move(*named), url, user, /*as_directory=*/false);
  // file:///path: the login's own route (users list, then default), a file:// one.
  absl::StatusOr<Match> match = Resolve(user, "");
  if (!match.ok()) return match.status();
  if (match->destination.scheme != Scheme::kFile)
    return absl::NotFoundError(Cat("no file:// route for user ", user));
  match->path = named->root;
  return match;
}

}  // namespace gw::route
