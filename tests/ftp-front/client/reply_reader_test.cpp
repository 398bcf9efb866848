#include "client/reply_reader.h"

#include <gtest/gtest.h>

namespace gw::ftp::client {
namespace {

ServerReply MustNext(ReplyReader& r) {
  auto n = r.Next();
  EXPECT_TRUE(n.ok()) << n.status();
  if (!n.ok() || !n->has_value()) {
    ADD_FAILURE() << "no complete reply";
    return {};
  }
  return **n;
}

TEST(ReplyReader, SingleLinesAndSplitInput) {
  ReplyReader r;
  r.Append("220 (vsFTPd 3.0.3)\r\n331 Please spec");
  EXPECT_EQ(MustNext(r).Quote(), "220 (vsFTPd 3.0.3)");
  auto partial = r.Next();
  ASSERT_TRUE(partial.ok());
  EXPECT_FALSE(partial->has_value());
  r.Append("ify the password.\r\n");
  ServerReply p = MustNext(r);
  EXPECT_EQ(p.code, 331);
  EXPECT_EQ(p.text, "Please specify the password.");
  EXPECT_EQ(r.buffered(), 0u);
}

TEST(ReplyReader, MultiLineWithDigitBodyLinesAndBareLf) {
  // pure-ftpd's greeting, and a body line that starts with another code.
  ReplyReader r;
  r.Append(
      "220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\n"
      "220-You are user number 1 of 50 allowed.\r\n"
      "230 is not the end\r\n"
      "220-still not\r\n"
      "220 This is a private system - No anonymous login\r\n"
      "200 next\r\n");
  ServerReply g = MustNext(r);
  EXPECT_EQ(g.code, 220);
  EXPECT_EQ(g.lines.size(), 5u);
  EXPECT_EQ(g.text,
            "--------- Welcome to Pure-FTPd [privsep] [TLS] ----------\n"
            "220-You are user number 1 of 50 allowed.\n230 is not the end\n220-still not\n"
            "This is a private system - No anonymous login");
  EXPECT_EQ(MustNext(r).code, 200);
}

TEST(ReplyReader, FeatReplyAndBareCode) {
  ReplyReader r;
  r.Append("211-Features:\r\n EPRT\r\n MLST type*;size*;\r\n211 End\r\n226\r\n");
  ServerReply f = MustNext(r);
  EXPECT_EQ(f.code, 211);
  ASSERT_EQ(f.lines.size(), 4u);
  EXPECT_EQ(f.lines[2], " MLST type*;size*;");
  ServerReply bare = MustNext(r);
  EXPECT_EQ(bare.code, 226);
  EXPECT_EQ(bare.text, "");
}

TEST(ReplyReader, GarbageIsAnErrorAndStaysOne) {
  ReplyReader r;
  r.Append("HTTP/1.1 400 Bad Request\r\n");
  EXPECT_EQ(r.Next().status().code(), absl::StatusCode::kInvalidArgument);
  r.Append("200 ok\r\n");
  EXPECT_FALSE(r.Next().ok());
  ReplyReader six;
  six.Append("600 no such class\r\n");
  EXPECT_FALSE(six.Next().ok());
  ReplyReader glued;
  glued.Append("200x\r\n");
  EXPECT_FALSE(glued.Next().ok());
}

TEST(ReplyReader, MaximumSize) {
  ReplyReader r(64);
  r.Append("200-" + std::string(100, 'x'));
  EXPECT_EQ(r.Next().status().code(), absl::StatusCode::kResourceExhausted);
  ReplyReader endless(64);
  endless.Append("211-start\r\n");
  for (int i = 0; i < 10; ++i) endless.Append(" line\r\n");
  EXPECT_EQ(endless.Next().status().code(), absl::StatusCode::kResourceExhausted);
  ReplyReader fits(64);
  fits.Append("211-a\r\n b\r\n211 c\r\n");
  EXPECT_EQ(MustNext(fits).code, 211);
}

TEST(Pasv, FindsTheNumbersAnywhere) {
  auto a = ParsePasvReply("Entering Passive Mode (127,0,0,1,117,49).");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 117 * 256 + 49);
  auto b = ParsePasvReply("=10,1,2,3,4,5");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->host, "10.1.2.3");
  EXPECT_EQ(b->port, 1029);
  EXPECT_FALSE(ParsePasvReply("Entering Passive Mode (256,0,0,1,1,1)").has_value());
  EXPECT_FALSE(ParsePasvReply("(1,2,3,4,5)").has_value());
  EXPECT_FALSE(ParsePasvReply("1,2,3,4,0,0").has_value());
  // A version number before the address is skipped.
  auto c = ParsePasvReply("v1.2 ok (192,168,1,2,4,1)");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "192.168.1.2");
}

TEST(Pasv, NatFixUsesTheControlPeer) {
  EXPECT_EQ(PasvConnectHost("10.0.0.5", "203.0.113.7", false), "203.0.113.7");
  EXPECT_EQ(PasvConnectHost("10.0.0.5", "203.0.113.7", true), "203.0.113.7");
  EXPECT_EQ(PasvConnectHost("198.51.100.1", "203.0.113.7", false), "203.0.113.7");
  EXPECT_EQ(PasvConnectHost("198.51.100.1", "203.0.113.7", true), "198.51.100.1");
  EXPECT_EQ(PasvConnectHost("0.0.0.0", "127.0.0.1", true), "127.0.0.1");
  EXPECT_EQ(PasvConnectHost("127.0.0.1", "::ffff:127.0.0.1", false), "127.0.0.1");
  EXPECT_TRUE(IsPrivateIpv4("172.16.0.1"));
  EXPECT_FALSE(IsPrivateIpv4("172.32.0.1"));
  EXPECT_FALSE(IsPrivateIpv4("8.8.8.8"));
  EXPECT_FALSE(IsPrivateIpv4("10.0.0"));
}

TEST(Epsv, Parses) {
  EXPECT_EQ(ParseEpsvReply("Entering Extended Passive Mode (|||30123|)"), 30123);
  EXPECT_EQ(ParseEpsvReply("EPSV ok (!!!6446!)"), 6446);
  EXPECT_FALSE(ParseEpsvReply("(|||70000|)").has_value());
  EXPECT_FALSE(ParseEpsvReply("(|||0|)").has_value());
  EXPECT_FALSE(ParseEpsvReply("(||1|2|)").has_value());
  EXPECT_FALSE(ParseEpsvReply("(|||12|").has_value());
  EXPECT_FALSE(ParseEpsvReply("no parens").has_value());
}

}  // namespace
}  // namespace gw::ftp::client
