// The bridge's directory (RFC 1415 §3): the static table that stands in for the OSI
// Directory, read from the `directory:` section of the route table's YAML file. It maps a
// name, a distinguished name or a user-friendly name (RFC 1415 §4.1) to a destination, and
// a called AE title or presentation selectors (RFC 1415 §4.2) to the same. Contract and
// examples: bridge/route/DIRECTORY.md.
//
// Entries are reachable only through a route that names them (`destination:
// directory:NAME`): the directory adds names, never destinations (no open relay).
#ifndef GW_BRIDGE_ROUTE_DIRECTORY_H_
#define GW_BRIDGE_ROUTE_DIRECTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bridge/route/presentation_address.h"
#include "bridge/route/route_table.h"

namespace gw::route {

// One relative distinguished name: an attribute type (lower case, the short form for the
// usual ones: c, o, ou, cn, l, st, street) and its value as written.
struct Rdn {
  std::string type;
  std::string value;
};
// Most significant first, as RFC 1415 writes them ("@c=US@o=Open Networks@...").
using DistinguishedName = std::vector<Rdn>;

inline constexpr size_t kMaxDirectoryNameLength = 1024;
inline constexpr size_t kMaxNameComponents = 32;

// "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service" (RFC 1415 §4.1;
// the leading '@' optional, the whole in double quotes or not), or the RFC 1779 form
// "cn=FTAM service, cn=netwrx1, ou=Network Services, o=Open Networks, c=US" (most specific
// first). Attribute types ignore case and may be written long ("commonName"). InvalidArgument
// for anything else (a component without "type=", an empty value, control characters, more
// than kMaxNameComponents components or kMaxDirectoryNameLength characters).
absl::StatusOr<DistinguishedName> ParseDistinguishedName(std::string_view text);
// The RFC 1415 form, "@c=US@o=Open Networks@...".
std::string FormatDistinguishedName(const DistinguishedName& dn);

// "netwrx1, Open Networks, us": components most specific first, trimmed (the whole in
// double quotes or not). InvalidArgument for empty components and over-long names.
absl::StatusOr<std::vector<std::string>> ParseUserFriendlyName(std::string_view text);

// Values compare ignoring ASCII case, leading and trailing spaces, and runs of spaces.
std::string NormalizeNameValue(std::string_view value);

struct DirectoryEntry {
  std::string name;      // letters, digits, '.', '-', '_'; unique ignoring case
  DistinguishedName dn;  // empty if the entry has none
  std::vector<std::vector<std::string>> ufn;  // user-friendly aliases, components as written
  // Where the entry leads: an ftam:// destination made from `presentation_address` (host,
  // port, selectors) or given as a URL; or an ftp/ftps/file destination. ae_title and
  // ae_qualifier, for an ftam destination, are the called AE title sent to the responder.
  Destination destination;
  // The entry's presentation address as written in the table, if any. For an ftam entry,
  // where the responder is; for an FTP entry, the gateway's own address under which the
  // entry is registered (RFC 1415 §4.2, RFC 1279).
  std::optional<PresentationAddress> presentation_address;
  std::string ae_title;                 // dotted OID, "" if none
  std::optional<int64_t> ae_qualifier;  // with or without ae_title
};

// What an FTAM initiator called (A-ASSOCIATE's called AP title and AE qualifier, and the
// called presentation address's selectors).
struct CalledAddress {
  std::string ap_title;                 // dotted OID, "" if none
  std::optional<int64_t> ae_qualifier;
  std::string psel;                     // octets, "" if none
  std::string ssel;
  std::string tsel;
};

}  // namespace gw::route

#endif  // GW_BRIDGE_ROUTE_DIRECTORY_H_
