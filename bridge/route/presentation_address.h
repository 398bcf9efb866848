// OSI addressing for ftam:// destinations: presentation addresses in the string form of
// RFC 1278 (as ISODE's tables write them), selectors, AP titles and AE qualifiers.
//
// Presentation address (RFC 1278 §3, one network address, TCP/IP per RFC 1006):
//
//   [[["psel"/]"ssel"/]"tsel"/]Internet=host[+port[+RFC-1006]]
//
// Selectors are optional from the left (one selector before the network address is the
// transport selector, two are session and transport, three add the presentation
// selector); an empty one ("" or nothing between slashes) is absent. Each is written
//   "text"      the octets of the text (no '"' inside),
//   #decimal    a number 0-65535 in two octets, high first (#259 = 01 03),
//   'hex'H      hex digits, an even number of them.
// The host is a name, an IPv4 address or a bracketed IPv6 address; the port defaults to
// 102 (RFC 1006). Examples: #259/Internet=192.0.2.7+102, "ftam"/#1/'0103'H/Internet=h.
// Other network address forms (NSAPs, X.25, several addresses joined by '|') are refused.
//
// Every parser here returns InvalidArgument with a message saying what is wrong (bad hex,
// a selector over kMaxSelectorOctets, a missing host, a bad port, ...), never crashes.
#ifndef GW_BRIDGE_ROUTE_PRESENTATION_ADDRESS_H_
#define GW_BRIDGE_ROUTE_PRESENTATION_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::route {

// ISO 8073 / 8327 / 8823 allow selectors of up to 32, 16 and unbounded octets; tables in
// practice use 2 to 4. Longer than this is refused as hostile.
inline constexpr size_t kMaxSelectorOctets = 64;
// The whole string form; anything longer is refused before it is parsed.
inline constexpr size_t kMaxPresentationAddressLength = 1024;
inline constexpr uint16_t kRfc1006Port = 102;

struct PresentationAddress {
  std::string psel;  // presentation selector, octets ("" = none)
  std::string ssel;  // session selector
  std::string tsel;  // transport selector
  std::string host;  // name or IP literal (no brackets)
  uint16_t port = kRfc1006Port;

  bool operator==(const PresentationAddress&) const = default;
};

// Parses the RFC 1278 string form above.
absl::StatusOr<PresentationAddress> ParsePresentationAddress(std::string_view text);

// The RFC 1278 string form, selectors as 'hex'H (absent ones left out from the left, empty
// ones in between as ""), for logs and messages; parses back to the same address.
std::string FormatPresentationAddress(const PresentationAddress& address);

// Hex digits (either case, an even number, at most 2 * kMaxSelectorOctets) to octets, for
// the ?tsel=0103 form of ftam:// URLs. `what` names the value in messages ("tsel").
absl::StatusOr<std::string> ParseHexSelector(std::string_view hex, std::string_view what);

// An object identifier in dotted form ("1.3.9999.1.7"): at least two arcs, the first 0-2,
// the second below 40 under 0 and 1, decimal arcs without leading zeros, at most 64 arcs
// of at most 18 digits. Returns it unchanged, or InvalidArgument.
absl::StatusOr<std::string> ParseObjectIdentifier(std::string_view oid, std::string_view what);

// An AE qualifier (ASN.1 INTEGER, ISO 8650): an optional '-' and decimal digits that fit
// in 64 bits.
absl::StatusOr<int64_t> ParseAeQualifier(std::string_view text, std::string_view what);

// Octets as lower-case hex ("0103"), for messages.
std::string HexOf(std::string_view octets);

}  // namespace gw::route

#endif  // GW_BRIDGE_ROUTE_PRESENTATION_ADDRESS_H_
