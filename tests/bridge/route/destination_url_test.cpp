#include "bridge/route/route_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::HasSubstr;

struct GoodUrl {
  const char* url;
  Scheme scheme;
  const char* root;
  const char* host;
  uint16_t port;
  const char* path;
};

class ParseDestinationGood : public ::testing::TestWithParam<GoodUrl> {};

TEST_P(ParseDestinationGood, Parses) {
  const GoodUrl& row = GetParam();
  absl::StatusOr<Destination> d = ParseDestinationUrl(row.url);
  ASSERT_TRUE(d.ok()) << row.url << ": " << d.status();
  EXPECT_EQ(d->scheme, row.scheme);
  EXPECT_EQ(d->url, row.url);
  EXPECT_EQ(d->root, row.root);
  EXPECT_EQ(d->host, row.host);
  EXPECT_EQ(d->port, row.port);
  EXPECT_EQ(d->path, row.path);
  EXPECT_EQ(d->tls_ca, "");
  EXPECT_FALSE(d->tls_insecure);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ParseDestinationGood,
    ::testing::Values(
        GoodUrl{"file:///var/lib/gw/demo", Scheme::kFile, "/var/lib/gw/demo", "", 0, ""},
        GoodUrl{"file:///var/lib/gw/demo/", Scheme::kFile, "/var/lib/gw/demo", "", 0, ""},
        GoodUrl{"file:///", Scheme::kFile, "/", "", 0, ""},
        GoodUrl{"file://localhost/srv", Scheme::kFile, "/srv", "", 0, ""},
        GoodUrl{"file:///srv/with%20space", Scheme::kFile, "/srv/with space", "", 0, ""},
        GoodUrl{"FILE:///srv", Scheme::kFile, "/srv", "", 0, ""},
        GoodUrl{"ftp://ftp.example.org", Scheme::kFtp, "", "ftp.example.org", 21, ""},
        GoodUrl{"ftp://ftp.example.org:2121/pub", Scheme::kFtp, "", "ftp.example.org", 2121,
                "/pub"},
        GoodUrl{"ftps://files.example.org/", Scheme::kFtps, "", "files.example.org", 21, "/"},
        GoodUrl{"ftps-implicit://files.example.org", Scheme::kFtpsImplicit, "", "files.example.org",
                990, ""},
        GoodUrl{"ftam://osi-host", Scheme::kFtam, "", "osi-host", 102, ""},
        GoodUrl{"ftam://192.0.2.7:10102", Scheme::kFtam, "", "192.0.2.7", 10102, ""},
        GoodUrl{"ftp://[2001:db8::1]:21/x", Scheme::kFtp, "", "2001:db8::1", 21, "/x"},
        GoodUrl{"ftp://[::1]", Scheme::kFtp, "", "::1", 21, ""},
        GoodUrl{"ftp://h:65535", Scheme::kFtp, "", "h", 65535, ""},
        GoodUrl{"ftp://h:1", Scheme::kFtp, "", "h", 1, ""}));

struct BadUrl {
  const char* url;
  const char* complaint;
};

class ParseDestinationBad : public ::testing::TestWithParam<BadUrl> {};

TEST_P(ParseDestinationBad, IsInvalidArgument) {
  const BadUrl& row = GetParam();
  absl::StatusOr<Destination> d = ParseDestinationUrl(row.url);
  ASSERT_FALSE(d.ok()) << row.url;
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(d.status().message()), HasSubstr(row.complaint)) << row.url;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ParseDestinationBad,
    ::testing::Values(BadUrl{"http://example.org/", "unsupported scheme \"http\""},
                      BadUrl{"sftp://example.org/", "unsupported scheme"},
                      BadUrl{"/var/lib/gw", "expected scheme://"}, BadUrl{"", "expected scheme://"},
                      BadUrl{"://host", "expected scheme://"},
                      BadUrl{"ftp://h:0", "port out of range"},
                      BadUrl{"ftp://h:65536", "port out of range"},
                      BadUrl{"ftp://h:99999", "port out of range"},
                      BadUrl{"ftp://h:123456", "bad port"}, BadUrl{"ftp://h:", "bad port"},
                      BadUrl{"ftp://h:21a", "bad port"}, BadUrl{"ftp://h:-1", "bad port"},
                      BadUrl{"ftp://", "missing host"}, BadUrl{"ftp://:21", "missing host"},
                      BadUrl{"ftp://user:pw@h/", "credentials"}, BadUrl{"ftp://h/x?y=1", "queries"},
                      BadUrl{"ftp://h/x#frag", "queries"}, BadUrl{"ftp://h o/", "spaces"},
                      BadUrl{"ftp://h/\n", "control"}, BadUrl{"ftp://[::1/", "unterminated"},
                      BadUrl{"ftp://[zz]/", "IPv6"}, BadUrl{"ftp://h!/", "bad character"},
                      BadUrl{"file://otherhost/srv", "must be local"},
                      BadUrl{"file://", "absolute path"}, BadUrl{"file:///srv/%2", "percent"},
                      BadUrl{"file:///srv/%zz", "percent"}, BadUrl{"file:///srv/%00", "percent"}));

}  // namespace
}  // namespace gw::route
