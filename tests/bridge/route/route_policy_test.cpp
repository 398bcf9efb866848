// The relay policy of the route table: ports and schemes a user may name (user@host:port,
// SITE host:port, SITE scheme://host:port/dir), and one-shot targets (ResolveUrl).
#include "bridge/route/route_table.h"

#include "gmock/gmock.h"
#include "policy_table.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;


RouteTable Table() {
  auto t = RouteTable::FromYaml(testing::kPolicyTable);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? std::move(*t) : RouteTable();
}

TEST(RoutePolicy, UserAtHostMayNameAnAllowedPort) {
  RouteTable t = Table();
  auto m = t.Resolve("bob@127.0.0.1:2121", "");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  EXPECT_EQ(m->login, "bob");
  EXPECT_EQ(m->destination.scheme, Scheme::kFtp);
  EXPECT_EQ(m->destination.host, "127.0.0.1");
  EXPECT_EQ(m->destination.port, 2121);
  EXPECT_EQ(m->destination.path, "/pub");  // the route's initial directory
  // No port: the destination's own.
  m = t.Resolve("bob@localhost", "");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->destination.port, 21);
}

TEST(RoutePolicy, PortsOutsideTheListAreAnotherDestination) {
  RouteTable t = Table();
  for (const char* user : {"bob@127.0.0.1:3000", "bob@127.0.0.1:1999", "bob@127.0.0.1:22"}) {
    auto m = t.Resolve(user, "");
    ASSERT_FALSE(m.ok()) << user;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(m.status().message(), HasSubstr("no route for host"));
  }
  // Without `ports`, only the destination's own port.
  EXPECT_FALSE(t.Resolve("alice@archive.example.org:21", "").ok());
  EXPECT_TRUE(t.Resolve("alice@archive.example.org:2121", "").ok());
}

TEST(RoutePolicy, SiteUrlChoosesSchemePortAndDirectory) {
  RouteTable t = Table();
  auto m = t.Resolve("bob", "ftps-implicit://127.0.0.1/in");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  EXPECT_EQ(m->destination.scheme, Scheme::kFtpsImplicit);
  EXPECT_EQ(m->destination.port, 990);  // the scheme's default port, which the route allows
  EXPECT_EQ(m->destination.path, "/in");
  EXPECT_EQ(m->destination.tls_ca, "/etc/gw/local-ca.pem");
  m = t.Resolve("bob", "FTPS://localhost:2222");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.scheme, Scheme::kFtps);
  EXPECT_EQ(m->destination.port, 2222);
  EXPECT_EQ(m->destination.path, "/pub");
}

TEST(RoutePolicy, SiteUrlRefusals) {
  RouteTable t = Table();
  // a scheme the route does not list
  auto m = t.Resolve("alice", "ftp://archive.example.org:2121");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  // a port the route does not list
  EXPECT_EQ(t.Resolve("bob", "ftp://127.0.0.1:4000").status().code(), absl::StatusCode::kNotFound);
  // a host no route names
  EXPECT_EQ(t.Resolve("bob", "ftp://10.0.0.9").status().code(), absl::StatusCode::kNotFound);
  // credentials in the URL: refused, and never repeated (messages reach logs)
  m = t.Resolve("bob", "ftp://bob:secret@127.0.0.1:2121");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(m.status().message(), HasSubstr("credentials"));
  EXPECT_THAT(m.status().message(), Not(HasSubstr("secret")));
  // a file:// route cannot be named by URL
  EXPECT_FALSE(t.Resolve("demo", "file:///srv/demo").ok());
  // allow_users still applies
  m = t.Resolve("mallory", "ftps://archive.example.org:2121/pub");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(RoutePolicy, UrlWithoutPortMeansTheRoutesPort) {
  RouteTable t = Table();
  auto m = t.ResolveUrl("ftps://archive.example.org/x", "alice");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 2121);
  // another scheme without a port: that scheme's default port, if the route allows it
  m = t.Resolve("bob", "ftps-implicit://localhost");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 990);
  m = t.ResolveUrl("ftp://[2001:db8::1]/x", "bob");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 21);
}

TEST(RoutePolicy, Ipv6UrlHint) {
  RouteTable t = Table();
  auto m = t.Resolve("bob", "ftp://[2001:db8::1]:2150/x");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "v6");
  EXPECT_EQ(m->destination.port, 2150);
  EXPECT_FALSE(t.Resolve("bob", "ftp://[2001:db8::1]:2200").ok());
  m = t.Resolve("bob@[2001:db8::1]:2199", "");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 2199);
}

TEST(RoutePolicy, ResolveUrlForScripts) {
  RouteTable t = Table();
  auto m = t.ResolveUrl("ftp://127.0.0.1:2121/data/report.csv", "bob");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  EXPECT_EQ(m->path, "/data/report.csv");
  EXPECT_EQ(m->destination.path, "/pub");  // a target's path is not a directory to enter
  EXPECT_EQ(m->destination.port, 2121);
  m = t.ResolveUrl("ftps://archive.example.org:2121/a%20b.txt", "alice");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->path, "/a b.txt");
  EXPECT_EQ(t.ResolveUrl("ftps://archive.example.org:2121/x", "bob").status().code(),
            absl::StatusCode::kPermissionDenied);
  // file:///path: the user's own route
  m = t.ResolveUrl("file:///pub/x.bin", "demo");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "demo");
  EXPECT_EQ(m->path, "/pub/x.bin");
  EXPECT_EQ(t.ResolveUrl("ftp://elsewhere.example/x", "bob").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(t.ResolveUrl("not a url", "bob").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RoutePolicy, YamlErrorsSayWhereAndWhy) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"routes:\n  - name: a\n    destination: file:///x\n    ports: [21]\n", "line 4: ports does not apply to file://"},
      {"routes:\n  - name: a\n    destination: file:///x\n    schemes: [ftp]\n", "line 4: schemes does not apply to file://"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [0]\n", "line 4: bad port or range \"0\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [\"30-20\"]\n", "line 4: empty port range"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [70000]\n", "bad port or range"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: 21\n", "ports must be a list"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    schemes: [gopher]\n", "line 4: unknown scheme \"gopher\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    schemes: [ftam]\n", "do not mix"},
      {"routes:\n  - name: a\n    destination: ftam://h\n    schemes: [ftps]\n", "do not mix"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    tls: { insecure: true }\n",
       "tls applies only to ftps:// and ftps-implicit:// destinations"},
  };
  for (const Case& c : cases) {
    auto t = RouteTable::FromYaml(c.yaml);
    ASSERT_FALSE(t.ok()) << c.yaml;
    EXPECT_THAT(t.status().message(), HasSubstr(c.message)) << c.yaml;
  }
  // tls is accepted when a TLS scheme may be chosen.
  EXPECT_TRUE(RouteTable::FromYaml("routes:\n  - name: a\n    destination: ftp://h\n    schemes: [ftps]\n"
                                   "    tls: { insecure: true }\n")
                  .ok());
}

RouteTable MustParse(const char* yaml) {
  auto t = RouteTable::FromYaml(yaml);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? std::move(*t) : RouteTable();
}

TEST(RoutePolicy, PortsAndSchemesAreRead) {
  RouteTable t = Table();
  const Route& local = t.routes()[1];
  ASSERT_EQ(local.name, "local-ftp");
  EXPECT_THAT(local.ports, ElementsAre(Pair(21, 21), Pair(990, 990), Pair(2000, 2999)));
  EXPECT_THAT(local.schemes, ElementsAre(Scheme::kFtp, Scheme::kFtps, Scheme::kFtpsImplicit));
  // Absent, empty or without a value: nothing but the destination's own scheme and port.
  EXPECT_TRUE(t.routes()[2].ports.empty());
  EXPECT_TRUE(t.routes()[2].schemes.empty());
  RouteTable u = MustParse(
      "routes:\n"
      "  - name: a\n    destination: ftp://a:2121\n    ports: []\n    schemes: []\n"
      "  - name: b\n    destination: ftp://b\n    ports:\n    schemes:\n"
      "  - name: c\n    destination: ftp://c\n    schemes: [FTPS, Ftps-Implicit]\n"
      "    ports:\n      - \"990\"\n      - 2000-2001\n");
  ASSERT_EQ(u.routes().size(), 3u);
  EXPECT_TRUE(u.routes()[0].ports.empty());
  EXPECT_TRUE(u.routes()[1].schemes.empty());
  EXPECT_THAT(u.routes()[2].schemes, ElementsAre(Scheme::kFtps, Scheme::kFtpsImplicit));
  EXPECT_THAT(u.routes()[2].ports, ElementsAre(Pair(990, 990), Pair(2000, 2001)));
  EXPECT_TRUE(u.Resolve("x@a:2121", "").ok());
  EXPECT_EQ(u.Resolve("x@a:21", "").status().message(), "no route for host a:21");
}

TEST(RoutePolicy, PortRangesIncludeTheirBounds) {
  RouteTable t = Table();
  for (const char* user : {"bob@127.0.0.1:2000", "bob@127.0.0.1:2999", "bob@localhost:990"}) {
    auto m = t.Resolve(user, "");
    ASSERT_TRUE(m.ok()) << user << ": " << m.status();
    EXPECT_EQ(m->destination.scheme, Scheme::kFtp) << user;  // host:port keeps the scheme
  }
  // SITE/HOST host:port obeys the same list, and its refusal names what the user typed.
  auto m = t.Resolve("bob", "127.0.0.1:2500");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 2500);
  EXPECT_EQ(m->path, "");
  m = t.Resolve("bob", "127.0.0.1:4000");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(), "no route for host 127.0.0.1:4000");
  m = t.Resolve("bob@127.0.0.1:3000", "");
  EXPECT_EQ(m.status().message(), "no route for host 127.0.0.1:3000");
}

TEST(RoutePolicy, TheDestinationsOwnPortIsAlwaysAllowed) {
  RouteTable t = MustParse(
      "routes:\n  - name: h\n    destination: ftp://h:21\n    ports: [\"2000-2001\"]\n");
  EXPECT_TRUE(t.Resolve("u@h:21", "").ok());
  EXPECT_TRUE(t.Resolve("u", "ftp://h:21").ok());
  EXPECT_TRUE(t.Resolve("u@h:2001", "").ok());
  EXPECT_FALSE(t.Resolve("u@h:2002", "").ok());
}

TEST(RoutePolicy, DefaultPortOfEachScheme) {
  RouteTable t = MustParse(R"(
routes:
  - name: plain
    hosts: [plain.example]
    destination: ftp://plain.example:2121
    schemes: [ftps, ftps-implicit]
    ports: [21]
  - name: osi
    hosts: [osi-host]
    destination: ftam://osi-host:10102
    schemes: [ftam]
    ports: [102]
)");
  struct Row {
    const char* hint;
    Scheme scheme;
    uint16_t port;  // 0: refused
  } rows[] = {
      {"ftp://plain.example", Scheme::kFtp, 2121},              // the route's own scheme: its port
      {"ftp://plain.example:21", Scheme::kFtp, 21},             // listed
      {"ftps://plain.example", Scheme::kFtps, 21},              // ftps: 21, listed
      {"ftps-implicit://plain.example", Scheme::kFtpsImplicit, 0},  // 990, not listed
      {"ftps-implicit://plain.example:2121", Scheme::kFtpsImplicit, 2121},
      {"ftam://osi-host", Scheme::kFtam, 10102},
      {"ftam://osi-host:102", Scheme::kFtam, 102},
      {"ftam://osi-host:103", Scheme::kFtam, 0},
      {"ftp://osi-host:102", Scheme::kFtp, 0},  // ftam routes speak ftam only
      {"ftam://plain.example:21", Scheme::kFtam, 0},
  };
  for (const Row& row : rows) {
    auto m = t.Resolve("u", row.hint);
    if (row.port == 0) {
      ASSERT_FALSE(m.ok()) << row.hint;
      EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound) << row.hint;
      EXPECT_EQ(m.status().message(), std::string("no route for ") + row.hint);
      continue;
    }
    ASSERT_TRUE(m.ok()) << row.hint << ": " << m.status();
    EXPECT_EQ(m->destination.scheme, row.scheme) << row.hint;
    EXPECT_EQ(m->destination.port, row.port) << row.hint;
  }
}

TEST(RoutePolicy, AnUnlistedSchemeReadsLikeAnUnlistedHost) {
  RouteTable t = Table();
  auto scheme = t.Resolve("alice", "ftp://archive.example.org:2121");
  auto host = t.Resolve("alice", "ftp://10.0.0.9");
  EXPECT_EQ(scheme.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(scheme.status().message(), "no route for ftp://archive.example.org:2121");
  EXPECT_EQ(host.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(host.status().message(), "no route for ftp://10.0.0.9");
  // A hint in the route's own scheme and port but not in `schemes` is fine.
  EXPECT_TRUE(t.Resolve("alice", "ftps://archive.example.org:2121").ok());
}

TEST(RoutePolicy, UrlHintPathReplacesTheInitialDirectory) {
  RouteTable t = Table();
  auto m = t.Resolve("bob", "ftp://127.0.0.1:2121");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.path, "/pub");  // no path: the route's
  EXPECT_EQ(m->path, "");
  m = t.Resolve("bob", "ftp://127.0.0.1:2121/");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.path, "/");
  EXPECT_EQ(m->path, "/");
  m = t.Resolve("bob", "ftp://127.0.0.1:2121/in%20box/2024");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.path, "/in box/2024");
  EXPECT_EQ(m->path, "/in box/2024");
  // The rest of the destination is the route's; the route itself is unchanged.
  EXPECT_EQ(m->destination.host, "127.0.0.1");
  EXPECT_EQ(m->destination.tls_ca, "/etc/gw/local-ca.pem");
  EXPECT_EQ(m->route->destination.path, "/pub");
  EXPECT_EQ(m->route->destination.port, 21);
}

TEST(RoutePolicy, UrlHintHostMatchesLikeAName) {
  RouteTable t = Table();
  for (const char* hint : {"FTPS://Archive.Example.ORG:2121/x", "ftps://archive.example.org./x",
                           "ftps://archive/x"}) {
    auto m = t.Resolve("alice", hint);
    ASSERT_TRUE(m.ok()) << hint << ": " << m.status();
    EXPECT_EQ(m->route->name, "archive") << hint;
    EXPECT_EQ(m->destination.host, "archive.example.org") << hint;
    EXPECT_EQ(m->destination.port, 2121) << hint;
  }
}

TEST(RoutePolicy, SiteUrlBeatsUserAtHost) {
  RouteTable t = Table();
  auto m = t.Resolve("bob@archive.example.org", "ftp://127.0.0.1:2121");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  EXPECT_EQ(m->login, "bob");
}

TEST(RoutePolicy, CredentialsInAUrlAreRefusedWithoutRepeatingThem) {
  RouteTable t = Table();
  auto m = t.Resolve("bob", "ftp://bob:secret@127.0.0.1:2121/x");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().message(),
            "bad destination URL \"ftp://...@127.0.0.1:2121/x\": credentials do not belong in a "
            "destination URL");
  m = t.Resolve("bob", "ftps://bob@localhost");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().message(),
            "bad destination URL \"ftps://...@localhost\": credentials do not belong in a "
            "destination URL");
  for (const char* url : {"ftp://bob:secret@127.0.0.1:2121/x", "file://bob:secret@localhost/x"}) {
    auto u = t.ResolveUrl(url, "bob");
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(u.status().message(), HasSubstr("credentials do not belong")) << url;
    EXPECT_THAT(u.status().message(), Not(HasSubstr("secret"))) << url;
  }
  // An '@' in the path is not a credential.
  EXPECT_TRUE(t.Resolve("bob", "ftp://127.0.0.1:2121/mail@box").ok());
}

TEST(RoutePolicy, Ipv6InUrls) {
  RouteTable t = Table();
  auto m = t.Resolve("bob", "ftp://[::1]:2121");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  EXPECT_EQ(m->destination.host, "127.0.0.1");  // a name selects the route; its host is opened
  EXPECT_EQ(m->destination.port, 2121);
  m = t.Resolve("bob", "ftps-implicit://[::1]/in");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.port, 990);
  EXPECT_EQ(m->destination.path, "/in");
  m = t.Resolve("bob", "[2001:db8::1]:2150");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.host, "2001:db8::1");
  EXPECT_EQ(m->destination.port, 2150);
  EXPECT_EQ(t.Resolve("bob", "ftp://[::1]:4000").status().message(), "no route for ftp://[::1]:4000");
  EXPECT_EQ(t.Resolve("bob", "ftp://[::2]:2121").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(t.Resolve("bob", "ftp://[::1:2121").status().code(), absl::StatusCode::kInvalidArgument);
  m = t.ResolveUrl("ftps://[::1]:2222/f", "bob");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.scheme, Scheme::kFtps);
  EXPECT_EQ(m->path, "/f");
}

TEST(RoutePolicy, FileRoutesCannotBeNamedByUrl) {
  RouteTable t = Table();
  for (const char* hint : {"ftp://demo/x", "ftp://demo:21", "file:///srv/demo"}) {
    auto m = t.Resolve("demo", hint);
    ASSERT_FALSE(m.ok()) << hint;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound) << hint;
    EXPECT_EQ(m.status().message(), std::string("no route for ") + hint);
  }
  EXPECT_EQ(t.ResolveUrl("ftp://demo/x", "demo").status().code(), absl::StatusCode::kNotFound);
  // By name, a file:// route is still reachable, and its match is the route's destination.
  auto m = t.Resolve("demo", "demo");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->destination.scheme, Scheme::kFile);
  EXPECT_EQ(m->destination.root, "/srv/demo");
  EXPECT_EQ(m->path, "");
}

TEST(RoutePolicy, AllowUsersAppliesAfterUrlHints) {
  RouteTable t = Table();
  auto m = t.Resolve("alice@elsewhere", "ftps://archive.example.org:2121/in");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->login, "alice");
  EXPECT_EQ(m->destination.path, "/in");
  m = t.Resolve("mallory", "ftps://archive.example.org/in");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(m.status().message(), "user mallory may not use destination archive");
  m = t.ResolveUrl("ftps://archive.example.org/in/f", "mallory");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(m.status().message(), "user mallory may not use destination archive");
  // The scheme or port is checked before the login: an unlisted destination says so alike.
  EXPECT_EQ(t.Resolve("mallory", "ftp://archive.example.org").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(RoutePolicy, ResolveUrlForEachScheme) {
  RouteTable t = Table();
  struct Row {
    const char* url;
    Scheme scheme;
    uint16_t port;
    const char* path;
  } rows[] = {
      {"ftp://127.0.0.1/a.txt", Scheme::kFtp, 21, "/a.txt"},
      {"ftps://localhost:2100/dir/", Scheme::kFtps, 2100, "/dir/"},
      {"ftps-implicit://127.0.0.1/in/x.bin", Scheme::kFtpsImplicit, 990, "/in/x.bin"},
      {"ftps-implicit://127.0.0.1:2990/pub", Scheme::kFtpsImplicit, 2990, "/pub"},
      {"ftp://127.0.0.1:2121", Scheme::kFtp, 2121, ""},
  };
  for (const Row& row : rows) {
    auto m = t.ResolveUrl(row.url, "bob");
    ASSERT_TRUE(m.ok()) << row.url << ": " << m.status();
    EXPECT_EQ(m->route->name, "local-ftp") << row.url;
    EXPECT_EQ(m->login, "bob");
    EXPECT_EQ(m->destination.scheme, row.scheme) << row.url;
    EXPECT_EQ(m->destination.port, row.port) << row.url;
    EXPECT_EQ(m->path, row.path) << row.url;
    EXPECT_EQ(m->destination.path, "/pub") << row.url;
  }
  // The URL names the host, so an '@' in the user belongs to the login.
  auto m = t.ResolveUrl("ftp://127.0.0.1/x", "me@example.com");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->login, "me@example.com");
  EXPECT_EQ(t.ResolveUrl("ftp://127.0.0.1:4000/x", "bob").status().message(),
            "no route for ftp://127.0.0.1:4000/x");
  EXPECT_EQ(t.ResolveUrl("ftp://127.0.0.1/x", "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(t.ResolveUrl("gopher://127.0.0.1/x", "bob").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(RoutePolicy, ResolveUrlForFileTargets) {
  RouteTable t = Table();
  auto m = t.ResolveUrl("file:///", "demo");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->path, "/");
  EXPECT_EQ(m->destination.root, "/srv/demo");  // the path is not part of the destination
  m = t.ResolveUrl("file://localhost/a%20b/c.txt", "carol");  // the default route
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "demo");
  EXPECT_EQ(m->login, "carol");
  EXPECT_EQ(m->path, "/a b/c.txt");
  m = t.ResolveUrl("file:///x", "carol@demo");  // name@route, as in USER
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->login, "carol");
  EXPECT_EQ(t.ResolveUrl("file://otherhost/x", "demo").status().code(),
            absl::StatusCode::kInvalidArgument);
  // The login's route is a network one: a file target is not there.
  m = t.ResolveUrl("file:///x", "alice@archive");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  RouteTable net = MustParse("routes:\n  - name: n\n    default: true\n    destination: ftp://n\n");
  m = net.ResolveUrl("file:///x", "carol");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(), "no file:// route for user carol");
}

TEST(RoutePolicy, MorePortAndSchemeErrorsWithTheirLine) {
  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [70000]\n",
       "line 4: bad port or range \"70000\" in ports (1-65535, or LOW-HIGH)"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports:\n      - 21\n      - \"3000-2000\"\n",
       "line 6: empty port range \"3000-2000\" in ports"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports:\n      - [1, 2]\n",
       "line 5: each entry of ports must be a port or a range, e.g. 21 or \"2000-2999\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [\"2000-\"]\n",
       "line 4: bad port or range \"2000-\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [-5]\n", "line 4: bad port or range \"-5\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [\"1-65536\"]\n",
       "line 4: bad port or range \"1-65536\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [\"20 - 30\"]\n", "line 4: bad port or range"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: {a: 1}\n", "line 4: ports must be a list"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    schemes: ftps\n", "line 4: schemes must be a list"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    schemes: [file]\n",
       "line 4: unknown scheme \"file\" in schemes (expected ftp, ftps, ftps-implicit or ftam)"},
      {"routes:\n  - name: a\n    destination: ftp://h\n    schemes:\n      - ftps\n      - ftam\n",
       "line 6: scheme ftam cannot reach the destination in route \"a\" (ftam and the ftp schemes do not mix)"},
      {"routes:\n  - name: a\n    destination: file:///x\n    schemes:\n      - ftp\n",
       "line 5: schemes does not apply to file:// destinations in route \"a\""},
      {"routes:\n  - name: a\n    destination: file:///x\n    ports: []\n",
       "line 4: ports does not apply to file:// destinations in route \"a\""},
      {"routes:\n  - name: a\n    destination: ftp://h\n    ports: [21]\n    ports: [22]\n",
       "line 5: duplicate key \"ports\""},
  };
  for (const Case& c : cases) {
    auto t = RouteTable::FromYaml(c.yaml);
    ASSERT_FALSE(t.ok()) << c.yaml;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << c.yaml;
    EXPECT_THAT(t.status().message(), HasSubstr(c.message)) << c.yaml;
  }
  // Every network scheme takes both keys.
  EXPECT_TRUE(RouteTable::FromYaml("routes:\n  - name: a\n    destination: ftam://h\n"
                                   "    schemes: [ftam]\n    ports: [102, \"10100-10199\"]\n")
                  .ok());
  EXPECT_TRUE(RouteTable::FromYaml("routes:\n  - name: a\n    destination: ftps-implicit://h\n"
                                   "    schemes: [ftp]\n    ports: [\"1-65535\"]\n")
                  .ok());
}

// One machine, two protocols: an FTP route and an FTAM route may share a host name when no
// scheme leads to both; a URL's scheme picks the route, a plain name the first listed.
TEST(RoutePolicy, FtpAndFtamRoutesShareAHostBySchemes) {
  auto t = RouteTable::FromYaml(
      "routes:\n"
      "  - name: local-ftp\n    hosts: [127.0.0.1]\n    destination: ftp://127.0.0.1:21\n"
      "    schemes: [ftp, ftps]\n    ports: [\"1-65535\"]\n"
      "  - name: local-ftam\n    hosts: [127.0.0.1]\n    destination: ftam://127.0.0.1:102\n"
      "    schemes: [ftam]\n    ports: [\"1-65535\"]\n");
  ASSERT_TRUE(t.ok()) << t.status();
  auto m = t->Resolve("alice", "ftam://127.0.0.1:1102/?tsel=0103");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftam");
  EXPECT_EQ(m->destination.scheme, Scheme::kFtam);
  EXPECT_EQ(m->destination.port, 1102);
  EXPECT_EQ(m->destination.tsel, std::string("\x01\x03", 2));
  m = t->Resolve("alice@127.0.0.1:2221", "");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  m = t->ResolveUrl("ftp://127.0.0.1:2221/x", "alice");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftp");
  m = t->ResolveUrl("ftam://127.0.0.1/x", "alice");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->route->name, "local-ftam");
  EXPECT_EQ(m->destination.port, 102);
  // Overlapping schemes stay ambiguous.
  auto bad = RouteTable::FromYaml(
      "routes:\n"
      "  - name: a\n    hosts: [m]\n    destination: ftp://m\n    schemes: [ftp, ftps]\n"
      "  - name: b\n    hosts: [m]\n    destination: ftps://m\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("already selects route \"a\""));
}

}  // namespace
}  // namespace gw::route
