#include <set>
#include <string>

#include <gtest/gtest.h>

#include "server/session.h"

namespace gw::ftp {
namespace {

TEST(CommandTable, EveryRequiredCommandIsKnown) {
  // RFC 959, 2228, 2389, 2428, 3659, 4217, 7151 as the gateway serves them.
  for (const char* v : {"USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "QUIT", "REIN", "PORT", "PASV",
                        "TYPE", "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR",
                        "RNTO", "ABOR", "DELE", "RMD", "MKD", "PWD", "LIST", "NLST", "SITE", "SYST",
                        "STAT", "HELP", "NOOP", "FEAT", "OPTS", "EPSV", "EPRT", "SIZE", "MDTM", "MLST",
                        "MLSD", "HOST", "AUTH", "PBSZ", "PROT", "CCC"}) {
    const CommandSpec* c = FindCommand(v);
    ASSERT_NE(c, nullptr) << v;
    EXPECT_NE(c->handler, nullptr) << v;
  }
  EXPECT_EQ(FindCommand("XYZZ"), nullptr);
  EXPECT_EQ(FindCommand("retr"), nullptr);  // the parser upper-cases before lookup
}

TEST(CommandTable, LoginIsRequiredForFileAccessOnly) {
  for (const char* v : {"RETR", "STOR", "LIST", "CWD", "DELE", "PASV", "PORT", "MKD", "SIZE"})
    EXPECT_TRUE(FindCommand(v)->needs_login) << v;
  for (const char* v : {"USER", "PASS", "AUTH", "PBSZ", "PROT", "FEAT", "SYST", "HOST", "QUIT", "NOOP", "HELP"})
    EXPECT_FALSE(FindCommand(v)->needs_login) << v;
}

TEST(CommandTable, ArgumentRules) {
  EXPECT_EQ(FindCommand("RETR")->arg, CommandSpec::Arg::kRequired);
  EXPECT_EQ(FindCommand("LIST")->arg, CommandSpec::Arg::kOptional);
  EXPECT_EQ(FindCommand("PWD")->arg, CommandSpec::Arg::kNone);
  std::set<std::string> seen;
  std::string all(AllVerbs());
  std::size_t start = 0;
  while (start < all.size()) {
    auto sp = all.find(' ', start);
    std::string v = all.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
    EXPECT_TRUE(seen.insert(v).second) << "duplicate " << v;
    if (sp == std::string::npos) break;
    start = sp + 1;
  }
  EXPECT_GE(seen.size(), 46u);
}

}  // namespace
}  // namespace gw::ftp
