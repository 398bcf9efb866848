// ftam:// URLs with OSI addressing, and RFC 1278 presentation addresses, row by row.
#include <limits>
#include <string>

#include "bridge/route/presentation_address.h"
#include "bridge/route/route_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::HasSubstr;
using namespace std::string_literals;

// ---- ftam:// URLs (issue addressing: ?tsel=HEX&ssel=HEX&psel=HEX&ap_title=OID&ae_qualifier=N)

struct FtamUrl {
  const char* url;
  const char* host;
  uint16_t port;
  const char* path;
  std::string tsel, ssel, psel;
  const char* ap_title;
  std::optional<int64_t> ae_qualifier;
};

class FtamUrlGood : public ::testing::TestWithParam<FtamUrl> {};

TEST_P(FtamUrlGood, Parses) {
  const FtamUrl& row = GetParam();
  absl::StatusOr<Destination> d = ParseDestinationUrl(row.url);
  ASSERT_TRUE(d.ok()) << row.url << ": " << d.status();
  EXPECT_EQ(d->scheme, Scheme::kFtam);
  EXPECT_EQ(d->url, row.url);
  EXPECT_EQ(d->host, row.host);
  EXPECT_EQ(d->port, row.port);
  EXPECT_EQ(d->path, row.path);
  EXPECT_EQ(d->tsel, row.tsel);
  EXPECT_EQ(d->ssel, row.ssel);
  EXPECT_EQ(d->psel, row.psel);
  EXPECT_EQ(d->ap_title, row.ap_title);
  EXPECT_EQ(d->ae_qualifier, row.ae_qualifier);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, FtamUrlGood,
    ::testing::Values(
        FtamUrl{"ftam://osi-host", "osi-host", 102, "", "", "", "", "", std::nullopt},
        FtamUrl{"ftam://127.0.0.1:102/?tsel=0103", "127.0.0.1", 102, "/", "\x01\x03"s, "", "", "",
                std::nullopt},
        FtamUrl{"ftam://h?tsel=0103", "h", 102, "", "\x01\x03"s, "", "", "", std::nullopt},
        FtamUrl{"ftam://h:1102/pub?tsel=0001&ssel=0001&psel=00000001", "h", 1102, "/pub",
                "\x00\x01"s, "\x00\x01"s, "\x00\x00\x00\x01"s, "", std::nullopt},
        FtamUrl{"FTAM://h/?psel=AbCd", "h", 102, "/", "", "",
                "\xab\xcd"s, "", std::nullopt},
        FtamUrl{"ftam://h/?ap_title=1.3.9999.1.7&ae_qualifier=3", "h", 102, "/", "", "", "",
                "1.3.9999.1.7", 3},
        FtamUrl{"ftam://h/?ae_qualifier=-12", "h", 102, "/", "", "", "", "", -12},
        FtamUrl{"ftam://h/?ap_title=2.999", "h", 102, "/", "", "", "", "2.999", std::nullopt},
        FtamUrl{"ftam://[::1]:1102/d?tsel=01&", "::1", 1102, "/d", "\x01"s, "", "", "",
                std::nullopt}));

struct BadFtamUrl {
  const char* url;
  const char* message;
};

class FtamUrlBad : public ::testing::TestWithParam<BadFtamUrl> {};

TEST_P(FtamUrlBad, Refused) {
  absl::StatusOr<Destination> d = ParseDestinationUrl(GetParam().url);
  ASSERT_FALSE(d.ok()) << GetParam().url;
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr(GetParam().message));
}

const std::string kLongHex(2 * 65, 'a');  // 65 octets
const std::string kLongHexUrl = "ftam://h/?tsel=" + kLongHex;
const std::string kMaxHexUrl = "ftam://h/?tsel=" + std::string(2 * 64, 'b');

INSTANTIATE_TEST_SUITE_P(
    Rows, FtamUrlBad,
    ::testing::Values(
        BadFtamUrl{"ftam://h/?tsel=01g3", "bad hex digit"},
        BadFtamUrl{"ftam://h/?tsel=013", "odd number of hex digits"},
        BadFtamUrl{"ftam://h/?tsel=", "tsel needs a value"},
        BadFtamUrl{"ftam://h/?tsel", "tsel needs a value"},
        BadFtamUrl{"ftam://h/?tsel=01&tsel=02", "tsel given twice"},
        BadFtamUrl{"ftam://h/?nsap=01", "unknown query key \"nsap\""},
        BadFtamUrl{"ftam://h/?TSEL=01", "unknown query key"},
        BadFtamUrl{kLongHexUrl.c_str(), "longer than 64 octets"},
        BadFtamUrl{"ftam://h/?ap_title=1", "at least two arcs"},
        BadFtamUrl{"ftam://h/?ap_title=3.1", "first arc"},
        BadFtamUrl{"ftam://h/?ap_title=1.40", "second arc"},
        BadFtamUrl{"ftam://h/?ap_title=1..3", "decimal numbers"},
        BadFtamUrl{"ftam://h/?ap_title=1.03", "leading zero"},
        BadFtamUrl{"ftam://h/?ap_title=1.3.x", "decimal numbers"},
        BadFtamUrl{"ftam://h/?ae_qualifier=x", "expected an integer"},
        BadFtamUrl{"ftam://h/?ae_qualifier=9223372036854775808", "does not fit"},
        BadFtamUrl{"ftam://h/?tsel=01#frag", "fragments"},
        BadFtamUrl{"ftam://:102/?tsel=01", "missing host"},
        BadFtamUrl{"ftam://h:0/?tsel=01", "port out of range"},
        BadFtamUrl{"ftam://h:1x2/?tsel=01", "bad port"},
        BadFtamUrl{"ftam://u:pw@h/?tsel=01", "credentials"},
        BadFtamUrl{"ftp://h/?tsel=01", "queries"}));

TEST(FtamUrl, SixtyFourOctetSelectorIsTheLimit) {
  absl::StatusOr<Destination> d = ParseDestinationUrl(kMaxHexUrl);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->tsel, std::string(64, '\xbb'));
}

TEST(FtamUrl, CredentialsAreNotRepeatedInTheMessage) {
  absl::StatusOr<Destination> d = ParseDestinationUrl("ftam://u:secret@h/?tsel=01");
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.status().message(), ::testing::Not(HasSubstr("secret")));
}

TEST(AeQualifier, Int64Bounds) {
  EXPECT_EQ(*ParseAeQualifier("9223372036854775807", "q"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseAeQualifier("-9223372036854775808", "q"), std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(ParseAeQualifier("-", "q").ok());
  EXPECT_FALSE(ParseAeQualifier("", "q").ok());
}

// ---- RFC 1278 presentation addresses, as ISODE's tables write them

struct GoodAddress {
  const char* text;
  PresentationAddress expected;
};

class PresentationAddressGood : public ::testing::TestWithParam<GoodAddress> {};

TEST_P(PresentationAddressGood, Parses) {
  absl::StatusOr<PresentationAddress> a = ParsePresentationAddress(GetParam().text);
  ASSERT_TRUE(a.ok()) << GetParam().text << ": " << a.status();
  EXPECT_EQ(a->psel, GetParam().expected.psel) << GetParam().text;
  EXPECT_EQ(a->ssel, GetParam().expected.ssel) << GetParam().text;
  EXPECT_EQ(a->tsel, GetParam().expected.tsel) << GetParam().text;
  EXPECT_EQ(a->host, GetParam().expected.host) << GetParam().text;
  EXPECT_EQ(a->port, GetParam().expected.port) << GetParam().text;
  // The string form made from it reads back as the same address.
  absl::StatusOr<PresentationAddress> again = ParsePresentationAddress(FormatPresentationAddress(*a));
  ASSERT_TRUE(again.ok()) << FormatPresentationAddress(*a) << ": " << again.status();
  EXPECT_EQ(*again, *a) << FormatPresentationAddress(*a);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PresentationAddressGood,
    ::testing::Values(
        // ISODE's isoentities style: a transport selector as #decimal (259 = 0x0103).
        GoodAddress{"#259/Internet=192.0.2.7+102", {"", "", "\x01\x03"s, "192.0.2.7", 102}},
        GoodAddress{"#259/Internet=192.0.2.7", {"", "", "\x01\x03"s, "192.0.2.7", 102}},
        GoodAddress{"Internet=ftam.example.org+1102", {"", "", "", "ftam.example.org", 1102}},
        GoodAddress{"internet=h", {"", "", "", "h", 102}},
        GoodAddress{"#1/Internet=h", {"", "", "\x00\x01"s, "h", 102}},
        GoodAddress{"#65535/Internet=h", {"", "", "\xff\xff"s, "h", 102}},
        GoodAddress{"#0/Internet=h", {"", "", "\x00\x00"s, "h", 102}},
        // Selectors optional from the left: two are session and transport, three add psel.
        GoodAddress{"#1/#2/Internet=h", {"", "\x00\x01"s, "\x00\x02"s, "h", 102}},
        GoodAddress{"\"ftam\"/#1/'0103'H/Internet=10.0.0.6+102",
                    {"ftam", "\x00\x01"s, "\x01\x03"s, "10.0.0.6", 102}},
        GoodAddress{"'00000001'H/'0001'H/'0001'H/Internet=127.0.0.1+1102",
                    {"\x00\x00\x00\x01"s, "\x00\x01"s, "\x00\x01"s, "127.0.0.1", 1102}},
        GoodAddress{"\"a/b\"/Internet=h", {"", "", "a/b", "h", 102}},
        GoodAddress{"'abCD'H/Internet=h", {"", "", "\xab\xcd"s, "h", 102}},
        // Empty selectors in between are absent.
        GoodAddress{"\"p\"//#1/Internet=h", {"p", "", "\x00\x01"s, "h", 102}},
        GoodAddress{"\"\"/Internet=h", {"", "", "", "h", 102}},
        GoodAddress{"#1/Internet=h+102+RFC-1006", {"", "", "\x00\x01"s, "h", 102}},
        GoodAddress{"#1/Internet=[2001:db8::7]+1102", {"", "", "\x00\x01"s, "2001:db8::7", 1102}}));

struct BadAddress {
  std::string text;
  const char* message;
};

class PresentationAddressBad : public ::testing::TestWithParam<BadAddress> {};

TEST_P(PresentationAddressBad, Refused) {
  absl::StatusOr<PresentationAddress> a = ParsePresentationAddress(GetParam().text);
  ASSERT_FALSE(a.ok()) << GetParam().text;
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(a.status().message(), HasSubstr(GetParam().message)) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PresentationAddressBad,
    ::testing::Values(
        BadAddress{"", "empty presentation address"},
        BadAddress{"#259/", "expected the network address as Internet="},
        BadAddress{"#259/Internet=", "missing host"},
        BadAddress{"#259/Internet=+102", "missing host"},
        BadAddress{"#259/Internet=h+", "bad port"},
        BadAddress{"#259/Internet=h+0", "port out of range"},
        BadAddress{"#259/Internet=h+65536", "port out of range"},
        BadAddress{"#259/Internet=h+10x", "bad port"},
        BadAddress{"#259/Internet=h+102+TCP", "RFC-1006"},
        BadAddress{"#259/Internet=h bad", "bad character in host name"},
        BadAddress{"#259/Internet=[zz]", "bad IPv6 address"},
        BadAddress{"#259/Internet=[::1", "unterminated IPv6"},
        BadAddress{"#259/NS+47000580ffff", "Internet=host"},
        BadAddress{"#1/Internet=a|Internet=b", "only one network address"},
        BadAddress{"#65536/Internet=h", "over 65535"},
        BadAddress{"#/Internet=h", "#decimal"},
        BadAddress{"#12a/Internet=h", "#decimal"},
        BadAddress{"'0g'H/Internet=h", "bad hex digit"},
        BadAddress{"'013'H/Internet=h", "odd number of hex digits"},
        BadAddress{"'0103'/Internet=h", "'hex'H"},
        BadAddress{"0103/Internet=h", "expected \"text\", #decimal or 'hex'H"},
        BadAddress{"\"abc/Internet=h", "unterminated quoted selector"},
        BadAddress{"\"a\nb\"/Internet=h", "control character"},
        BadAddress{"#1/#2/#3/#4/Internet=h", "at most three selectors"},
        BadAddress{"'" + std::string(130, 'a') + "'H/Internet=h", "longer than 64 octets"},
        BadAddress{"\"" + std::string(65, 'x') + "\"/Internet=h", "longer than 64 octets"},
        BadAddress{std::string(2000, '#'), "longer than 1024 characters"}));

TEST(PresentationAddress, SixtyFourOctetQuotedSelectorIsTheLimit) {
  absl::StatusOr<PresentationAddress> a =
      ParsePresentationAddress("\"" + std::string(64, 'x') + "\"/Internet=h");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->tsel.size(), 64u);
}

TEST(PresentationAddress, FormatsSelectorsInHex) {
  EXPECT_EQ(FormatPresentationAddress({"", "", "\x01\x03"s, "192.0.2.7", 102}),
            "'0103'H/Internet=192.0.2.7+102");
  EXPECT_EQ(FormatPresentationAddress({"p", "", "\x01"s, "h", 1102}),
            "'70'H/\"\"/'01'H/Internet=h+1102");
  EXPECT_EQ(FormatPresentationAddress({"", "", "", "::1", 102}), "Internet=[::1]+102");
}

}  // namespace
}  // namespace gw::route
