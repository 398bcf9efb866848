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

TEST(Listing, StripsLsOptions) {
  EXPECT_EQ(StripListOptions("-la"), "");
  EXPECT_EQ(StripListOptions("-la /pub"), "/pub");
  EXPECT_EQ(StripListOptions("-a -l dir"), "dir");
  EXPECT_EQ(StripListOptions("dir"), "dir");
  EXPECT_EQ(StripListOptions(""), "");
}

}  // namespace
}  // namespace gw::ftp
