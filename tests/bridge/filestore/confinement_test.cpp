// Nothing outside the root is reachable: not by "..", not through symlinks
// (absolute or relative, to files or to directories), for any operation.
#include "bridge/filestore/filestore.h"
#include "filestore_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::filestore {
namespace {

using ::testing::ElementsAre;

class Confinement : public testing::FileStoreTest {
 protected:
  void ExpectDenied(const absl::Status& status, std::string_view what) {
    EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << what << ": " << status;
    ExpectNoRealPath(status);
  }
  // The outside world is untouched.
  void ExpectOutsideIntact() {
    EXPECT_THAT(RealNames(outside_), ElementsAre("secret"));
    EXPECT_EQ(Get(outside_ / "secret"), "top secret");
  }
};
INSTANTIATE_TEST_SUITE_P(Resolvers, Confinement,
                         ::testing::Values(testing::Resolver::kOpenat2,
                                           testing::Resolver::kComponentWalk),
                         testing::ResolverName);

TEST_P(Confinement, DotDotCannotClimbOutOfTheRoot) {
  // The store takes only normalized paths, and normalizing keeps ".." at "/".
  absl::StatusOr<std::string> path = NormalizePath("/", "../outside/secret");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, "/outside/secret");
  EXPECT_EQ(store_->OpenRead(*path, 0).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->OpenRead("/../outside/secret", 0).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(Confinement, AbsoluteSymlinkToAFileOutside) {
  std::filesystem::create_symlink(outside_ / "secret", root_ / "abs");
  ExpectDenied(store_->Stat("/abs").status(), "stat");
  ExpectDenied(store_->OpenRead("/abs", 0).status(), "read");
  ExpectDenied(store_->OpenWrite("/abs", WriteMode::kAppend, 0).status(), "append");
  ExpectDenied(store_->OpenWrite("/abs", WriteMode::kReplace, 3).status(), "restart");
  ExpectOutsideIntact();
}

TEST_P(Confinement, RelativeSymlinkToAFileOutside) {
  std::filesystem::create_symlink("../outside/secret", root_ / "rel");
  ExpectDenied(store_->Stat("/rel").status(), "stat");
  ExpectDenied(store_->OpenRead("/rel", 0).status(), "read");
  ExpectDenied(store_->OpenWrite("/rel", WriteMode::kAppend, 0).status(), "append");
  ExpectOutsideIntact();
}

TEST_P(Confinement, RelativeSymlinkOutFromASubdirectory) {
  std::filesystem::create_directories(root_ / "a" / "b");
  std::filesystem::create_symlink("../../../outside/secret", root_ / "a" / "b" / "up");
  ExpectDenied(store_->OpenRead("/a/b/up", 0).status(), "read");
}

TEST_P(Confinement, ChainOfSymlinksEndingOutside) {
  std::filesystem::create_symlink("hop2", root_ / "hop1");
  std::filesystem::create_symlink("../outside/secret", root_ / "hop2");
  ExpectDenied(store_->OpenRead("/hop1", 0).status(), "read");
}

TEST_P(Confinement, SymlinkedDirectoryOutside) {
  std::filesystem::create_directory_symlink("../outside", root_ / "out");
  std::filesystem::create_directory_symlink(outside_, root_ / "absout");
  for (const char* dir : {"/out", "/absout"}) {
    std::string secret = std::string(dir) + "/secret";
    std::string fresh = std::string(dir) + "/new";
    ExpectDenied(store_->List(dir).status(), "list");
    ExpectDenied(store_->Stat(secret).status(), "stat");
    ExpectDenied(store_->OpenRead(secret, 0).status(), "read");
    ExpectDenied(store_->OpenWrite(fresh, WriteMode::kReplace, 0).status(), "store");
    ExpectDenied(store_->OpenWrite(fresh, WriteMode::kCreateUnique, 0).status(), "unique");
    ExpectDenied(store_->OpenWrite(secret, WriteMode::kAppend, 0).status(), "append");
    ExpectDenied(store_->Delete(secret), "delete");
    ExpectDenied(store_->Rename(secret, "/stolen"), "rename from");
    ExpectDenied(store_->Rename("/stolen", fresh), "rename to");
    ExpectDenied(store_->MakeDirectory(fresh), "mkdir");
    ExpectDenied(store_->RemoveDirectory(fresh), "rmdir");
  }
  EXPECT_FALSE(std::filesystem::exists(root_ / "stolen"));
  ExpectOutsideIntact();
}

TEST_P(Confinement, SymlinkThatLeavesAndReturnsIsStillRefused) {
  // "../root/f" ends inside the root but passes outside it on the way; like
  // RESOLVE_BENEATH, both resolvers refuse it (and give away nothing about
  // what lies above the root).
  Put(root_ / "f", "inside");
  std::filesystem::create_symlink("../root/f", root_ / "detour");
  ExpectDenied(store_->OpenRead("/detour", 0).status(), "read");
}

TEST_P(Confinement, ProcMagicLinksAreRefused) {
  std::filesystem::create_directory_symlink("/proc/self/root", root_ / "proc");
  ExpectDenied(store_->OpenRead("/proc/etc/hostname", 0).status(), "read");
}

TEST_P(Confinement, DeletingASymlinkRemovesOnlyTheLink) {
  std::filesystem::create_symlink(outside_ / "secret", root_ / "abs");
  EXPECT_TRUE(store_->Delete("/abs").ok());
  EXPECT_FALSE(std::filesystem::is_symlink(root_ / "abs"));
  ExpectOutsideIntact();
}

TEST_P(Confinement, ReplacingASymlinkReplacesOnlyTheLink) {
  std::filesystem::create_symlink(outside_ / "secret", root_ / "abs");
  Upload("/abs", WriteMode::kReplace, "mine");
  EXPECT_FALSE(std::filesystem::is_symlink(root_ / "abs"));
  EXPECT_EQ(Get(root_ / "abs"), "mine");
  ExpectOutsideIntact();
}

TEST_P(Confinement, ListingShowsAnOutsideSymlinkOnlyAsASymlink) {
  std::filesystem::create_symlink(outside_ / "secret", root_ / "abs");
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].type, EntryType::kSymlink);
  EXPECT_NE((*entries)[0].size, 10u);  // the link's own size, not the secret's
}

TEST_P(Confinement, SymlinksInsideTheRootWork) {
  std::filesystem::create_directories(root_ / "a" / "b");
  Put(root_ / "a" / "b" / "f", "deep");
  std::filesystem::create_symlink("b/f", root_ / "a" / "near");
  std::filesystem::create_directory_symlink("a/b", root_ / "short");
  std::filesystem::create_symlink("../b/f", root_ / "a" / "b" / "self");
  EXPECT_EQ(Download("/a/near"), "deep");
  EXPECT_EQ(Download("/short/f"), "deep");
  EXPECT_EQ(Download("/a/b/self"), "deep");
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/short");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->size(), 2u);
}

TEST_P(Confinement, SymlinkLoopsFail) {
  std::filesystem::create_symlink("loop2", root_ / "loop1");
  std::filesystem::create_symlink("loop1", root_ / "loop2");
  absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead("/loop1", 0);
  EXPECT_FALSE(reader.ok());
  ExpectNoRealPath(reader.status());
}

}  // namespace
}  // namespace gw::filestore
