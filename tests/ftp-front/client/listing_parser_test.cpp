// LIST and MLSD lines as the peers of /work/shared/peers send them (captured from vsftpd
// 3.0.3, proftpd 1.3.8, pure-ftpd 1.0.50 and pyftpdlib 1.5.7), plus IIS/DOS and EPLF samples.
#include "client/listing_parser.h"

#include <gtest/gtest.h>

namespace gw::ftp::client {
namespace {

constexpr int64_t kNow = 1795321636;        // 2026-11-22 04:27:16 UTC, when the lines were captured
constexpr int64_t kNov22_0427 = 1795321620;  // 2026-11-22 04:27 UTC
constexpr int64_t kMar4_2019 = 1551657600;

Entry Must(std::string_view line, int64_t now = kNow) {
  auto e = ParseListLine(line, now);
  EXPECT_TRUE(e.has_value()) << line;
  return e.value_or(Entry{});
}

TEST(ListingParser, DaysFromCivil) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 2, 29) * 86400 + 12 * 3600, 951825600);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
}

TEST(ListingParser, VsftpdNumericIds) {
  Entry e = Must("-rw-r--r--    1 1002     1002     67108864 Nov 22 04:27 big.bin");
  EXPECT_TRUE(e.parsed);
  EXPECT_EQ(e.name, "big.bin");
  EXPECT_EQ(e.type, Entry::Type::kFile);
  EXPECT_EQ(e.size, 67108864u);
  EXPECT_EQ(e.mtime_unix, kNov22_0427);
  EXPECT_EQ(e.mode, 0644u);
  EXPECT_EQ(e.owner, "1002");
  EXPECT_EQ(e.group, "1002");
  EXPECT_EQ(e.nlink, 1u);

  Entry old = Must("-rw-r--r--    1 1002     1002            6 Mar 04  2019 hello.txt");
  EXPECT_EQ(old.mtime_unix, kMar4_2019);
  EXPECT_EQ(old.size, 6u);
}

TEST(ListingParser, ProftpdNamesSymlinkAndDirectoryWithSpace) {
  Entry l = Must("lrwxrwxrwx   1 ftptest  root            9 Nov 22 04:27 link.txt -> hello.txt");
  EXPECT_EQ(l.type, Entry::Type::kSymlink);
  EXPECT_EQ(l.name, "link.txt");
  EXPECT_EQ(l.link_target, "hello.txt");
  EXPECT_EQ(l.owner, "ftptest");
  EXPECT_EQ(l.group, "root");
  EXPECT_EQ(l.mode, 0777u);

  Entry d = Must("drwxr-xr-x   2 ftptest  root         4096 Nov 22 04:27 sub dir");
  EXPECT_EQ(d.type, Entry::Type::kDirectory);
  EXPECT_EQ(d.name, "sub dir");
  EXPECT_EQ(d.nlink, 2u);

  Entry two = Must("-rw-r--r--   1 ftptest  ftptest         6 Mar  4  2019 two  spaces.txt");
  EXPECT_EQ(two.name, "two  spaces.txt");
  EXPECT_EQ(two.mtime_unix, kMar4_2019);
}

TEST(ListingParser, PureFtpdWideColumnsAndDotEntries) {
  Entry e = Must("-rw-r--r--    1 1002       ftptest      67108864 Nov 22 04:27 big.bin");
  EXPECT_EQ(e.owner, "1002");
  EXPECT_EQ(e.group, "ftptest");
  EXPECT_EQ(e.size, 67108864u);
  EXPECT_EQ(Must("drwxr-xr-x    3 1002       ftptest          4096 Nov 22 04:27 .").type, Entry::Type::kCurrentDir);
  EXPECT_EQ(Must("drwxr-xr-x    3 1002       ftptest          4096 Nov 22 04:27 ..").type, Entry::Type::kParentDir);
}

TEST(ListingParser, PyftpdlibLines) {
  Entry e = Must("-rw-r--r--   1 ftptest  ftptest         6 Mar 04  2019 hello.txt");
  EXPECT_EQ(e.name, "hello.txt");
  EXPECT_EQ(e.mtime_unix, kMar4_2019);
}

TEST(ListingParser, NoGroupColumnAndNoLinkCount) {
  Entry e = Must("-rw-r--r-- 1 owner 1234 Nov 22 04:27 file name");
  EXPECT_EQ(e.owner, "owner");
  EXPECT_EQ(e.group, "");
  EXPECT_EQ(e.size, 1234u);
  EXPECT_EQ(e.name, "file name");
  Entry f = Must("-rw-r--r-- owner group 99 Nov 22 04:27 x");
  EXPECT_FALSE(f.nlink.has_value());
  EXPECT_EQ(f.owner, "owner");
  EXPECT_EQ(f.group, "group");
  EXPECT_EQ(f.size, 99u);
}

TEST(ListingParser, DeviceFilesHaveNoSize) {
  Entry c = Must("crw-rw-rw-   1 root     root       1,   3 Nov 22  2026 null");
  EXPECT_EQ(c.type, Entry::Type::kOther);
  EXPECT_EQ(c.name, "null");
  EXPECT_FALSE(c.size.has_value());
  EXPECT_EQ(c.owner, "root");
  EXPECT_EQ(c.group, "root");
  Entry b = Must("brw-rw---- 1 root disk 8,0 Nov 21 23:54 sda");
  EXPECT_EQ(b.name, "sda");
  // vsftpd lists devices with size 0.
  EXPECT_EQ(Must("crw-rw-rw-    1 0        0               0 Nov 21 23:54 null").size, 0u);
}

TEST(ListingParser, SpecialModeBits) {
  EXPECT_EQ(Must("-rwsr-sr-t 1 a b 1 Nov 22 04:27 x").mode, 07755u);
  EXPECT_EQ(Must("-rwSr-Sr-T 1 a b 1 Nov 22 04:27 x").mode, 07644u);
  EXPECT_EQ(Must("drwxr-xr-x+ 1 a b 1 Nov 22 04:27 acl").name, "acl");
}

TEST(ListingParser, YearGuessKeepsDatesOutOfTheFuture) {
  // Dec 24 10:00 seen on 2026-11-22 is last December.
  EXPECT_EQ(Must("-rw-r--r-- 1 a b 1 Dec 24 10:00 x").mtime_unix, 1766570400);
  // Later today in a server's local time ahead of UTC stays this year (one day of slack).
  EXPECT_EQ(Must("-rw-r--r-- 1 a b 1 Nov 22 15:04 x").mtime_unix, 1795359840);
  // Early January seen on New Year's Eve is... this January.
  int64_t dec31 = DaysFromCivil(2026, 12, 31) * 86400;
  EXPECT_EQ(Must("-rw-r--r-- 1 a b 1 Jan  2 10:00 x", dec31).mtime_unix, DaysFromCivil(2026, 1, 2) * 86400 + 36000);
  // ... and Dec 31 seen on Jan 1 is last year.
  int64_t jan1 = DaysFromCivil(2027, 1, 1) * 86400;
  EXPECT_EQ(Must("-rw-r--r-- 1 a b 1 Dec 31 23:00 x", jan1).mtime_unix, DaysFromCivil(2026, 12, 31) * 86400 + 82800);
}

TEST(ListingParser, IsoDates) {
  Entry e = Must("-rw-r--r-- 1 a b 1234 2019-03-04 00:00 iso name");
  EXPECT_EQ(e.mtime_unix, kMar4_2019);
  EXPECT_EQ(e.name, "iso name");
}

TEST(ListingParser, TotalAndBlankLinesAreSkipped) {
  EXPECT_FALSE(ParseListLine("total 12", kNow).has_value());
  EXPECT_FALSE(ParseListLine("", kNow).has_value());
  EXPECT_FALSE(ParseListLine("   \r", kNow).has_value());
}

TEST(ListingParser, IisDosStyle) {
  Entry d = Must("11-22-26  03:04PM       <DIR>          Some Dir");
  EXPECT_EQ(d.type, Entry::Type::kDirectory);
  EXPECT_EQ(d.name, "Some Dir");
  EXPECT_EQ(d.mtime_unix, 1795359840);
  Entry f = Must("11-22-26  12:03AM                 1234 report.txt");
  EXPECT_EQ(f.type, Entry::Type::kFile);
  EXPECT_EQ(f.size, 1234u);
  EXPECT_EQ(f.name, "report.txt");
  EXPECT_EQ(f.mtime_unix, 1795305780);
  Entry y4 = Must("03-04-2019  00:00       1,234 four digit year.bin");
  EXPECT_EQ(y4.mtime_unix, kMar4_2019);
  EXPECT_EQ(y4.size, 1234u);
  EXPECT_EQ(y4.name, "four digit year.bin");
  EXPECT_EQ(Must("02-13-96  12:00PM  <DIR>  old").mtime_unix, 824169600 + 12 * 3600);
  Entry bare = Must("       1234 name with space");
  EXPECT_EQ(bare.size, 1234u);
  EXPECT_EQ(bare.name, "name with space");
}

TEST(ListingParser, Eplf) {
  Entry d = Must("+i8388621.29609,m824255902,/,\tdev");
  EXPECT_EQ(d.type, Entry::Type::kDirectory);
  EXPECT_EQ(d.name, "dev");
  EXPECT_EQ(d.mtime_unix, 824255902);
  EXPECT_EQ(d.unique, "8388621.29609");
  Entry f = Must("+i8388621.44468,m839956783,r,s10376,up644,\tRFCEPLF");
  EXPECT_EQ(f.type, Entry::Type::kFile);
  EXPECT_EQ(f.size, 10376u);
  EXPECT_EQ(f.mode, 0644u);
}

TEST(ListingParser, UnknownLinesAreKeptUnparsed) {
  Entry e = Must("this is no listing line");
  EXPECT_FALSE(e.parsed);
  EXPECT_EQ(e.name, "this is no listing line");
  // A permissions field with a broken date is not guessed at either.
  EXPECT_FALSE(Must("-rw-r--r-- 1 a b 12 Foo 22 04:27 x").parsed);
  auto all = ParseListing("total 3\r\n-rw-r--r-- 1 a b 1 Nov 22 04:27 a\r\ngarbage\n\n", kNow);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_FALSE(all[1].parsed);
}

TEST(MlsxParser, Proftpd) {
  auto e = ParseMlsxLine(
      "modify=20261122042711;perm=adfrw;size=9;type=OS.unix=symlink;unique=FE00UA8004C;UNIX.group=0;"
      "UNIX.groupname=ftptest;UNIX.mode=0777;UNIX.owner=1002;UNIX.ownername=ftptest; link.txt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, Entry::Type::kSymlink);
  EXPECT_EQ(e->name, "link.txt");
  EXPECT_EQ(e->size, 9u);
  EXPECT_EQ(e->mtime_unix, 1795321631);
  EXPECT_EQ(e->mode, 0777u);
  EXPECT_EQ(e->owner, "ftptest");
  EXPECT_EQ(e->group, "ftptest");
  EXPECT_EQ(e->perm, "adfrw");
  auto c = ParseMlsxLine("modify=20261122042711;perm=flcdmpe;type=cdir;unique=FE00UA8003B;UNIX.mode=0755; .");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, Entry::Type::kCurrentDir);
  EXPECT_TRUE(c->IsDotEntry());
}

TEST(MlsxParser, PureFtpd) {
  auto e = ParseMlsxLine("type=OS.unix=slink:;size=9;modify=20261122042711;UNIX.mode=0777;UNIX.uid=1002;UNIX.gid=0;unique=fe00ga80080; link.txt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, Entry::Type::kSymlink);
  EXPECT_EQ(e->owner, "1002");
  EXPECT_EQ(e->group, "0");
  auto d = ParseMlsxLine("type=dir;sizd=4096;modify=20261122042711;UNIX.mode=0755;UNIX.uid=1002;UNIX.gid=0;unique=fe00ga8007f; sub dir");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->type, Entry::Type::kDirectory);
  EXPECT_EQ(d->name, "sub dir");
  auto p = ParseMlsxLine("type=pdir;sizd=4096;modify=20261122042711;UNIX.mode=0755;UNIX.uid=1002;UNIX.gid=1002;unique=fe00ga8003c; ..");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->type, Entry::Type::kParentDir);
}

TEST(MlsxParser, PyftpdlibAndCaseInsensitiveFacts) {
  auto e = ParseMlsxLine("modify=20261122042707;perm=radfwMT;size=6;type=file;unique=fe00ga80050; hello.txt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, Entry::Type::kFile);
  EXPECT_EQ(e->size, 6u);
  auto u = ParseMlsxLine("Type=FILE;Size=3;Modify=20261122010203.123;unix.mode=644; a;b c.txt");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->type, Entry::Type::kFile);
  EXPECT_EQ(u->size, 3u);
  EXPECT_EQ(u->mtime_unix, ParseTimeVal("20261122010203"));
  EXPECT_EQ(u->mode, 0644u);
  EXPECT_EQ(u->name, "a;b c.txt");
}

TEST(MlsxParser, MlstBodyLineAndNoFacts) {
  auto e = ParseMlsxLine(" type=file;size=6;modify=20190304000000; /hello.txt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "/hello.txt");
  EXPECT_EQ(e->mtime_unix, kMar4_2019);
  auto bare = ParseMlsxLine(" just a name");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->name, "just a name");
  EXPECT_FALSE(ParseMlsxLine("nofacts").has_value());
  auto all = ParseMlsd("type=file;size=1; a\r\nbroken\r\n");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].parsed);
  EXPECT_FALSE(all[1].parsed);
  EXPECT_EQ(all[1].name, "broken");
}

TEST(MlsxParser, TimeVal) {
  EXPECT_EQ(ParseTimeVal("20190304000000"), kMar4_2019);
  EXPECT_EQ(ParseTimeVal("20190304000000.5"), kMar4_2019);
  EXPECT_FALSE(ParseTimeVal("2019030400000").has_value());
  EXPECT_FALSE(ParseTimeVal("20191304000000").has_value());
  EXPECT_FALSE(ParseTimeVal("20190304000000.").has_value());
  EXPECT_FALSE(ParseTimeVal("20190304000000x").has_value());
}

}  // namespace
}  // namespace gw::ftp::client
