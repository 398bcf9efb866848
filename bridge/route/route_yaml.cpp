// Reading the route table from YAML (format in route_table.h).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "bridge/route/directory.h"
#include "bridge/route/internal.h"
#include "bridge/route/route_table.h"
#include "bridge/route/yaml_util.h"

namespace gw::route {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

absl::StatusOr<bool> BoolOf(const YAML::Node& node, std::string_view what) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    return ErrorAt(node, Cat(what, " must be true or false"));
  }
  return value;
}

// A list of names, each checked by `valid`; null (a key with no value) is empty.
absl::StatusOr<std::vector<std::string>> NameListOf(const YAML::Node& node, std::string_view what,
                                                    bool (*valid)(std::string_view)) {
  std::vector<std::string> names;
  if (node.IsNull()) return names;
  if (!node.IsSequence()) return ErrorAt(node, Cat(what, " must be a list, e.g. [a, b]"));
  for (const YAML::Node& item : node) {
    absl::StatusOr<std::string> name = ScalarOf(item, Cat("each entry of ", what));
    if (!name.ok()) return name.status();
    if (!valid(*name)) return ErrorAt(item, Cat("invalid entry \"", *name, "\" in ", what));
    names.push_back(std::move(*name));
  }
  return names;
}

bool IsValidHostName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsNameChar(c) && c != ':') return false;  // ':' for IPv6 literals
  }
  return true;
}

bool IsValidLoginName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '@') return false;
  }
  return true;
}

absl::Status ParseTls(const YAML::Node& node, Destination& destination) {
  return ForEachKey(
      node, "tls", {"ca", "insecure"},
      [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> absl::Status {
        if (key == "ca") {
          absl::StatusOr<std::string> ca = ScalarOf(value, "tls.ca");
          if (!ca.ok()) return ca.status();
          destination.tls_ca = std::move(*ca);
        } else {
          absl::StatusOr<bool> insecure = BoolOf(value, "tls.insecure");
          if (!insecure.ok()) return insecure.status();
          destination.tls_insecure = *insecure;
        }
        return absl::OkStatus();
      });
}

absl::Status ParseAccounts(const YAML::Node& node, Route& route) {
  if (node.IsNull()) return absl::OkStatus();
  return ForEachKey(
      node, "accounts", {},
      [&](const std::string& login, const YAML::Node& key,
          const YAML::Node& value) -> absl::Status {
        if (!IsValidLoginName(login))
          return ErrorAt(key, Cat("invalid account name \"", login, "\""));
        absl::StatusOr<std::string> hash = ScalarOf(value, Cat("the password hash of ", login));
        if (!hash.ok()) return hash.status();
        // The hash itself is not repeated in the message.
        if (!IsWellFormedPasswordHash(*hash)) {
          return ErrorAt(value,
                         Cat("malformed password hash for account \"", login,
                             "\" (expected pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>)"));
        }
        route.accounts.emplace(login, std::move(*hash));
        return absl::OkStatus();
      });
}

bool IsTlsScheme(Scheme scheme) {
  return scheme == Scheme::kFtps || scheme == Scheme::kFtpsImplicit;
}

// schemes: [ftp, ftps, ftps-implicit]: what a user may ask for with a URL hint. FTP
// schemes mix; ftam stands alone (another protocol, another front).
absl::Status ParseSchemes(const YAML::Node& node, Route& route, const std::string& in_route) {
  const Scheme own = route.destination.scheme;
  if (own == Scheme::kFile)
    return ErrorAt(node, Cat("schemes does not apply to file:// destinations", in_route));
  if (node.IsNull()) return absl::OkStatus();  // a key without a value: as if absent
  if (!node.IsSequence()) return ErrorAt(node, "schemes must be a list, e.g. [ftp, ftps]");
  for (const YAML::Node& item : node) {
    absl::StatusOr<std::string> name = ScalarOf(item, "each entry of schemes");
    if (!name.ok()) return name.status();
    const std::string lower = Lower(*name);  // ignoring case, as in URLs
    std::optional<Scheme> scheme;
    if (lower == "ftp") scheme = Scheme::kFtp;
    else if (lower == "ftps") scheme = Scheme::kFtps;
    else if (lower == "ftps-implicit") scheme = Scheme::kFtpsImplicit;
    else if (lower == "ftam") scheme = Scheme::kFtam;
    if (!scheme)
      return ErrorAt(item, Cat("unknown scheme \"", *name, "\" in schemes (expected ftp, ftps, ftps-implicit or ftam)"));
    if ((*scheme == Scheme::kFtam) != (own == Scheme::kFtam))
      return ErrorAt(item, Cat("scheme ", *name, " cannot reach the destination", in_route,
                               " (ftam and the ftp schemes do not mix)"));
    route.schemes.push_back(*scheme);
  }
  return absl::OkStatus();
}

// ports: [21, "2000-2999"]: the ports a user may name.
absl::Status ParsePorts(const YAML::Node& node, Route& route, const std::string& in_route) {
  if (route.destination.scheme == Scheme::kFile)
    return ErrorAt(node, Cat("ports does not apply to file:// destinations", in_route));
  if (node.IsNull()) return absl::OkStatus();  // a key without a value: as if absent
  if (!node.IsSequence()) return ErrorAt(node, "ports must be a list, e.g. [21, \"2000-2999\"]");
  auto number = [](std::string_view s) -> std::optional<uint16_t> {
    if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != s.npos) return std::nullopt;
    uint32_t v = 0;
    for (char c : s) v = v * 10 + static_cast<uint32_t>(c - '0');
    if (v == 0 || v > 65535) return std::nullopt;
    return static_cast<uint16_t>(v);
  };
  for (const YAML::Node& item : node) {
    if (!item.IsScalar())
      return ErrorAt(item, "each entry of ports must be a port or a range, e.g. 21 or \"2000-2999\"");
    const std::string text = item.Scalar();
    std::string_view s = text;
    size_t dash = s.find('-');
    std::optional<uint16_t> lo = number(s.substr(0, dash));
    std::optional<uint16_t> hi = dash == s.npos ? lo : number(s.substr(dash + 1));
    if (!lo || !hi) return ErrorAt(item, Cat("bad port or range \"", s, "\" in ports (1-65535, or LOW-HIGH)"));
    if (*lo > *hi) return ErrorAt(item, Cat("empty port range \"", s, "\" in ports"));
    route.ports.emplace_back(*lo, *hi);
  }
  return absl::OkStatus();
}

// destination: directory:NAME, a route to a directory entry (DIRECTORY.md): true and the
// entry's destination when `url` is such a reference.
absl::StatusOr<bool> UseDirectoryEntry(const YAML::Node& node, std::string_view url,
                                       const std::vector<DirectoryEntry>& directory, Route& route) {
  constexpr std::string_view kPrefix = "directory:";
  if (url.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view name = url.substr(kPrefix.size());
  for (const DirectoryEntry& entry : directory) {
    if (EqualsIgnoreCase(entry.name, name)) {
      route.destination = entry.destination;
      route.directory_entry = entry.name;
      return true;
    }
  }
  return ErrorAt(node, Cat("no directory entry \"", name, "\" (list it under directory:)"));
}

absl::StatusOr<Route> ParseRoute(const YAML::Node& node, const std::vector<DirectoryEntry>& directory) {
  Route route;
  std::optional<YAML::Node> destination_node, accounts_node, allow_node, tls_node, schemes_node, ports_node;
  absl::Status status = ForEachKey(
      node, "a route",
      {"name", "hosts", "users", "default", "destination", "accounts", "allow_users", "tls", "schemes",
       "ports"},
      [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> absl::Status {
        if (key == "name") {
          absl::StatusOr<std::string> name = ScalarOf(value, "name");
          if (!name.ok()) return name.status();
          if (name->empty() || !std::all_of(name->begin(), name->end(), IsNameChar)) {
            return ErrorAt(value, Cat("invalid route name \"", *name,
                                      "\" (letters, digits, '.', '-' and '_' only)"));
          }
          route.name = std::move(*name);
        } else if (key == "hosts" || key == "users") {
          bool hosts = key == "hosts";
          absl::StatusOr<std::vector<std::string>> names =
              NameListOf(value, key, hosts ? IsValidHostName : IsValidLoginName);
          if (!names.ok()) return names.status();
          (hosts ? route.hosts : route.users) = std::move(*names);
        } else if (key == "default") {
          absl::StatusOr<bool> is_default = BoolOf(value, "default");
          if (!is_default.ok()) return is_default.status();
          route.is_default = *is_default;
        } else if (key == "destination") {
          destination_node = value;
        } else if (key == "accounts") {
          accounts_node = value;
        } else if (key == "allow_users") {
          allow_node = value;
        } else if (key == "schemes") {
          schemes_node = value;
        } else if (key == "ports") {
          ports_node = value;
        } else {
          tls_node = value;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (route.name.empty()) return ErrorAt(node, "route without a name");
  std::string in_route = Cat(" in route \"", route.name, "\"");
  if (!destination_node) return ErrorAt(node, Cat("missing destination", in_route));

  absl::StatusOr<std::string> url = ScalarOf(*destination_node, "destination");
  if (!url.ok()) return url.status();
  absl::StatusOr<bool> is_entry = UseDirectoryEntry(*destination_node, *url, directory, route);
  if (!is_entry.ok()) return is_entry.status();
  if (!*is_entry) {
    absl::StatusOr<Destination> destination = ParseDestinationUrl(*url);
    if (!destination.ok())
      return ErrorAt(*destination_node, std::string(destination.status().message()));
    route.destination = std::move(*destination);
  }
  Scheme scheme = route.destination.scheme;

  if (accounts_node) {
    if (scheme != Scheme::kFile) {
      return ErrorAt(*accounts_node, Cat("accounts apply only to file:// destinations", in_route,
                                         " (other destinations check logins themselves)"));
    }
    if (absl::Status s = ParseAccounts(*accounts_node, route); !s.ok()) return s;
  }
  if (allow_node) {
    if (scheme == Scheme::kFile) {
      return ErrorAt(*allow_node, Cat("allow_users does not apply to file:// destinations",
                                      in_route, " (list the logins under accounts)"));
    }
    absl::StatusOr<std::vector<std::string>> allowed =
        NameListOf(*allow_node, "allow_users", IsValidLoginName);
    if (!allowed.ok()) return allowed.status();
    route.allow_users = std::move(*allowed);
  }
  if (schemes_node) {
    if (absl::Status s = ParseSchemes(*schemes_node, route, in_route); !s.ok()) return s;
  }
  if (ports_node) {
    if (absl::Status s = ParsePorts(*ports_node, route, in_route); !s.ok()) return s;
  }
  if (tls_node) {
    if (!IsTlsScheme(scheme) &&
        std::none_of(route.schemes.begin(), route.schemes.end(), IsTlsScheme)) {
      return ErrorAt(*tls_node, Cat("tls applies only to ftps:// and ftps-implicit:// destinations",
                                    in_route));
    }
    if (absl::Status s = ParseTls(*tls_node, route.destination); !s.ok()) return s;
  }
  return route;
}

// Refuses tables in which a host, a login or the default would select two
// routes.
absl::Status CheckUnambiguous(const std::vector<Route>& routes,
                              const std::vector<YAML::Node>& nodes) {
  std::map<std::string, std::vector<const Route*>> by_host;
  std::map<std::string, const Route*, std::less<>> by_user;
  const Route* default_route = nullptr;
  std::map<std::string, const Route*> by_entry;
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& route = routes[i];
    if (!route.directory_entry.empty()) {
      auto [it, inserted] = by_entry.emplace(route.directory_entry, &route);
      if (!inserted)
        return ErrorAt(nodes[i], Cat("route \"", route.name, "\": directory entry \"", route.directory_entry,
                                     "\" is already the destination of route \"", it->second->name, "\""));
    }
    std::vector<std::string> names = route.hosts;
    names.push_back(route.name);
    // Two routes may share a host name only when no scheme leads to both: an FTAM route and
    // an FTP one for the same machine ("SITE ftam://127.0.0.1/" and "USER a@127.0.0.1"); a
    // plain name then selects the one listed first.
    auto schemes_of = [](const Route& r) {
      std::set<Scheme> s(r.schemes.begin(), r.schemes.end());
      s.insert(r.destination.scheme);
      return s;
    };
    for (const std::string& name : names) {
      auto& seen = by_host[Lower(name)];
      for (const Route* other : seen) {
        if (other == &route) continue;
        auto a = schemes_of(*other), b = schemes_of(route);
        bool disjoint = std::none_of(a.begin(), a.end(), [&](Scheme x) { return b.count(x) > 0; });
        if (!disjoint || other->destination.scheme == Scheme::kFile || route.destination.scheme == Scheme::kFile)
          return ErrorAt(nodes[i], Cat("route \"", route.name, "\": host name \"", name,
                                       "\" already selects route \"", other->name, "\""));
      }
      if (std::find(seen.begin(), seen.end(), &route) == seen.end()) seen.push_back(&route);
    }
    for (const std::string& user : route.users) {
      auto [it, inserted] = by_user.emplace(user, &route);
      if (!inserted && it->second != &route) {
        return ErrorAt(nodes[i], Cat("route \"", route.name, "\": user \"", user,
                                     "\" is already routed to \"", it->second->name, "\""));
      }
    }
    if (route.is_default) {
      if (default_route != nullptr) {
        return ErrorAt(nodes[i],
                       Cat("route \"", route.name, "\": only one route may be the default (\"",
                           default_route->name, "\" already is)"));
      }
      default_route = &route;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::FromYaml(std::string_view yaml_text) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return absl::InvalidArgumentError(e.msg);
    return absl::InvalidArgumentError(
        Cat("line ", e.mark.line + 1, ", column ", e.mark.column + 1, ": ", e.msg));
  }
  if (!document.IsDefined() || document.IsNull()) {
    return absl::InvalidArgumentError("empty route table: expected a \"routes\" list");
  }
  try {
    std::optional<YAML::Node> routes_node, directory_node;
    absl::Status status = ForEachKey(
        document, "the route table", {"routes", "directory"},
        [&](const std::string& key, const YAML::Node&, const YAML::Node& value) -> absl::Status {
          (key == "routes" ? routes_node : directory_node) = value;
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    if (!routes_node) return ErrorAt(document, "missing \"routes\" list");
    std::vector<DirectoryEntry> directory;
    if (directory_node) {
      absl::StatusOr<std::vector<DirectoryEntry>> parsed = ParseDirectory(*directory_node);
      if (!parsed.ok()) return parsed.status();
      directory = std::move(*parsed);
    }
    std::vector<Route> routes;
    std::vector<YAML::Node> nodes;
    if (!routes_node->IsNull()) {
      if (!routes_node->IsSequence()) return ErrorAt(*routes_node, "\"routes\" must be a list");
      for (const YAML::Node& node : *routes_node) {
        absl::StatusOr<Route> route = ParseRoute(node, directory);
        if (!route.ok()) return route.status();
        routes.push_back(std::move(*route));
        nodes.push_back(node);
      }
    }
    if (absl::Status s = CheckUnambiguous(routes, nodes); !s.ok()) return s;
    return RouteTable(std::move(routes), std::move(directory));
  } catch (const YAML::Exception& e) {
    // Not expected: every conversion above is checked first.
    return absl::InvalidArgumentError(Cat("route table: ", e.what()));
  }
}

absl::StatusOr<RouteTable> RouteTable::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    return absl::Status(absl::ErrnoToStatusCode(err),
                        Cat("cannot read route table ", path, ": ", std::strerror(err)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  absl::StatusOr<RouteTable> table = FromYaml(text.str());
  if (!table.ok()) {
    return absl::Status(table.status().code(), Cat(path, ": ", table.status().message()));
  }
  return table;
}

}  // namespace gw::route
