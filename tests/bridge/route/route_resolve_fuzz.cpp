// libFuzzer target: resolving what a user typed (USER name@host:port, SITE host or URL,
// a script's target URL, a presentation address) against a route table. These strings arrive
// from the network.
// Input: "user\nhint" (the first line is the login, the rest the hint or URL).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bridge/route/directory.h"
#include "bridge/route/presentation_address.h"
#include "bridge/route/route_table.h"
#include "policy_table.h"

namespace {

const gw::route::RouteTable& Table() {
  static const gw::route::RouteTable table = [] {
    auto t = gw::route::RouteTable::FromYaml(gw::route::testing::kPolicyTable);

    if (!t.ok()) __builtin_trap();
    return *std::move(t);
  }();
  return table;
}

// The directory's names (SITE <DN or UFN or name>) and called addresses.
constexpr char kDirectoryTable[] = R"(
directory:
  - name: netwrx1-ftam
    dn: "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service"
    ufn: ["netwrx1 ftam"]
    presentation_address: "#259/Internet=192.0.2.7+102"
    ae_title: 1.3.9999.1.7
  - name: netwrx1-ftp
    dn: "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTP service"
    destination: ftp://127.0.0.1:2121/pub
    presentation_address: "'0201'H/Internet=127.0.0.1+1102"
  - name: hidden
    dn: "@c=US@o=Secret@cn=vault"
    presentation_address: "#7/Internet=192.0.2.66"
routes:
  - name: demo
    default: true
    destination: file:///srv/demo
  - name: netwrx1
    destination: directory:netwrx1-ftam
  - name: ftp-svc
    destination: directory:netwrx1-ftp
    allow_users: [alice]
)";

const gw::route::RouteTable& DirectoryTable() {
  static const gw::route::RouteTable table = [] {
    auto t = gw::route::RouteTable::FromYaml(kDirectoryTable);
    if (!t.ok()) __builtin_trap();
    return *std::move(t);
  }();
  return table;
}

// A match always leads to a route, and never to an entry no route names.
void CheckMatch(const gw::route::RouteTable& t, const absl::StatusOr<gw::route::RouteTable::Match>& m) {
  if (!m.ok()) return;
  if (m->route == nullptr) __builtin_trap();
  if (m->destination.host == "192.0.2.66") __builtin_trap();
  (void)t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string_view user = in.substr(0, nl);
  std::string_view hint = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  const auto& t = Table();
  for (std::string_view h : {hint, std::string_view()}) {
    auto m = t.Resolve(user, h);
    if (m.ok()) {
      // A match always names a listed route and a port within what it allows.
      if (m->route == nullptr) __builtin_trap();
      if (m->destination.scheme != gw::route::Scheme::kFile && m->destination.port == 0) __builtin_trap();
    }
  }
  auto u = t.ResolveUrl(hint, user);
  if (u.ok() && u->route == nullptr) __builtin_trap();
  (void)gw::route::ParseDestinationUrl(in);
  const auto& d = DirectoryTable();
  CheckMatch(d, d.Resolve(user, hint));
  gw::route::CalledAddress called;
  called.tsel = std::string(hint.substr(0, 4));
  called.ap_title = std::string(user);
  CheckMatch(d, d.ResolveCalled(user.empty() ? "u" : user, called));
  (void)gw::route::ParseDistinguishedName(hint);
  (void)gw::route::ParseUserFriendlyName(hint);
  // Presentation addresses arrive in tables and, through the directory, from users: any
  // address that parses prints as a string that parses back to the same address.
  auto address = gw::route::ParsePresentationAddress(hint);
  if (address.ok()) {
    auto again = gw::route::ParsePresentationAddress(gw::route::FormatPresentationAddress(*address));
    if (!again.ok() || !(*again == *address)) __builtin_trap();
  }
  return 0;
}
