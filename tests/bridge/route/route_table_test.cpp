#include "bridge/route/route_table.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A well-formed hash of "demo-password" (pbkdf2-sha256, 1000 iterations, to
// keep the tests quick).
constexpr char kDemoHash[] =
    "pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$"
    "1e1a2229ba4d76d50c9163bb1169776b908e9dceb07770eaf448966e3f3a3b32";

std::string Table() {
  return std::string(R"(
# destinations the bridge may open
routes:
  - name: demo
    hosts: [demo, localhost, "::1"]
    users: [demo]
    destination: file:///var/lib/gw/demo
    accounts:
      demo: ")") +
         kDemoHash + R"("
  - name: archive
    hosts: [archive.example.org, Archive2]
    users: [alice]
    destination: ftps://archive.example.org:2121/pub
    allow_users: [alice, bob]
    tls: { ca: /etc/gw/ca.pem, insecure: false }
  - name: osi
    destination: ftam://osi-host
  - name: fallback
    default: true
    destination: ftp://ftp.example.org
)";
}

RouteTable MustParse(const std::string& yaml) {
  absl::StatusOr<RouteTable> table = RouteTable::FromYaml(yaml);
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? std::move(*table) : RouteTable();
}

TEST(RouteTableParse, ReadsEveryField) {
  RouteTable table = MustParse(Table());
  ASSERT_EQ(table.routes().size(), 4u);
  const Route& demo = table.routes()[0];
  EXPECT_EQ(demo.name, "demo");
  EXPECT_THAT(demo.hosts, ElementsAre("demo", "localhost", "::1"));
  EXPECT_THAT(demo.users, ElementsAre("demo"));
  EXPECT_FALSE(demo.is_default);
  EXPECT_EQ(demo.destination.scheme, Scheme::kFile);
  EXPECT_EQ(demo.destination.root, "/var/lib/gw/demo");
  ASSERT_EQ(demo.accounts.count("demo"), 1u);
  EXPECT_EQ(demo.accounts.at("demo"), kDemoHash);

  const Route& archive = table.routes()[1];
  EXPECT_EQ(archive.destination.scheme, Scheme::kFtps);
  EXPECT_EQ(archive.destination.host, "archive.example.org");
  EXPECT_EQ(archive.destination.port, 2121);
  EXPECT_EQ(archive.destination.path, "/pub");
  EXPECT_EQ(archive.destination.tls_ca, "/etc/gw/ca.pem");
  EXPECT_FALSE(archive.destination.tls_insecure);
  EXPECT_THAT(archive.allow_users, ElementsAre("alice", "bob"));

  EXPECT_EQ(table.routes()[2].destination.port, 102);
  EXPECT_TRUE(table.routes()[3].is_default);
}

TEST(RouteTableParse, EmptyRoutesListRefusesEverything) {
  RouteTable table = MustParse("routes: []\n");
  EXPECT_TRUE(table.routes().empty());
  EXPECT_EQ(table.Resolve("anyone", "").status().code(), absl::StatusCode::kNotFound);
}

TEST(RouteTableParse, TlsInsecureAndYamlBooleans) {
  RouteTable table = MustParse(
      "routes:\n"
      "  - name: a\n"
      "    destination: ftps-implicit://h\n"
      "    default: yes\n"
      "    tls:\n"
      "      insecure: true\n");
  ASSERT_EQ(table.routes().size(), 1u);
  EXPECT_TRUE(table.routes()[0].is_default);
  EXPECT_TRUE(table.routes()[0].destination.tls_insecure);
  EXPECT_EQ(table.routes()[0].destination.port, 990);
}

struct BadTable {
  const char* name;
  const char* yaml;
  const char* complaint;  // part of the message, with its line
};

class RouteTableParseError : public ::testing::TestWithParam<BadTable> {};

TEST_P(RouteTableParseError, IsInvalidArgumentWithLine) {
  const BadTable& row = GetParam();
  absl::StatusOr<RouteTable> table = RouteTable::FromYaml(row.yaml);
  ASSERT_FALSE(table.ok()) << row.name;
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument) << row.name;
  EXPECT_THAT(std::string(table.status().message()), HasSubstr(row.complaint)) << row.name;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RouteTableParseError,
    ::testing::Values(
        BadTable{"Empty", "", "empty route table"}, BadTable{"NotYaml", "routes: [\n", "line "},
        BadTable{"TopLevelList", "- a\n", "must be a mapping"},
        BadTable{"UnknownTopLevelKey", "routes: []\nroutse: []\n",
                 "line 2: unknown key \"routse\""},
        BadTable{"MissingRoutes", "other: 1\n", "unknown key \"other\""},
        BadTable{"RoutesNotAList", "routes: 5\n", "line 1: \"routes\" must be a list"},
        BadTable{"UnknownRouteKey",
                 "routes:\n  - name: a\n    destination: ftp://h\n    destinaton: ftp://h\n",
                 "line 4: unknown key \"destinaton\" in a route"},
        BadTable{"DuplicateKey", "routes:\n  - name: a\n    destination: ftp://h\n    name: b\n",
                 "line 4: duplicate key \"name\""},
        BadTable{"MissingDestination", "routes:\n  - name: a\n    hosts: [a]\n",
                 "line 2: missing destination in route \"a\""},
        BadTable{"MissingName", "routes:\n  - destination: ftp://h\n",
                 "line 2: route without a name"},
        BadTable{"BadName", "routes:\n  - name: a b\n    destination: ftp://h\n",
                 "line 2: invalid route name"},
        BadTable{"HttpScheme", "routes:\n  - name: a\n    destination: http://h/\n",
                 "line 3: bad destination URL \"http://h/\": unsupported scheme \"http\""},
        BadTable{"PortOutOfRange", "routes:\n  - name: a\n    destination: ftp://h:70000\n",
                 "line 3: bad destination URL \"ftp://h:70000\": port out of range"},
        BadTable{"DestinationNotAString", "routes:\n  - name: a\n    destination: [ftp://h]\n",
                 "line 3: destination must be a string"},
        BadTable{"HostsNotAList", "routes:\n  - name: a\n    hosts: h\n    destination: ftp://h\n",
                 "line 3: hosts must be a list"},
        BadTable{"BadHost",
                 "routes:\n  - name: a\n    hosts: [\"h/x\"]\n    destination: ftp://h\n",
                 "line 3: invalid entry \"h/x\" in hosts"},
        BadTable{"UserWithAt",
                 "routes:\n  - name: a\n    users: [\"u@h\"]\n    destination: ftp://h\n",
                 "invalid entry \"u@h\" in users"},
        BadTable{"DefaultNotBool",
                 "routes:\n  - name: a\n    default: maybe\n    destination: ftp://h\n",
                 "line 3: default must be true or false"},
        BadTable{"AccountsOnFtp",
                 "routes:\n  - name: a\n    destination: ftp://h\n    accounts: {u: x}\n",
                 "line 4: accounts apply only to file:// destinations"},
        BadTable{"MalformedHash",
                 "routes:\n  - name: a\n    destination: file:///srv\n    accounts:\n"
                 "      u: plaintext-password\n",
                 "line 5: malformed password hash for account \"u\""},
        BadTable{"AllowUsersOnFile",
                 "routes:\n  - name: a\n    destination: file:///srv\n    allow_users: [u]\n",
                 "line 4: allow_users does not apply to file://"},
        BadTable{"TlsOnPlainFtp",
                 "routes:\n  - name: a\n    destination: ftp://h\n    tls: {insecure: true}\n",
                 "line 4: tls applies only to ftps"},
        BadTable{"UnknownTlsKey",
                 "routes:\n  - name: a\n    destination: ftps://h\n    tls: {verify: true}\n",
                 "unknown key \"verify\" in tls"},
        BadTable{"TwoDefaults",
                 "routes:\n  - name: a\n    default: true\n    destination: ftp://h\n"
                 "  - name: b\n    default: true\n    destination: ftp://h\n",
                 "line 5: route \"b\": only one route may be the default"},
        BadTable{"SameHostTwice",
                 "routes:\n  - name: a\n    hosts: [x]\n    destination: ftp://h\n"
                 "  - name: b\n    hosts: [X]\n    destination: ftp://h\n",
                 "line 5: route \"b\": host name \"X\" already selects route \"a\""},
        BadTable{"HostEqualsOtherRouteName",
                 "routes:\n  - name: a\n    destination: ftp://h\n"
                 "  - name: b\n    hosts: [A]\n    destination: ftp://h\n",
                 "already selects route \"a\""},
        BadTable{"SameUserTwice",
                 "routes:\n  - name: a\n    users: [u]\n    destination: ftp://h\n"
                 "  - name: b\n    users: [u]\n    destination: ftp://h\n",
                 "user \"u\" is already routed to \"a\""}),
    [](const ::testing::TestParamInfo<BadTable>& info) { return std::string(info.param.name); });

TEST(RouteTableFile, ReadsAFileAndNamesItInErrors) {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("gw_routes_" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(path);
    out << Table();
  }
  absl::StatusOr<RouteTable> table = RouteTable::FromFile(path);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->routes().size(), 4u);
  {
    std::ofstream out(path);
    out << "routes:\n  - name: a\n    destination: http://h\n";
  }
  table = RouteTable::FromFile(path);
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(table.status().message()), HasSubstr(path.string() + ": line 3:"));
  std::filesystem::remove(path);
  EXPECT_EQ(RouteTable::FromFile(path).status().code(), absl::StatusCode::kNotFound);
}

// --- Resolve ----------------------------------------------------------------

struct ResolveRow {
  const char* user;
  const char* host_hint;
  const char* route;  // expected route name
  const char* login;  // expected login
};

class RouteTableResolve : public ::testing::TestWithParam<ResolveRow> {};

TEST_P(RouteTableResolve, PicksTheRoute) {
  const ResolveRow& row = GetParam();
  RouteTable table = MustParse(Table());
  absl::StatusOr<RouteTable::Match> match = table.Resolve(row.user, row.host_hint);
  ASSERT_TRUE(match.ok()) << row.user << " / " << row.host_hint << ": " << match.status();
  EXPECT_EQ(match->route->name, row.route) << row.user << " / " << row.host_hint;
  EXPECT_EQ(match->login, row.login);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, RouteTableResolve,
    ::testing::Values(
        // users list
        ResolveRow{"demo", "", "demo", "demo"}, ResolveRow{"alice", "", "archive", "alice"},
        // default route for everyone else
        ResolveRow{"carol", "", "fallback", "carol"},
        ResolveRow{"Demo", "", "fallback", "Demo"},  // login names are case-sensitive
        // user@host beats the users list
        ResolveRow{"demo@osi", "", "osi", "demo"}, ResolveRow{"alice@demo", "", "demo", "alice"},
        ResolveRow{"carol@LOCALHOST", "", "demo", "carol"},  // host names are not
        ResolveRow{"bob@archive.example.org", "", "archive", "bob"},
        ResolveRow{"bob@archive.example.org.", "", "archive", "bob"},
        ResolveRow{"bob@archive2", "", "archive", "bob"},
        ResolveRow{"bob@archive", "", "archive", "bob"},       // route name as host
        ResolveRow{"bob@archive:2121", "", "archive", "bob"},  // its own port
        ResolveRow{"carol@osi:102", "", "osi", "carol"},
        ResolveRow{"carol@demo:2121", "", "demo", "carol"},  // file:// has no port to differ
        ResolveRow{"me@example.com@osi", "", "osi", "me@example.com"},
        // SITE/HOST beats user@host and the users list
        ResolveRow{"demo", "osi", "osi", "demo"},
        ResolveRow{"alice@demo", "Archive", "archive", "alice"},
        ResolveRow{"carol", "[::1]", "demo", "carol"},  // IPv6 literals
        ResolveRow{"carol", "::1", "demo", "carol"},
        ResolveRow{"carol@[::1]:21", "", "demo", "carol"}));

TEST(RouteTableResolveErrors, UnknownHostsAreRefused) {
  RouteTable table = MustParse(Table());
  absl::StatusOr<RouteTable::Match> by_user = table.Resolve("demo@evil.example.com", "");
  EXPECT_EQ(by_user.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(by_user.status().message(), "no route for host evil.example.com");
  // Even with a default route, naming an unknown host is not "anything goes".
  absl::StatusOr<RouteTable::Match> by_hint = table.Resolve("demo", "evil.example.com");
  EXPECT_EQ(by_hint.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(by_hint.status().message(), "no route for host evil.example.com");
  // Nor is another port of a known host.
  EXPECT_EQ(table.Resolve("bob@archive:21", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(table.Resolve("bob", "osi:10102").status().code(), absl::StatusCode::kNotFound);
}

TEST(RouteTableResolveErrors, NoDefaultMeansNoRoute) {
  RouteTable table = MustParse("routes:\n  - name: a\n    users: [u]\n    destination: ftp://h\n");
  absl::StatusOr<RouteTable::Match> match = table.Resolve("stranger", "");
  EXPECT_EQ(match.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(match.status().message(), "no route for user stranger");
}

TEST(RouteTableResolveErrors, AllowUsersIsEnforced) {
  RouteTable table = MustParse(Table());
  absl::StatusOr<RouteTable::Match> match = table.Resolve("mallory@archive", "");
  EXPECT_EQ(match.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(match.status().message(), "user mallory may not use destination archive");
  EXPECT_EQ(table.Resolve("mallory", "archive2").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(table.Resolve("bob", "archive2").ok());
}

TEST(RouteTableResolveErrors, FileRoutesLeaveUnknownLoginsToCheckAccount) {
  // Refusing here would tell a stranger which names exist.
  RouteTable table = MustParse(Table());
  absl::StatusOr<RouteTable::Match> match = table.Resolve("nobody@demo", "");
  ASSERT_TRUE(match.ok());
  EXPECT_EQ(CheckAccount(*match->route, match->login, "guess").message(), "login incorrect");
  EXPECT_TRUE(CheckAccount(*match->route, "demo", "demo-password").ok());
}

TEST(RouteTableResolveErrors, MalformedNames) {
  RouteTable table = MustParse(Table());
  for (auto [user, hint] : std::initializer_list<std::pair<const char*, const char*>>{
           {"", ""}, {"@demo", ""}, {"", "demo"}}) {
    EXPECT_EQ(table.Resolve(user, hint).status().code(), absl::StatusCode::kInvalidArgument)
        << user << " / " << hint;
  }
  for (const char* user : {"u@", "u@demo:", "u@demo:0", "u@demo:65536", "u@demo:x", "u@[::1"}) {
    EXPECT_EQ(table.Resolve(user, "").status().code(), absl::StatusCode::kInvalidArgument) << user;
  }
}

TEST(RouteTableResolveErrors, EmptyTableRefusesEveryone) {
  RouteTable table;
  EXPECT_EQ(table.Resolve("demo", "").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(table.Resolve("demo@demo", "").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gw::route
