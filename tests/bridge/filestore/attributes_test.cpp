// SetAttributes: permission bits and modification time, inside the root only, never
// through a symlink.
#include <sys/stat.h>

#include "bridge/filestore/filestore.h"
#include "filestore_fixture.h"
#include "gtest/gtest.h"

namespace gw::filestore {
namespace {

class Attributes : public testing::FileStoreTest {
 protected:
  static struct stat RealStat(const std::filesystem::path& p) {
    struct stat st{};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st;
  }
};
INSTANTIATE_TEST_SUITE_P(Resolvers, Attributes,
                         ::testing::Values(testing::Resolver::kOpenat2,
                                           testing::Resolver::kComponentWalk),
                         testing::ResolverName);

constexpr int64_t kJan2001 = 978310861;  // 2001-01-01T01:01:01Z

TEST_P(Attributes, SetsModeAndTimeOfAFile) {
  std::filesystem::create_directory(root_ / "d");
  Put(root_ / "d" / "f", "x");
  ASSERT_TRUE(store_->SetAttributes("/d/f", 0600, std::nullopt).ok());
  EXPECT_EQ(RealStat(root_ / "d" / "f").st_mode & 07777, 0600u);
  ASSERT_TRUE(store_->SetAttributes("/d/f", std::nullopt, kJan2001).ok());
  struct stat st = RealStat(root_ / "d" / "f");
  EXPECT_EQ(st.st_mtim.tv_sec, kJan2001);
  EXPECT_EQ(st.st_mode & 07777, 0600u);  // left alone
  ASSERT_TRUE(store_->SetAttributes("/d/f", 0640, kJan2001 + 60).ok());
  st = RealStat(root_ / "d" / "f");
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_mtim.tv_sec, kJan2001 + 60);
  absl::StatusOr<Entry> e = store_->Stat("/d/f");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->mtime_unix, kJan2001 + 60);
  EXPECT_EQ(e->mode, 0640u);
}

TEST_P(Attributes, WorksOnAFileItsOwnerCannotRead) {
  Put(root_ / "locked", "x");
  std::filesystem::permissions(root_ / "locked", std::filesystem::perms::none);
  ASSERT_TRUE(store_->SetAttributes("/locked", 0644, kJan2001).ok());
  EXPECT_EQ(RealStat(root_ / "locked").st_mode & 07777, 0644u);
  EXPECT_EQ(RealStat(root_ / "locked").st_mtim.tv_sec, kJan2001);
}

TEST_P(Attributes, SetsADirectory) {
  std::filesystem::create_directory(root_ / "d");
  ASSERT_TRUE(store_->SetAttributes("/d", 0700, kJan2001).ok());
  EXPECT_EQ(RealStat(root_ / "d").st_mode & 07777, 0700u);
  EXPECT_EQ(RealStat(root_ / "d").st_mtim.tv_sec, kJan2001);
}

TEST_P(Attributes, RefusesBadValuesAndMissingFiles) {
  Put(root_ / "f", "x");
  std::filesystem::permissions(root_ / "f", std::filesystem::perms(0644));
  EXPECT_EQ(store_->SetAttributes("/f", 04755, std::nullopt).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetAttributes("/f", 01777, std::nullopt).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RealStat(root_ / "f").st_mode & 07777, 0644u);
  EXPECT_EQ(store_->SetAttributes("/f", std::nullopt, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetAttributes("/nope", 0600, std::nullopt).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->SetAttributes("/nope/f", 0600, std::nullopt).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->SetAttributes("/", 0700, std::nullopt).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->SetAttributes("/../outside/secret", 0600, std::nullopt).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(Attributes, NeverThroughASymlink) {
  std::filesystem::permissions(outside_ / "secret", std::filesystem::perms(0644));
  struct stat before = RealStat(outside_ / "secret");
  std::filesystem::create_symlink(outside_ / "secret", root_ / "abs");
  std::filesystem::create_symlink("../outside/secret", root_ / "rel");
  Put(root_ / "inside", "x");
  std::filesystem::permissions(root_ / "inside", std::filesystem::perms(0644));
  std::filesystem::create_symlink("inside", root_ / "near");
  for (std::string_view link : {"/abs", "/rel", "/near"}) {
    absl::Status s = store_->SetAttributes(link, 0600, kJan2001);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << link << ": " << s;
    ExpectNoRealPath(s);
  }
  struct stat after = RealStat(outside_ / "secret");
  EXPECT_EQ(after.st_mode, before.st_mode);
  EXPECT_EQ(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
  EXPECT_EQ(RealStat(root_ / "inside").st_mode & 07777, 0644u);
  EXPECT_NE(RealStat(root_ / "inside").st_mtim.tv_sec, kJan2001);
}

TEST_P(Attributes, NeverBeyondADirectorySymlinkLeavingTheRoot) {
  std::filesystem::create_directory_symlink(outside_, root_ / "out");
  std::filesystem::create_directory_symlink("../outside", root_ / "rout");
  std::filesystem::permissions(outside_ / "secret", std::filesystem::perms(0644));
  for (std::string_view p : {"/out/secret", "/rout/secret"}) {
    absl::Status s = store_->SetAttributes(p, 0600, kJan2001);
    EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << p << ": " << s;
    ExpectNoRealPath(s);
  }
  EXPECT_EQ(RealStat(outside_ / "secret").st_mode & 07777, 0644u);
  EXPECT_NE(RealStat(outside_ / "secret").st_mtim.tv_sec, kJan2001);
}

}  // namespace
}  // namespace gw::filestore
