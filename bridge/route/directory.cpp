// The directory (RFC 1415 §3): names, distinguished names and user-friendly names of the
// entries routes lead to, and the called addresses of FTAM-initiated sessions. Contract in
// directory.h and DIRECTORY.md.
#include "bridge/route/directory.h"

#include <algorithm>

#include "bridge/route/internal.h"

namespace gw::route {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// "..." around the whole name, as FTP clients need for names with spaces.
std::string_view Unquote(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = Trim(text.substr(1, text.size() - 2));
  return text;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Attribute types: ignoring case, the long forms of the usual ones as their short forms.
std::string AttributeType(std::string_view type) {
  std::string lower;
  for (char c : Trim(type)) lower.push_back(Lower(c));
  struct Alias {
    std::string_view long_form, short_form;
  };
  constexpr Alias kAliases[] = {
      {"countryname", "c"},        {"organizationname", "o"}, {"organizationalunitname", "ou"},
      {"commonname", "cn"},        {"localityname", "l"},     {"stateorprovincename", "st"},
      {"streetaddress", "street"},
  };
  for (const Alias& alias : kAliases)
    if (lower == alias.long_form) return std::string(alias.short_form);
  return lower;
}

bool IsAttributeType(std::string_view type) {
  return !type.empty() && std::all_of(type.begin(), type.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

absl::Status CheckName(std::string_view text, std::string_view what) {
  if (text.size() > kMaxDirectoryNameLength)
    return absl::InvalidArgumentError(Cat(what, " longer than ", kMaxDirectoryNameLength, " characters"));
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return absl::InvalidArgumentError(Cat(what, " with a control character"));
  }
  return absl::OkStatus();
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

// What messages show of a name a user typed: bounded.
std::string Shown(std::string_view text) {
  return text.size() <= 120 ? std::string(text) : Cat(text.substr(0, 120), "...");
}

bool SameDn(const DistinguishedName& a, const DistinguishedName& b, size_t count) {
  if (a.size() < count || b.size() < count) return false;
  for (size_t i = 0; i < count; ++i) {
    if (a[i].type != b[i].type || NormalizeNameValue(a[i].value) != NormalizeNameValue(b[i].value))
      return false;
  }
  return true;
}

// One UFN component against one RDN: "value", or "type=value" (RFC 1781 allows typed
// components).
bool ComponentMatches(std::string_view component, const Rdn& rdn) {
  size_t eq = component.find('=');
  if (eq != std::string_view::npos) {
    if (AttributeType(component.substr(0, eq)) != rdn.type) return false;
    component = component.substr(eq + 1);
  }
  return NormalizeNameValue(component) == NormalizeNameValue(rdn.value);
}

// The UFN's components, most specific first, are found in the DN in order from the most
// specific side, levels may be left out (RFC 1415 §4.1: "netwrx1, Open Networks, us" for
// @c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service). `leaf`: the most
// specific component is the DN's last RDN.
bool UfnMatches(const std::vector<std::string>& ufn, const DistinguishedName& dn, bool* leaf) {
  if (ufn.empty() || dn.empty()) return false;
  size_t next = dn.size();  // RDNs at [0, next) remain, searched from the end
  for (size_t i = 0; i < ufn.size(); ++i) {
    bool found = false;
    while (next > 0) {
      --next;
      if (ComponentMatches(ufn[i], dn[next])) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  // Leaf: the most specific component can match the last RDN (the greedy search takes the
  // deepest match for it).
  *leaf = ComponentMatches(ufn.front(), dn.back());
  return true;
}

bool SameUfn(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (NormalizeNameValue(a[i]) != NormalizeNameValue(b[i])) return false;
  return true;
}

struct Reachable {
  const DirectoryEntry* entry;
  const Route* route;
};

std::string Described(const DirectoryEntry& entry) {
  return entry.dn.empty() ? entry.name : Cat(entry.name, " (", FormatDistinguishedName(entry.dn), ")");
}

absl::Status Ambiguous(std::string_view what, const std::vector<Reachable>& matches) {
  std::string list;
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < matches.size() && i < kShown; ++i)
    list = Cat(list, i == 0 ? "" : ", ", Described(*matches[i].entry));
  if (matches.size() > kShown) list = Cat(list, " and ", matches.size() - kShown, " more");
  return absl::NotFoundError(Cat("ambiguous ", what, ": matches ", list));
}

// The entry's selectors, for a called presentation address: from its presentation address,
// else from its ftam:// URL.
void SelectorsOf(const DirectoryEntry& entry, std::string_view* psel, std::string_view* ssel,
                 std::string_view* tsel) {
  if (entry.presentation_address) {
    *psel = entry.presentation_address->psel;
    *ssel = entry.presentation_address->ssel;
    *tsel = entry.presentation_address->tsel;
  } else {
    *psel = entry.destination.psel;
    *ssel = entry.destination.ssel;
    *tsel = entry.destination.tsel;
  }
}

}  // namespace

std::string NormalizeNameValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : Trim(value)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(Lower(c));
  }
  return out;
}

absl::StatusOr<DistinguishedName> ParseDistinguishedName(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return absl::InvalidArgumentError(Cat("bad distinguished name \"", Shown(text), "\": ", why));
  };
  if (absl::Status s = CheckName(text, "distinguished name"); !s.ok()) return s;
  std::string_view name = Unquote(text);
  if (name.empty()) return bad("empty");
  std::vector<std::string_view> parts;
  bool reversed = false;
  if (name.find('@') != std::string_view::npos) {
    if (name.front() == '@') name.remove_prefix(1);  // RFC 1415 §4.1 writes a leading '@'
    parts = Split(name, '@');
  } else {
    parts = Split(name, ',');  // RFC 1779: most specific first
    reversed = true;
  }
  if (parts.size() > kMaxNameComponents) return bad(Cat("more than ", kMaxNameComponents, " components"));
  DistinguishedName dn;
  for (std::string_view part : parts) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) return bad(Cat("\"", Shown(Trim(part)), "\" is not type=value"));
    std::string type = AttributeType(part.substr(0, eq));
    std::string_view value = Trim(part.substr(eq + 1));
    if (!IsAttributeType(type)) return bad(Cat("bad attribute type \"", Shown(Trim(part.substr(0, eq))), "\""));
    if (value.empty()) return bad(Cat("empty value for ", type));
    dn.push_back({std::move(type), std::string(value)});
  }
  if (reversed) std::reverse(dn.begin(), dn.end());
  return dn;
}

std::string FormatDistinguishedName(const DistinguishedName& dn) {
  std::string out;
  for (const Rdn& rdn : dn) out = Cat(out, "@", rdn.type, "=", rdn.value);
  return out;
}

absl::StatusOr<std::vector<std::string>> ParseUserFriendlyName(std::string_view text) {
  if (absl::Status s = CheckName(text, "name"); !s.ok()) return s;
  std::string_view name = Unquote(text);
  std::vector<std::string_view> parts = Split(name, ',');
  if (parts.size() > kMaxNameComponents)
    return absl::InvalidArgumentError(Cat("name \"", Shown(text), "\" has more than ", kMaxNameComponents, " components"));
  std::vector<std::string> components;
  for (std::string_view part : parts) {
    part = Trim(part);
    if (part.empty())
      return absl::InvalidArgumentError(Cat("bad name \"", Shown(text), "\": empty component"));
    components.emplace_back(part);
  }
  return components;
}

const std::vector<DirectoryEntry>& RouteTable::directory() const {
  static const std::vector<DirectoryEntry> kNone;
  return directory_ ? *directory_ : kNone;
}

const DirectoryEntry* RouteTable::EntryOf(const Route& route) const {
  if (route.directory_entry.empty()) return nullptr;
  for (const DirectoryEntry& entry : directory())
    if (entry.name == route.directory_entry) return &entry;
  return nullptr;
}

RouteTable::RouteTable(std::vector<Route> routes, std::vector<DirectoryEntry> directory)
    : routes_(std::move(routes)),
      directory_(std::make_shared<const std::vector<DirectoryEntry>>(std::move(directory))) {}

absl::StatusOr<RouteTable::Match> RouteTable::MatchDirectoryHint(std::string_view login,
                                                                 std::string_view hint) const {
  // Only entries a route leads to take part: the directory names, it does not add.
  std::vector<Reachable> reachable;
  for (const Route& route : routes_) {
    if (const DirectoryEntry* entry = EntryOf(route)) reachable.push_back({entry, &route});
  }
  const std::string_view name = Unquote(hint);
  const bool typed = name.find('=') != std::string_view::npos;
  const bool plain = !typed && name.find(',') == std::string_view::npos && name.size() == Trim(hint).size();
  // The route the entry found leads to, chosen as SITE <route name> chooses it (allow_users
  // and its message included).
  auto chosen = [&](const Reachable& found) {
    return Resolve(Cat(login, "@", found.route->name), found.route->name);
  };
  if (plain) {
    // A host or route name, or host:port, keeps its meaning: the directory comes after.
    if (name.empty() || name.find(':') != std::string_view::npos) return Match{};
    std::string_view host = name;
    if (host.size() > 1 && host.back() == '.') host.remove_suffix(1);
    for (const Route& route : routes_) {
      if (EqualsIgnoreCase(route.name, host)) return Match{};
      for (const std::string& h : route.hosts)
        if (EqualsIgnoreCase(h, host)) return Match{};
    }
    for (const Reachable& r : reachable)
      if (EqualsIgnoreCase(r.entry->name, name)) return chosen(r);
  }
  if (typed) {
    absl::StatusOr<DistinguishedName> dn = ParseDistinguishedName(hint);
    if (dn.ok()) {
      // The DN itself, else the one entry below it (a partial DN, resolved when unambiguous).
      std::vector<Reachable> below;
      for (const Reachable& r : reachable) {
        if (r.entry->dn.size() == dn->size() && SameDn(r.entry->dn, *dn, dn->size())) return chosen(r);
        if (SameDn(r.entry->dn, *dn, dn->size())) below.push_back(r);
      }
      if (below.size() == 1) return chosen(below.front());
      if (below.size() > 1) return Ambiguous(Cat("name \"", Shown(name), "\""), below);
      return absl::NotFoundError(Cat("no directory entry for \"", Shown(name), "\""));
    }
    // Typed components among untyped ones ("netwrx1, o=Open Networks"): a UFN.
    if (name.find('@') != std::string_view::npos || name.find(',') == std::string_view::npos)
      return dn.status();
  }
  absl::StatusOr<std::vector<std::string>> ufn = ParseUserFriendlyName(hint);
  if (!ufn.ok()) return ufn.status();
  // An alias the table gives, then the UFN matched against the DNs (RFC 1415 §3, §4.1),
  // preferring entries whose last RDN the most specific component names.
  std::vector<Reachable> aliased, matched, leaves;
  for (const Reachable& r : reachable) {
    for (const std::vector<std::string>& alias : r.entry->ufn)
      if (SameUfn(alias, *ufn)) {
        aliased.push_back(r);
        break;
      }
    bool leaf = false;
    if (UfnMatches(*ufn, r.entry->dn, &leaf)) {
      matched.push_back(r);
      if (leaf) leaves.push_back(r);
    }
  }
  const std::string what = Cat("name \"", Shown(name), "\"");
  if (aliased.size() == 1) return chosen(aliased.front());
  if (aliased.size() > 1) return Ambiguous(what, aliased);
  if (matched.size() == 1) return chosen(matched.front());
  if (leaves.size() == 1) return chosen(leaves.front());
  if (matched.size() > 1) return Ambiguous(what, matched);
  if (plain) return Match{};  // a plain name that is nothing: "no route for host X"
  return absl::NotFoundError(Cat("no directory entry for \"", Shown(name), "\""));
}

absl::StatusOr<RouteTable::Match> RouteTable::ResolveCalled(std::string_view user,
                                                            const CalledAddress& called) const {
  if (user.empty()) return absl::InvalidArgumentError("empty login name");
  std::vector<Reachable> reachable;
  for (const Route& route : routes_) {
    if (const DirectoryEntry* entry = EntryOf(route)) reachable.push_back({entry, &route});
  }
  auto chosen = [&](const std::vector<Reachable>& matches) -> absl::StatusOr<Match> {
    if (matches.size() > 1) return Ambiguous("called address", matches);
    // The called address names the destination, so an '@' in the login belongs to it.
    return Resolve(Cat(user, "@", matches.front().route->name), matches.front().route->name);
  };
  // 1. The called AE title (ISO 8650 AP title and AE qualifier).
  if (!called.ap_title.empty()) {
    std::vector<Reachable> matches;
    for (const Reachable& r : reachable) {
      if (r.entry->ae_title == called.ap_title &&
          (!r.entry->ae_qualifier || r.entry->ae_qualifier == called.ae_qualifier))
        matches.push_back(r);
    }
    if (!matches.empty()) return chosen(matches);
  }
  // 2. The called presentation selectors, all three, of entries that have any. An FTAM
  // responder's entry holds the responder's own selectors, not the gateway's: it is never
  // reached this way (a gateway listed as a responder would otherwise call itself).
  if (!called.psel.empty() || !called.ssel.empty() || !called.tsel.empty()) {
    std::vector<Reachable> matches;
    for (const Reachable& r : reachable) {
      if (r.entry->destination.scheme == Scheme::kFtam) continue;
      std::string_view psel, ssel, tsel;
      SelectorsOf(*r.entry, &psel, &ssel, &tsel);
      if ((!psel.empty() || !ssel.empty() || !tsel.empty()) && psel == called.psel &&
          ssel == called.ssel && tsel == called.tsel)
        matches.push_back(r);
    }
    if (!matches.empty()) return chosen(matches);
  }
  // 3. The login names the destination (user@host), or the route policy does.
  return Resolve(user, "");
}

}  // namespace gw::route
