// The bridge's route table: which destinations a login may reach, and how.
// The bridge opens nothing that is not listed here (never an open relay).
//
// Routes are read from YAML:
//
//   routes:
//     - name: demo                    # route name; also selectable as a host name
//       hosts: [demo, localhost]      # names selecting this route via SITE/HOST/user@host
//                                     # (case-insensitive)
//       users: [demo]                 # login names routed here when no host is named
//       default: false                # true: logins not matched elsewhere come here
//       destination: file:///var/lib/gw/demo
//       accounts:                     # file:// only: local logins checked by the bridge
//         demo: "pbkdf2-sha256$100000$<salt hex>$<hash hex>"
//     - name: archive
//       hosts: [archive.example.org]
//       destination: ftps://archive.example.org:2121/pub
//       allow_users: [alice, bob]     # ftp/ftps/ftam only: who may use it; empty = everyone
//       tls: { ca: /etc/gw/archive-ca.pem, insecure: false }   # ftps only
//     - name: local-ftp               # an FTP→FTP relay to servers on this machine
//       hosts: [127.0.0.1, "::1"]
//       destination: ftp://127.0.0.1:21
//       schemes: [ftp, ftps, ftps-implicit]   # a user may ask for these by URL (SITE ftps://...)
//       ports: [21, 990, "2000-2999"]         # and name these ports (user@127.0.0.1:2121)
//       tls: { insecure: false }              # allowed: schemes lists a TLS scheme
//
// A `directory:` list beside `routes:` names FTAM (and FTP) services by name, DN and
// user-friendly name, with RFC 1278 presentation addresses and AE titles; a route leads to
// an entry with `destination: directory:NAME` (directory.h, DIRECTORY.md).
//
// Destinations: file:///abs/path, ftp://host[:port][/path], ftps://host[:port][/path]
// (explicit AUTH TLS), ftps-implicit://host[:port][/path],
// ftam://host[:port][/path][?tsel=HEX&ssel=HEX&psel=HEX&ap_title=OID&ae_qualifier=N]
// (selectors in hex, at most 64 octets; each key at most once; no query on other schemes).
// Default ports: ftp and ftps 21, ftps-implicit 990, ftam 102 (RFC 1006).
//
// `schemes` and `ports` apply to network destinations only (ftp, ftps, ftps-implicit,
// ftam). `schemes` lists ftp, ftps and ftps-implicit, or ftam alone for an ftam
// destination; the destination's own scheme is always allowed. `ports` lists ports and
// ranges, as YAML numbers or strings ("LOW-HIGH", within 1-65535); absent or empty, a user
// may name only the destination's own port, which is always allowed.
//
// Unknown keys, a route name or host claimed by two routes, a login listed in
// two routes' `users`, more than one default route, malformed password
// hashes, bad ports or schemes and keys that do not apply to the route's
// destination are all errors, reported with their line.
//
// Resolving a login (RFC 1415 §3, §4) takes, in order of precedence:
//   1. the host named by SITE or HOST (a name, host:port, or scheme://host[:port][/path]),
//   2. the host in "user@host[:port]",
//   3. the route whose `users` lists the login name,
//   4. the default route.
// A host name matches a route's name or one of its `hosts`, ignoring case (a trailing dot
// aside); IPv6 literals go in brackets when a port follows ("[::1]:2121"). Names only
// select a route: the host opened is always the destination's.
// A host, host:port or user@host[:port] keeps the route's scheme; a port it names must be
// the destination's or in the route's `ports` (a file:// route has no port: the name alone
// selects it). A URL hint (RFC 1415 §4: the user names the destination) must name a
// network route, a scheme that is the destination's or in its `schemes`, and a port that
// is allowed as above; a URL without a port means the route's own port for the route's
// own scheme and that scheme's default port for another. Its path, if any, replaces the
// route's initial directory. Credentials in a URL are refused (InvalidArgument; RFC 1415
// §11: they come from the user's login). Whatever else the user names is not listed:
// NotFound "no route for ...", whether the host, the port or the scheme was refused.
// `allow_users` applies however the route was chosen.
#ifndef GW_BRIDGE_ROUTE_ROUTE_TABLE_H_
#define GW_BRIDGE_ROUTE_ROUTE_TABLE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gw::route {

struct DirectoryEntry;  // directory.h
struct CalledAddress;   // directory.h

enum class Scheme { kFile, kFtp, kFtps, kFtpsImplicit, kFtam };

struct Destination {
  Scheme scheme = Scheme::kFile;
  std::string url;            // as written in the route table
  std::string root;           // file: the directory served (absolute, percent-decoded)
  std::string host;           // network schemes: host name or IP literal (no brackets)
  uint16_t port = 0;          // network schemes: the port, defaulted per scheme; file: 0
  bool port_named = false;    // the URL wrote the port (else it is the scheme's default)
  std::string path;           // network schemes: initial directory ("" if none)
  std::string tls_ca;         // ftps: CA bundle to verify the server with ("" = system)
  bool tls_insecure = false;  // ftps: skip certificate verification
  // ftam: OSI addressing, from the URL's query (?tsel=0103&ssel=..&psel=..&ap_title=OID
  // &ae_qualifier=N) or a directory entry (see presentation_address.h, DIRECTORY.md).
  // Selectors are octets, "" = none; the called AP title is a dotted OID, "" = none.
  std::string tsel;
  std::string ssel;
  std::string psel;
  std::string ap_title;
  std::optional<int64_t> ae_qualifier;
};

struct Route {
  std::string name;
  std::vector<std::string> hosts;
  std::vector<std::string> users;
  bool is_default = false;
  Destination destination;
  // file:// routes: login name -> password hash (see HashPassword).
  std::map<std::string, std::string, std::less<>> accounts;
  // Network routes: login names allowed to use the route; empty = all.
  std::vector<std::string> allow_users;
  // Network routes: the schemes a user may ask for with a URL hint ("SITE ftps://host");
  // the destination's own scheme is always allowed.
  std::vector<Scheme> schemes;
  // Network routes: the port ranges a user may name (user@host:port, SITE host:port, a URL);
  // empty = only the destination's own port.
  std::vector<std::pair<uint16_t, uint16_t>> ports;
  // The directory entry the route leads to (`destination: directory:NAME`), "" if none;
  // `destination` is then the entry's.
  std::string directory_entry;
};

// Parses a destination URL as described above (TLS settings are not part of
// the URL and are left at their defaults). InvalidArgument on anything else,
// including credentials in the URL and ports outside 1-65535.
absl::StatusOr<Destination> ParseDestinationUrl(std::string_view url);

class RouteTable {
 public:
  RouteTable() = default;  // no routes: every login is refused

  // InvalidArgument ("line N: ...") for syntax errors, unknown keys and
  // inconsistent routes.
  static absl::StatusOr<RouteTable> FromYaml(std::string_view yaml_text);
  // As FromYaml, with the file's path in error messages.
  static absl::StatusOr<RouteTable> FromFile(const std::string& path);

  struct Match {
    const Route* route;  // points into this table
    std::string login;   // the login name without any "@host[:port]"
    // The effective destination, the one to open: a copy of the route's, with the scheme
    // and port the user named and, for a URL hint, its path as the initial directory.
    // `url` stays the route's, as written in the table. For file:// routes, the route's
    // destination unchanged.
    Destination destination;
    // The path named in a URL target or hint ("" if none), percent-decoded: for a hint,
    // the initial directory that replaced the route's in `destination`; for a one-shot
    // target (ResolveUrl), the file or directory the call acts on, inside the destination.
    std::string path;
  };
  // Resolves a login: `user` is "name" or "name@host[:port]" (the host follows the last
  // '@'), `host_hint` the host or URL named by SITE or HOST ("" if none). A hint that names
  // no route as a host may name a directory entry a route leads to: by its name, its
  // distinguished name or a user-friendly name (RFC 1415 §3, §4.1; DIRECTORY.md).
  //   NotFound         "no route for host X" (a host, or a port it does not allow),
  //                    "no route for <url>" (a URL hint: host, scheme or port not allowed),
  //                    "no route for user X" (no users list and no default route)
  //   PermissionDenied "user X may not use destination Y" (allow_users)
  //                    "ambiguous name X: matches A, B" (a directory name, candidates listed)
  //                    "no directory entry for X" (a DN or UFN no reachable entry has)
  //   InvalidArgument  empty login or host names, a malformed port or URL, credentials in
  //                    a URL (not repeated in the message), a malformed DN
  // For file:// routes, whether the login exists is left to CheckAccount, so
  // that unknown and known names are refused alike.
  absl::StatusOr<Match> Resolve(std::string_view user, std::string_view host_hint) const;

  // A one-shot call's target (RFC 1415 §4 applied to scripts):
  //   "ftp://host[:port]/path" (and ftps, ftps-implicit, ftam) selects the route exactly
  //   as the same URL given as a hint would, with the login `user` taken whole (the URL
  //   names the host, so an '@' belongs to the login); Match::path is the URL's path and
  //   destination.path stays the route's initial directory;
  //   "file:///path" selects the route as Resolve(user, "") does ("name" by the users
  //   list, then the default route; "name@route" by that route's name or hosts), which
  //   must be a file:// route (else NotFound "no file:// route for user X"); Match::path
  //   is the path inside that route's root.
  // InvalidArgument for anything but such a URL; other errors as Resolve.
  absl::StatusOr<Match> ResolveUrl(std::string_view url, std::string_view user) const;

  // An FTAM-initiated session (RFC 1415 §4.2, §9.3): the called AE title, or the called
  // presentation selectors, may name a directory entry that a route leads to. In order:
  //   1. entries whose ae_title is the called AP title (and whose ae_qualifier, if it has
  //      one, is the called one);
  //   2. entries whose selectors (from presentation_address, else from an ftam:// URL;
  //      at least one of them not empty) are the called psel, ssel and tsel, all three;
  //   3. nothing named: Resolve(user, "") (user@host, the users lists, the default).
  // Only entries a route names take part. When the called address names an entry, `user`
  // is the login whole (an '@' in it belongs to the login).
  //   NotFound        "ambiguous called address: matches A, B" (two entries match)
  //   otherwise as Resolve (allow_users applies).
  absl::StatusOr<Match> ResolveCalled(std::string_view user, const CalledAddress& called) const;

  const std::vector<Route>& routes() const { return routes_; }
  // The directory (RFC 1415 §3), entries in table order; see directory.h.
  const std::vector<DirectoryEntry>& directory() const;
  // The directory entry a route leads to (Route::directory_entry), nullptr if none: its
  // AE title, presentation address and names, e.g. for the FTAM association or a log line.
  const DirectoryEntry* EntryOf(const Route& route) const;

 private:
  RouteTable(std::vector<Route> routes, std::vector<DirectoryEntry> directory);

  // SITE/HOST naming a directory entry (directory.cpp): a Match whose route is nullptr when
  // `hint` is no directory name (a host or route name, or a host:port), or names no entry.
  absl::StatusOr<Match> MatchDirectoryHint(std::string_view login, std::string_view hint) const;

  std::vector<Route> routes_;
  std::shared_ptr<const std::vector<DirectoryEntry>> directory_;
};

// "pbkdf2-sha256$100000$<salt hex>$<hash hex>": PBKDF2-HMAC-SHA256 with a
// random 16-byte salt, 100000 iterations and a 32-byte result.
std::string HashPassword(std::string_view password);
// True if `password` matches `encoded` (compared in constant time); false for
// malformed hashes.
bool VerifyPassword(std::string_view encoded, std::string_view password);
// For file:// routes: OK if `login` is one of the route's accounts and the
// password matches; otherwise PermissionDenied "login incorrect", the same
// for an unknown login as for a wrong password. FailedPrecondition for
// routes whose logins are checked by the destination itself.
absl::Status CheckAccount(const Route& route, std::string_view login, std::string_view password);
// For a login name no route knows: the same work as CheckAccount for a wrong password,
// and the same PermissionDenied "login incorrect", so that the answer tells nobody which
// names exist.
absl::Status RefuseUnknownLogin(std::string_view password);

}  // namespace gw::route

#endif  // GW_BRIDGE_ROUTE_ROUTE_TABLE_H_
