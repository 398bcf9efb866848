// The directory (RFC 1415 §3, §4): names, DNs and user-friendly names after SITE, and the
// called address of FTAM-initiated sessions, resolved to the routes that lead to entries.
#include "bridge/route/directory.h"

#include <string>

#include "bridge/route/route_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::string_literals;

// ---- Names

struct DnRow {
  const char* text;
  const char* formatted;  // FormatDistinguishedName of the result
};

class DnGood : public ::testing::TestWithParam<DnRow> {};

TEST_P(DnGood, Parses) {
  absl::StatusOr<DistinguishedName> dn = ParseDistinguishedName(GetParam().text);
  ASSERT_TRUE(dn.ok()) << GetParam().text << ": " << dn.status();
  EXPECT_EQ(FormatDistinguishedName(*dn), GetParam().formatted);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DnGood,
    ::testing::Values(
        // RFC 1415 §4.1, with and without the leading '@', quoted or not.
        DnRow{"@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service",
              "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service"},
        DnRow{"c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service",
              "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service"},
        DnRow{"\"c=US@o=Open Networks@cn=netwrx1\"", "@c=US@o=Open Networks@cn=netwrx1"},
        // Types ignore case, long forms are the short ones; values keep their spelling.
        DnRow{"@C=US@O = Open Networks @CN=netwrx1", "@c=US@o=Open Networks@cn=netwrx1"},
        DnRow{"@countryName=US@organizationName=GOV@organizationalUnitName=DOD@localityName=Washington Navy Yard@commonName=wnyosi7",
              "@c=US@o=GOV@ou=DOD@l=Washington Navy Yard@cn=wnyosi7"},
        // RFC 1779's form, most specific first.
        DnRow{"cn=FTAM service, cn=netwrx1, o=Open Networks, c=US",
              "@c=US@o=Open Networks@cn=netwrx1@cn=FTAM service"}));

struct BadName {
  std::string text;
  const char* message;
};

class DnBad : public ::testing::TestWithParam<BadName> {};

TEST_P(DnBad, Refused) {
  absl::StatusOr<DistinguishedName> dn = ParseDistinguishedName(GetParam().text);
  ASSERT_FALSE(dn.ok()) << GetParam().text;
  EXPECT_EQ(dn.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(dn.status().message(), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DnBad,
    ::testing::Values(BadName{"", "empty"}, BadName{"\"\"", "empty"},
                      BadName{"@c=US@@o=x", "is not type=value"},
                      BadName{"@c=US@Open Networks", "\"Open Networks\" is not type=value"},
                      BadName{"@c=@o=x", "empty value for c"},
                      BadName{"@=US@o=x", "bad attribute type"},
                      BadName{"@c d=US", "bad attribute type"},
                      BadName{"@c=US@o=a\nb", "control character"},
                      BadName{std::string(2000, 'a'), "longer than 1024"},
                      BadName{[] {
                                std::string s;
                                for (int i = 0; i < 33; ++i) s += "@cn=x";
                                return s;
                              }(),
                              "more than 32 components"}));

TEST(UserFriendlyName, ComponentsMostSpecificFirst) {
  absl::StatusOr<std::vector<std::string>> ufn = ParseUserFriendlyName("\" netwrx1 ,Open  Networks, us \"");
  ASSERT_TRUE(ufn.ok()) << ufn.status();
  EXPECT_THAT(*ufn, ::testing::ElementsAre("netwrx1", "Open  Networks", "us"));
  EXPECT_THAT(ParseUserFriendlyName("a,,b").status().message(), HasSubstr("empty component"));
  EXPECT_THAT(ParseUserFriendlyName("").status().message(), HasSubstr("empty component"));
  EXPECT_EQ(NormalizeNameValue("  Open \t  NETWORKS "), "open networks");
}

// ---- The directory in the route table

// Two FTAM services under netwrx1 (the RFC's example and a second one), one FTP service
// registered at the gateway's address (RFC 1415 §4.2), and an entry no route names.
constexpr char kTable[] = R"(
directory:
  - name: netwrx1-ftam
    dn: "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service"
    ufn: ["netwrx1 ftam"]
    presentation_address: "#259/Internet=192.0.2.7+102"
    ae_title: 1.3.9999.1.7
    ae_qualifier: 3
  - name: netwrx1-backup
    dn: c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM backup
    destination: ftam://192.0.2.8:1102/archive?tsel=0001&ssel=0002&psel=00000003
  - name: netwrx1-ftp
    dn: "@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTP service"
    destination: ftp://ftp-service.netwrx1.example:2121/pub
    presentation_address: "'0201'H/Internet=127.0.0.1+1102"
    ae_title: 1.3.9999.1.9
  - name: wnyosi7
    dn: "@c=US@o=GOV@ou=DOD@ou=DISA@l=Washington Navy Yard@cn=wnyosi7"
    presentation_address: "Internet=192.0.2.9"
    ae_title: 1.3.9999.2.1
  - name: hidden
    dn: "@c=US@o=Secret@cn=vault"
    presentation_address: "#7/Internet=192.0.2.66"
    ae_title: 1.3.9999.6.6
routes:
  - name: files
    users: [demo]
    destination: file:///srv/demo
  - name: netwrx1
    destination: directory:netwrx1-ftam
  - name: backup
    destination: directory:netwrx1-backup
    allow_users: [operator]
  - name: ftp-svc
    hosts: [ftp-service.netwrx1.example]
    destination: directory:netwrx1-ftp
  - name: navy
    destination: directory:wnyosi7
)";

RouteTable Table() {
  absl::StatusOr<RouteTable> table = RouteTable::FromYaml(kTable);
  if (!table.ok()) ADD_FAILURE() << table.status();
  return table.ok() ? *std::move(table) : RouteTable();
}

TEST(Directory, EntriesLoadWithTheirAddresses) {
  RouteTable t = Table();
  ASSERT_EQ(t.directory().size(), 5u);
  const DirectoryEntry& ftam = t.directory()[0];
  EXPECT_EQ(ftam.destination.scheme, Scheme::kFtam);
  EXPECT_EQ(ftam.destination.host, "192.0.2.7");
  EXPECT_EQ(ftam.destination.port, 102);
  EXPECT_EQ(ftam.destination.tsel, "\x01\x03"s);
  EXPECT_EQ(ftam.destination.ap_title, "1.3.9999.1.7");
  EXPECT_EQ(ftam.destination.ae_qualifier, 3);
  EXPECT_EQ(ftam.destination.url, "ftam://192.0.2.7:102?tsel=0103");
  const DirectoryEntry& ftp = t.directory()[2];
  EXPECT_EQ(ftp.destination.scheme, Scheme::kFtp);
  EXPECT_EQ(ftp.ae_title, "1.3.9999.1.9");
  EXPECT_TRUE(ftp.destination.ap_title.empty());  // not sent to an FTP server
  ASSERT_NE(t.EntryOf(t.routes()[1]), nullptr);
  EXPECT_EQ(t.EntryOf(t.routes()[1])->name, "netwrx1-ftam");
  EXPECT_EQ(t.EntryOf(t.routes()[0]), nullptr);
  // The route's destination is the entry's.
  EXPECT_EQ(t.routes()[1].destination.tsel, "\x01\x03"s);
  EXPECT_EQ(t.routes()[1].directory_entry, "netwrx1-ftam");
}

struct SiteRow {
  const char* site;
  const char* route;
};

class SiteNamesEntry : public ::testing::TestWithParam<SiteRow> {};

TEST_P(SiteNamesEntry, SelectsTheRouteThatNamesIt) {
  RouteTable t = Table();
  absl::StatusOr<RouteTable::Match> m = t.Resolve("operator", GetParam().site);
  ASSERT_TRUE(m.ok()) << GetParam().site << ": " << m.status();
  EXPECT_EQ(m->route->name, GetParam().route) << GetParam().site;
  EXPECT_EQ(m->login, "operator");
  EXPECT_EQ(m->destination.url, m->route->destination.url);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, SiteNamesEntry,
    ::testing::Values(
        // The entry's name.
        SiteRow{"netwrx1-ftam", "netwrx1"}, SiteRow{"NETWRX1-FTAM", "netwrx1"},
        // RFC 1415 §4.1's DN, as typed after SITE: quoted or not, leading '@' or not, case
        // and spacing of values ignored, types in any case or long.
        SiteRow{"@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service", "netwrx1"},
        SiteRow{"\"c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service\"", "netwrx1"},
        SiteRow{"@C=us@O=open  networks@OU= Network Services @CN=NETWRX1@cn=ftam SERVICE", "netwrx1"},
        SiteRow{"@c=US@organizationName=Open Networks@ou=Network Services@commonName=netwrx1@cn=FTAM service", "netwrx1"},
        SiteRow{"cn=FTAM service, cn=netwrx1, ou=Network Services, o=Open Networks, c=US", "netwrx1"},
        SiteRow{"@c=US@o=GOV@ou=DOD@ou=DISA@l=Washington Navy Yard@cn=wnyosi7", "navy"},
        // A partial DN with one entry below it.
        SiteRow{"@c=US@o=GOV", "navy"},
        // User-friendly names (RFC 1415 §4.1): most specific first, levels left out.
        SiteRow{"\"FTAM service, netwrx1, Open Networks, us\"", "netwrx1"},
        SiteRow{"ftam service, Open Networks, US", "netwrx1"},
        SiteRow{"FTAM backup, netwrx1, Open Networks, us", "backup"},
        SiteRow{"FTP service, us", "ftp-svc"},
        SiteRow{"wnyosi7, Washington Navy Yard, us", "navy"},
        SiteRow{"wnyosi7", "navy"},
        SiteRow{"\"ftam backup\"", "backup"},
        SiteRow{"wnyosi7, l=Washington Navy Yard, c=US", "navy"},
        // An alias the table gives.
        SiteRow{"Netwrx1  FTAM", "netwrx1"},
        // Host and route names keep their meaning.
        SiteRow{"ftp-service.netwrx1.example", "ftp-svc"}, SiteRow{"netwrx1", "netwrx1"},
        SiteRow{"files", "files"}));

TEST(SiteNamesEntry, TheMatchIsTheEntrysFtamAddress) {
  RouteTable t = Table();
  absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", "FTAM service, netwrx1, Open Networks, us");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.scheme, Scheme::kFtam);
  EXPECT_EQ(m->destination.host, "192.0.2.7");
  EXPECT_EQ(m->destination.port, 102);
  EXPECT_EQ(m->destination.tsel, "\x01\x03"s);
  EXPECT_EQ(m->destination.ap_title, "1.3.9999.1.7");
  EXPECT_EQ(m->destination.ae_qualifier, 3);
  ASSERT_NE(t.EntryOf(*m->route), nullptr);
  EXPECT_EQ(t.EntryOf(*m->route)->name, "netwrx1-ftam");
}

TEST(SiteNamesEntry, AnAmbiguousNameIsRefusedWithTheCandidates) {
  RouteTable t = Table();
  // RFC 1415's own UFN names three services under netwrx1 here.
  absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", "\"netwrx1, Open Networks, us\"");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(m.status().message(),
              AllOf(HasSubstr("ambiguous name \"netwrx1, Open Networks, us\""),
                    HasSubstr("netwrx1-ftam (@c=US@o=Open Networks@ou=Network Services@cn=netwrx1@cn=FTAM service)"),
                    HasSubstr("netwrx1-backup"), HasSubstr("netwrx1-ftp")));
  // The same for a partial DN.
  m = t.Resolve("alice", "@c=US@o=Open Networks");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), AllOf(HasSubstr("ambiguous"), HasSubstr("netwrx1-ftp")));
  // Unreachable entries are never candidates, nor named.
  m = t.Resolve("alice", "us");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), AllOf(HasSubstr("wnyosi7"), Not(HasSubstr("hidden")), Not(HasSubstr("vault"))));
}

TEST(SiteNamesEntry, EntriesNoRouteNamesAreNotReachable) {
  RouteTable t = Table();
  for (const char* site : {"@c=US@o=Secret@cn=vault", "vault, Secret, US", "\"vault\""}) {
    absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", site);
    ASSERT_FALSE(m.ok()) << site;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound) << site;
    EXPECT_THAT(m.status().message(), HasSubstr("no directory entry for")) << site;
  }
  // A plain word that is nothing is an unknown host, as before the directory.
  absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", "hidden");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("no route for host hidden"));
  m = t.Resolve("alice", "nowhere, us");
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), HasSubstr("no directory entry for \"nowhere, us\""));
}

TEST(SiteNamesEntry, AllowUsersStillApplies) {
  RouteTable t = Table();
  absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", "FTAM backup, netwrx1, Open Networks, us");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kPermissionDenied);
  // The login is what it is with any SITE: the name before the last '@'.
  m = t.Resolve("op@example.org", "netwrx1-ftam");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->login, "op");
  m = t.Resolve("a@b@c", "FTAM service, netwrx1");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->login, "a@b");
}

TEST(SiteNamesEntry, MalformedDnsAreRefused) {
  RouteTable t = Table();
  absl::StatusOr<RouteTable::Match> m = t.Resolve("alice", "@c=US@@o=Open Networks");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("bad distinguished name"));
}

// ---- FTAM-initiated: the called address (RFC 1415 §4.2, §9.3)

TEST(ResolveCalled, TheCalledAeTitleNamesTheEntry) {
  RouteTable t = Table();
  CalledAddress called;
  called.ap_title = "1.3.9999.1.9";
  absl::StatusOr<RouteTable::Match> m = t.ResolveCalled("mindel", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "ftp-svc");
  EXPECT_EQ(m->login, "mindel");
  EXPECT_EQ(m->destination.scheme, Scheme::kFtp);
  EXPECT_EQ(m->destination.host, "ftp-service.netwrx1.example");
  EXPECT_EQ(m->destination.port, 2121);
  // The qualifier must agree where the entry has one.
  called.ap_title = "1.3.9999.1.7";
  called.ae_qualifier = 3;
  m = t.ResolveCalled("mindel@example.org", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "netwrx1");
  EXPECT_EQ(m->login, "mindel@example.org");  // the called address named the destination
  called.ae_qualifier = 4;
  m = t.ResolveCalled("demo", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "files");  // named nothing: the login's own route
}

TEST(ResolveCalled, TheCalledSelectorsNameTheEntry) {
  RouteTable t = Table();
  CalledAddress called;
  called.tsel = "\x02\x01"s;  // the gateway's address the FTP service is registered at
  absl::StatusOr<RouteTable::Match> m = t.ResolveCalled("mindel", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "ftp-svc");
  // All three selectors must agree.
  called.psel = "\x00\x01"s;
  m = t.ResolveCalled("demo", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "files");
  // An FTAM responder's entry holds the responder's selectors, not the gateway's: calling
  // the gateway with them names nothing (the login's own route decides).
  called = {};
  called.tsel = "\x00\x01"s;
  called.ssel = "\x00\x02"s;
  called.psel = "\x00\x00\x00\x03"s;
  m = t.ResolveCalled("demo", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "files");
}

TEST(ResolveCalled, UnreachableEntriesAndUnknownAddressesFallBackToTheLogin) {
  RouteTable t = Table();
  CalledAddress called;
  called.ap_title = "1.3.9999.6.6";  // "hidden": no route names it
  called.tsel = "\x00\x07"s;
  absl::StatusOr<RouteTable::Match> m = t.ResolveCalled("alice", called);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(m.status().message(), HasSubstr("no route for user alice"));
  // user@host (RFC 1415 §4.2) still works when the called address names nothing.
  m = t.ResolveCalled("mindel@ftp-service.netwrx1.example", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "ftp-svc");
  EXPECT_EQ(m->login, "mindel");
  EXPECT_FALSE(t.ResolveCalled("", called).ok());
}

TEST(ResolveCalled, TwoEntriesForOneCalledTitleAreRefused) {
  absl::StatusOr<RouteTable> t = RouteTable::FromYaml(R"(
directory:
  - name: any-qualifier
    presentation_address: Internet=192.0.2.1
    ae_title: 1.3.9999.5
  - name: qualifier-2
    presentation_address: Internet=192.0.2.2
    ae_title: 1.3.9999.5
    ae_qualifier: 2
routes:
  - name: a
    destination: directory:any-qualifier
  - name: b
    destination: directory:qualifier-2
)");
  ASSERT_TRUE(t.ok()) << t.status();
  CalledAddress called;
  called.ap_title = "1.3.9999.5";
  called.ae_qualifier = 2;
  absl::StatusOr<RouteTable::Match> m = t->ResolveCalled("u", called);
  ASSERT_FALSE(m.ok());
  EXPECT_THAT(m.status().message(), AllOf(HasSubstr("ambiguous called address"), HasSubstr("any-qualifier"),
                                          HasSubstr("qualifier-2")));
  called.ae_qualifier = 1;
  m = t->ResolveCalled("u", called);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "a");
}

// ---- Table errors

struct BadTable {
  const char* yaml;
  const char* message;
};

class DirectoryTableBad : public ::testing::TestWithParam<BadTable> {};

TEST_P(DirectoryTableBad, Refused) {
  absl::StatusOr<RouteTable> t = RouteTable::FromYaml(GetParam().yaml);
  ASSERT_FALSE(t.ok()) << GetParam().yaml;
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr(GetParam().message)) << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, DirectoryTableBad,
    ::testing::Values(
        BadTable{"routes: []\ndirectory: {}\n", "\"directory\" must be a list"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    address: x\n", "unknown key \"address\""},
        BadTable{"routes: []\ndirectory:\n  - dn: c=US\n    presentation_address: Internet=h\n",
                 "directory entry without a name"},
        BadTable{"routes: []\ndirectory:\n  - name: a b\n    presentation_address: Internet=h\n",
                 "invalid directory entry name"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n", "missing presentation_address or destination"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: \"#259/Internet=\"\n",
                 "line 4: bad presentation address"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: Internet=h\n"
                 "    destination: ftam://h/?tsel=01\n",
                 "not both"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    dn: \"@c=US@@o=x\"\n    presentation_address: Internet=h\n",
                 "line 4: bad distinguished name"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: Internet=h\n    ae_title: 7.1\n",
                 "first arc"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: Internet=h\n    ae_qualifier: x\n",
                 "expected an integer"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    destination: ftam://h/?ap_title=1.2\n    ae_title: 1.3\n",
                 "ae_title given twice"},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: Internet=h\n"
                 "  - name: A\n    presentation_address: Internet=g\n",
                 "the name already names entry \"a\""},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    dn: c=US@cn=x\n    presentation_address: Internet=h\n"
                 "  - name: b\n    dn: C=us@CN= X\n    presentation_address: Internet=g\n",
                 "its dn already names entry \"a\""},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: \"#1/Internet=h\"\n"
                 "  - name: b\n    destination: ftam://g/?tsel=0001\n",
                 "its selectors already names entry \"a\""},
        BadTable{"routes: []\ndirectory:\n  - name: a\n    presentation_address: Internet=h\n    ae_title: 1.3.5\n"
                 "  - name: b\n    presentation_address: Internet=g\n    ae_title: 1.3.5\n",
                 "its ae_title already names entry \"a\""},
        BadTable{"routes:\n  - name: r\n    destination: directory:nothing\n", "no directory entry \"nothing\""},
        BadTable{"directory:\n  - name: a\n    presentation_address: Internet=h\n"
                 "routes:\n  - name: r\n    destination: directory:a\n  - name: s\n    destination: directory:a\n",
                 "directory entry \"a\" is already the destination of route \"r\""},
        BadTable{"directory:\n  - name: a\n    presentation_address: Internet=h\n"
                 "routes:\n  - name: r\n    destination: directory:a\n    accounts: {}\n",
                 "accounts apply only to file://"}));

TEST(DirectoryTable, OrderOfSectionsDoesNotMatterAndRoutesStayRequired) {
  EXPECT_TRUE(RouteTable::FromYaml("routes:\n  - name: r\n    destination: directory:a\n"
                                   "directory:\n  - name: a\n    presentation_address: Internet=h\n")
                  .ok());
  absl::StatusOr<RouteTable> t = RouteTable::FromYaml("directory: []\n");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("missing \"routes\" list"));
}

// ---- A SITE ftam:// URL names selectors on a route's host (issue addressing)

TEST(FtamUrlHint, SelectorsTheUserNamesReplaceTheRoutes) {
  absl::StatusOr<RouteTable> t = RouteTable::FromYaml(R"(
routes:
  - name: local-ftam
    hosts: [127.0.0.1]
    destination: ftam://127.0.0.1:102/?tsel=0001&ap_title=1.3.9999.1
    ports: ["1100-1199"]
)");
  ASSERT_TRUE(t.ok()) << t.status();
  absl::StatusOr<RouteTable::Match> m = t->Resolve("alice", "ftam://127.0.0.1:1102/?tsel=0103");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 1102);
  EXPECT_EQ(m->destination.tsel, "\x01\x03"s);
  EXPECT_EQ(m->destination.ap_title, "");  // the user's address, all of it
  m = t->Resolve("alice", "ftam://127.0.0.1/dir");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.tsel, "\x00\x01"s);  // none named: the route's
  EXPECT_EQ(m->destination.ap_title, "1.3.9999.1");
  EXPECT_EQ(m->destination.path, "/dir");
  m = t->Resolve("alice", "ftam://127.0.0.1:2000/?tsel=0103");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  m = t->Resolve("alice", "ftam://127.0.0.1/?tsel=zz");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gw::route
