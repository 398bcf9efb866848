// libFuzzer target: resolving what a user typed (USER name@host:port, SITE host or URL,
// a script's target URL, a presentation address) against a route table. These strings arrive
// from the network.
// Input: "user\nhint" (the first line is the login, the rest the hint or URL).
#include <cstddef>
#include <cstdint>
#include <string_view>

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
  // Presentation addresses arrive in tables and, through the directory, from users: any
  // address that parses prints as a string that parses back to the same address.
  auto address = gw::route::ParsePresentationAddress(hint);
  if (address.ok()) {
    auto again = gw::route::ParsePresentationAddress(gw::route::FormatPresentationAddress(*address));
    if (!again.ok() || !(*again == *address)) __builtin_trap();
  }
  return 0;
}
