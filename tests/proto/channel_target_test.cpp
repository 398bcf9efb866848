// The targets MakeChannel gives gRPC: one address as written, a list of IP literals of one
// family as gRPC's ipv4:/ipv6: resolver lists, anything else refused with a clear error.
#include <gtest/gtest.h>

#include "runtime/grpc_server.h"

namespace gw::rt {
namespace {

TEST(ChannelTarget, OneAddressOrNameIsKept) {
  EXPECT_EQ(*ChannelTarget("127.0.0.1:50051"), "127.0.0.1:50051");
  EXPECT_EQ(*ChannelTarget("bridge:50051"), "bridge:50051");
  EXPECT_EQ(*ChannelTarget("dns:///bridge.gateway.svc:50051"), "dns:///bridge.gateway.svc:50051");
}

TEST(ChannelTarget, ListsOfOneFamilyBecomeResolverLists) {
  EXPECT_EQ(*ChannelTarget("127.0.0.1:50051,127.0.0.2:50061"), "ipv4:127.0.0.1:50051,127.0.0.2:50061");
  EXPECT_EQ(*ChannelTarget("127.0.0.1:1, 10.0.0.1:2"), "ipv4:127.0.0.1:1,10.0.0.1:2");
  EXPECT_EQ(*ChannelTarget("[::1]:50051,[fe80::1]:50061"), "ipv6:[::1]:50051,[fe80::1]:50061");
}

TEST(ChannelTarget, NamesMixedFamiliesAndMissingPortsAreRefused) {
  for (const char* bad : {"127.0.0.1:1,bridge:2", "127.0.0.1:1,[::1]:2", "127.0.0.1,127.0.0.2:2",
                          "127.0.0.1:1,127.0.0.2:", "[::1]:1,127.0.0.1:2"}) {
    auto t = ChannelTarget(bad);
    EXPECT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find(bad), std::string::npos) << t.status();
  }
}

}  // namespace
}  // namespace gw::rt
