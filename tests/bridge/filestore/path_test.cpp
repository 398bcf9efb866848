#include "bridge/filestore/path.h"

#include <string>

#include "bridge/filestore/filestore.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::filestore {
namespace {

using ::testing::HasSubstr;

struct NormalizeRow {
  const char* cwd;
  const char* arg;
  const char* want;
};

class NormalizePathTable : public ::testing::TestWithParam<NormalizeRow> {};

TEST_P(NormalizePathTable, ResolvesLexically) {
  const NormalizeRow& row = GetParam();
  absl::StatusOr<std::string> got = NormalizePath(row.cwd, row.arg);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, row.want) << "cwd=" << row.cwd << " arg=" << row.arg;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, NormalizePathTable,
    ::testing::Values(NormalizeRow{"/", "", "/"},               // empty argument = cwd
                      NormalizeRow{"/a/b", "", "/a/b"},         //
                      NormalizeRow{"/a", "b.txt", "/a/b.txt"},  // relative
                      NormalizeRow{"/a", "/x", "/x"},           // absolute ignores cwd
                      NormalizeRow{"/a/b", "..", "/a"},         //
                      NormalizeRow{"/", "..", "/"},             // ".." at the root stays
                      NormalizeRow{"/", "../../..", "/"},       //
                      NormalizeRow{"/a", "../../../etc/passwd", "/etc/passwd"},
                      NormalizeRow{"/a", "b/../c", "/a/c"},     //
                      NormalizeRow{"/", "a/../b", "/b"},        //
                      NormalizeRow{"/", "./a/./b/.", "/a/b"},   //
                      NormalizeRow{"/", "a//b///c", "/a/b/c"},  // empty components
                      NormalizeRow{"/", "dir/", "/dir"},        // trailing slash
                      NormalizeRow{"/", "/", "/"},              //
                      NormalizeRow{"/a", "...", "/a/..."},      // "..." is a plain name
                      NormalizeRow{"/a", ".hidden", "/a/.hidden"},
                      NormalizeRow{"/a", "with space", "/a/with space"},
                      NormalizeRow{"a/b", "c", "/a/b/c"},  // cwd taken as absolute
                      NormalizeRow{"/a/b", "/..", "/"}));

TEST(NormalizePath, RejectsNulBytes) {
  absl::StatusOr<std::string> got = NormalizePath("/", std::string_view("a\0b", 3));
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("NUL"));
}

TEST(NormalizePath, RejectsOverLongArguments) {
  EXPECT_TRUE(NormalizePath("/", std::string(15, 'a'), 16).ok());
  absl::StatusOr<std::string> got = NormalizePath("/", std::string(17, 'a'), 16);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("too long"));
}

TEST(NormalizePath, RejectsOverLongResults) {
  // Argument within the limit, but cwd + argument over it.
  absl::StatusOr<std::string> got = NormalizePath("/" + std::string(10, 'd'), "file", 12);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(NormalizePath, DefaultLimitIs4096) {
  EXPECT_TRUE(NormalizePath("/", std::string(4095, 'a')).ok());  // "/" + 4095 = 4096
  EXPECT_FALSE(NormalizePath("/", std::string(4096, 'a')).ok());
}

TEST(TemporaryName, IsHiddenAndRecognized) {
  std::string name = TemporaryName("report.txt");
  EXPECT_EQ(name.front(), '.');
  EXPECT_THAT(name, HasSubstr("report.txt.part-"));
  EXPECT_TRUE(IsTemporaryName(name));
  EXPECT_NE(TemporaryName("report.txt"), name);  // random suffix
}

TEST(TemporaryName, StaysWithinNameMax) {
  EXPECT_LE(TemporaryName(std::string(255, 'x')).size(), 255u);
}

TEST(TemporaryName, OrdinaryNamesAreNotTemporary) {
  EXPECT_FALSE(IsTemporaryName("report.txt"));
  EXPECT_FALSE(IsTemporaryName(".profile"));
  EXPECT_FALSE(IsTemporaryName(".a.part-1"));                  // user's own file
  EXPECT_FALSE(IsTemporaryName("a.part-0123456789abcdef"));    // not hidden
  EXPECT_FALSE(IsTemporaryName(".a.part-0123456789ABCDEF"));   // not ours
  EXPECT_FALSE(IsTemporaryName(".a.part-0123456789abcdefg"));  // too long
  EXPECT_TRUE(IsTemporaryName(".a.part-0123456789abcdef"));
}

TEST(CheckNormalized, AcceptsOnlyNormalizedPaths) {
  EXPECT_TRUE(CheckNormalized("/").ok());
  EXPECT_TRUE(CheckNormalized("/a/b").ok());
  for (const char* bad : {"", "a", "/a/", "//a", "/a/../b", "/./a", "/.."}) {
    EXPECT_EQ(CheckNormalized(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace gw::filestore
