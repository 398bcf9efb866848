#include "protocol/listing.h"

#include <gtest/gtest.h>

namespace gw::ftp {
namespace {

EntryInfo File(std::string name, uint64_t size, int64_t mtime) {
  EntryInfo e;
  e.name = std::move(name);
  e.size = size;
  e.mtime_unix = mtime;
  e.mode = 0644;
  e.owner = "ftp";
  e.group = "ftp";
  return e;
}

TEST(Listing, LsLineRecentAndOld) {
  const int64_t now = 1795000000;  // 2026-11-18 11:06:40 UTC
  EXPECT_EQ(FormatListLine(File("a.txt", 1234, now - 3600), now),
            "-rw-r--r--   1 ftp      ftp              1234 Nov 18 10:06 a.txt");
  EXPECT_EQ(FormatListLine(File("old.bin", 5, 1000000000), now),
            "-rw-r--r--   1 ftp      ftp                 5 Sep  9  2001 old.bin");
  EntryInfo d = File("dir", 4096, now);
  d.type = EntryInfo::Type::kDirectory;
  d.mode = 0755;
  EXPECT_EQ(FormatListLine(d, now).substr(0, 10), "drwxr-xr-x");
}

TEST(Listing, MlsxFacts) {
  EXPECT_EQ(FormatMlsxLine(File("a b.txt", 3, 1000000000)),
            "type=file;size=3;modify=20010909014640;perm=rawfd;UNIX.mode=0644; a b.txt");
  EntryInfo d = File("sub", 0, 1000000000);
  d.type = EntryInfo::Type::kDirectory;
  d.mode = 0755;
  EXPECT_EQ(FormatMlsxLine(d), "type=dir;modify=20010909014640;perm=elcmpfd;UNIX.mode=0755; sub");
}

TEST(Listing, MlstFactsSelected) {
  MlstFacts f = MlstFacts::Parse("Type;SIZE;bogus;");
  EXPECT_EQ(f.Describe(false), "type;size;");
  EXPECT_EQ(f.Describe(true), "type*;size*;modify;perm;UNIX.mode;");
  EXPECT_EQ(FormatMlsxLine(File("a.txt", 3, 1000000000), false, f), "type=file;size=3; a.txt");
  EXPECT_EQ(MlstFacts::Parse("").Describe(false), "");
  EXPECT_EQ(FormatMlsxLine(File("a.txt", 3, 1000000000), false, MlstFacts::Parse("")), " a.txt");
  EXPECT_EQ(MlstFacts::Parse("unix.mode;modify").Describe(false), "modify;UNIX.mode;");
  EXPECT_EQ(MlstFacts{}.Describe(true), "type*;size*;modify*;perm*;UNIX.mode*;");
}

TEST(Listing, GlobInTheLastComponent) {
  EXPECT_FALSE(SplitGlob("dir/a.txt"));
  EXPECT_FALSE(SplitGlob("d*r/a.txt"));  // only the last component
  auto g = SplitGlob("dir/sub/*.txt");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->dir, "dir/sub");
  EXPECT_EQ(g->pattern, "*.txt");
  g = SplitGlob("a?.[ch]");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->dir, "");
  g = SplitGlob("/*");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->dir, "/");
  EXPECT_TRUE(GlobMatch("*.txt", "a.txt"));
  EXPECT_FALSE(GlobMatch("*.txt", ".hidden.txt"));
  EXPECT_TRUE(GlobMatch(".*", ".hidden.txt"));
  EXPECT_TRUE(GlobMatch("a?.txt", "a1.txt"));
  EXPECT_FALSE(GlobMatch("a?.txt", "a.txt"));
  EXPECT_TRUE(GlobMatch("[ab].txt", "b.txt"));
  EXPECT_FALSE(GlobMatch("[ab].txt", "c.txt"));
}

TEST(Listing, StripsLsOptions) {
  EXPECT_EQ(StripListOptions("-la"), "");
  EXPECT_EQ(StripListOptions("-la /pub"), "/pub");
  EXPECT_EQ(StripListOptions("-a -l dir"), "dir");
  EXPECT_EQ(StripListOptions("dir"), "dir");
  EXPECT_EQ(StripListOptions(""), "");
}

}  // namespace
}  // namespace gw::ftp
