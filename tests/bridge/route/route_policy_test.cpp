// The relay policy of the route table: ports and schemes a user may name (user@host:port,
// SITE host:port, SITE scheme://host:port/dir), and one-shot targets (ResolveUrl).
#include "bridge/route/route_table.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::route {
namespace {

using ::testing::HasSubstr;

constexpr char kTable[] = R"(
routes:
  - name: demo
    users: [demo]
    default: true
    destination: file:///srv/demo
  - name: local-ftp
    hosts: [127.0.0.1, localhost]
    destination: ftp://127.0.0.1:21/pub
    schemes: [ftp, ftps, ftps-implicit]
    ports: [21, 990, "2000-2999"]
    tls: { ca: /etc/gw/local-ca.pem }
  - name: archive
    hosts: [archive.example.org]
    destination: ftps://archive.example.org:2121/pub
    allow_users: [alice]
  - name: v6
    hosts: ["2001:db8::1"]
    destination: ftp://[2001:db8::1]:21
    ports: ["2100-2199"]
)";

RouteTable Table() {
  auto t = RouteTable::FromYaml(kTable);
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
  EXPECT_THAT(m.status().message(), ::testing::Not(HasSubstr("secret")));
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

}  // namespace
}  // namespace gw::route
