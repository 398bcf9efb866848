#include "protocol/address.h"

#include <gtest/gtest.h>

namespace gw::ftp {
namespace {

TEST(Port, ParsesSixNumbers) {
  auto hp = ParsePortArgument("127,0,0,1,156,64");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "127.0.0.1");
  EXPECT_EQ(hp->port, 156 * 256 + 64);
  EXPECT_FALSE(ParsePortArgument("127,0,0,1,156"));
  EXPECT_FALSE(ParsePortArgument("127,0,0,1,156,64,1"));
  EXPECT_FALSE(ParsePortArgument("256,0,0,1,1,1"));
  EXPECT_FALSE(ParsePortArgument("a,b,c,d,e,f"));
  EXPECT_FALSE(ParsePortArgument(""));
}

TEST(Eprt, ParsesBothFamilies) {
  auto v4 = ParseEprtArgument("|1|132.235.1.2|6275|");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "132.235.1.2");
  EXPECT_EQ(v4->port, 6275);
  auto v6 = ParseEprtArgument("|2|::1|5282|");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->ipv6);
  EXPECT_FALSE(ParseEprtArgument("|3|1.2.3.4|5|"));
  EXPECT_FALSE(ParseEprtArgument("|1|::1|5|"));       // family mismatch
  EXPECT_FALSE(ParseEprtArgument("|1|1.2.3.4|70000|"));
  EXPECT_FALSE(ParseEprtArgument("|1|1.2.3.4|5"));
}

TEST(Replies, PasvAndEpsv) {
  EXPECT_EQ(FormatPasvReply("127.0.0.1", 40001), "227 Entering Passive Mode (127,0,0,1,156,65).");
  EXPECT_EQ(FormatEpsvReply(40001), "229 Entering Extended Passive Mode (|||40001|)");
}

TEST(SameHost, MappedAddressesCompareEqual) {
  EXPECT_TRUE(SameHost("127.0.0.1", "::ffff:127.0.0.1"));
  EXPECT_TRUE(SameHost("::1", "0:0:0:0:0:0:0:1"));
  EXPECT_FALSE(SameHost("127.0.0.1", "127.0.0.2"));
  EXPECT_FALSE(SameHost("", ""));
}

}  // namespace
}  // namespace gw::ftp
