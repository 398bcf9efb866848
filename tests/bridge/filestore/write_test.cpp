// OpenWrite in each mode: what ends up on disk after Commit, Abort, or a
// writer dropped without either.
#include <sys/stat.h>

#include "bridge/filestore/filestore.h"
#include "filestore_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::filestore {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FileStoreWrite : public testing::FileStoreTest {
 protected:
  std::unique_ptr<Writer> MustOpen(std::string_view path, WriteMode mode, uint64_t offset = 0) {
    absl::StatusOr<std::unique_ptr<Writer>> writer = store_->OpenWrite(path, mode, offset);
    EXPECT_TRUE(writer.ok()) << writer.status();
    return writer.ok() ? std::move(*writer) : nullptr;
  }
};
INSTANTIATE_TEST_SUITE_P(Resolvers, FileStoreWrite,
                         ::testing::Values(testing::Resolver::kOpenat2,
                                           testing::Resolver::kComponentWalk),
                         testing::ResolverName);

mode_t PermissionsOf(const std::filesystem::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

// --- kReplace ---------------------------------------------------------------

TEST_P(FileStoreWrite, ReplaceCreatesAFile) {
  std::unique_ptr<Writer> writer = MustOpen("/new.txt", WriteMode::kReplace);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("hello ")).ok());
  ASSERT_TRUE(writer->Write(Bytes("world")).ok());
  EXPECT_EQ(writer->bytes_written(), 11u);
  // Nothing under the real name until Commit.
  EXPECT_FALSE(std::filesystem::exists(root_ / "new.txt"));
  absl::StatusOr<std::string> committed = writer->Commit();
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(*committed, "/new.txt");
  EXPECT_EQ(Get(root_ / "new.txt"), "hello world");
  EXPECT_THAT(RealNames(root_), ElementsAre("new.txt"));  // no temporary left
}

// A chunk in many pieces (more than one writev takes) lands whole and in order, in both
// the temporary-file and the in-place writers.
TEST_P(FileStoreWrite, PiecesLandInOrder) {
  std::string all;
  std::vector<std::string> parts;
  for (int i = 0; i < 2500; ++i) parts.push_back(std::string(1 + i % 37, static_cast<char>('a' + i % 26)));
  std::vector<std::span<const char>> pieces;
  for (const auto& p : parts) {
    pieces.emplace_back(p.data(), p.size());
    all += p;
  }
  for (WriteMode mode : {WriteMode::kReplace, WriteMode::kAppend}) {
    std::unique_ptr<Writer> writer = MustOpen("/pieces.bin", mode);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Write(std::span<const std::span<const char>>(pieces)).ok());
    EXPECT_EQ(writer->bytes_written(), all.size());
    ASSERT_TRUE(writer->Commit().ok());
  }
  EXPECT_EQ(Get(root_ / "pieces.bin"), all + all);
}

TEST_P(FileStoreWrite, NewFilesGet0644LessUmask) {
  mode_t old = ::umask(022);
  Upload("/f", WriteMode::kReplace, "x");
  ::umask(old);
  EXPECT_EQ(PermissionsOf(root_ / "f"), 0644u);
}

TEST_P(FileStoreWrite, ReplaceSwapsContentAtomicallyAndKeepsPermissions) {
  Put(root_ / "f", "old content");
  ::chmod((root_ / "f").c_str(), 0600);
  std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("new")).ok());
  EXPECT_EQ(Get(root_ / "f"), "old content");  // readers see the old file meanwhile
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(Get(root_ / "f"), "new");
  EXPECT_EQ(PermissionsOf(root_ / "f"), 0600u);
}

TEST_P(FileStoreWrite, AbortedReplaceLeavesNoFile) {
  std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("partial")).ok());
  writer->Abort();
  EXPECT_THAT(RealNames(root_), IsEmpty());
  EXPECT_EQ(writer->Write(Bytes("more")).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(writer->Commit().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(FileStoreWrite, DroppedWriterIsAnAbort) {
  Put(root_ / "f", "original");
  {
    std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Write(Bytes("half of the new")).ok());
  }
  EXPECT_EQ(Get(root_ / "f"), "original");
  EXPECT_THAT(RealNames(root_), ElementsAre("f"));
}

TEST_P(FileStoreWrite, WriterOutlivesTheStore) {
  std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace);
  ASSERT_NE(writer, nullptr);
  store_.reset();
  ASSERT_TRUE(writer->Write(Bytes("still fine")).ok());
  ASSERT_TRUE(writer->Commit().ok());
  EXPECT_EQ(Get(root_ / "f"), "still fine");
}

TEST_P(FileStoreWrite, ReplaceErrors) {
  std::filesystem::create_directory(root_ / "d");
  absl::StatusOr<std::unique_ptr<Writer>> onto_dir =
      store_->OpenWrite("/d", WriteMode::kReplace, 0);
  EXPECT_EQ(onto_dir.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(onto_dir.status().message(), "is a directory: /d");
  EXPECT_EQ(store_->OpenWrite("/", WriteMode::kReplace, 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<std::unique_ptr<Writer>> no_dir =
      store_->OpenWrite("/missing/f", WriteMode::kReplace, 0);
  EXPECT_EQ(no_dir.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(no_dir.status().message(), "no such file or directory: /missing");
  ExpectNoRealPath(no_dir.status());
}

TEST_P(FileStoreWrite, CommitFailsIfTheNameBecameADirectory) {
  std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace);
  ASSERT_NE(writer, nullptr);
  std::filesystem::create_directory(root_ / "f");
  std::filesystem::create_directory(root_ / "f" / "inside");
  ASSERT_TRUE(writer->Write(Bytes("x")).ok());
  EXPECT_FALSE(writer->Commit().ok());
  EXPECT_THAT(RealNames(root_), ElementsAre("f"));  // temporary removed
  EXPECT_TRUE(std::filesystem::is_directory(root_ / "f" / "inside"));
}

// --- kReplace with an offset: restarting a transfer -------------------------

TEST_P(FileStoreWrite, RestartWritesInPlaceFromTheOffset) {
  Put(root_ / "f", "0123456789");
  EXPECT_EQ(Upload("/f", WriteMode::kReplace, "ab", 4), "/f");
  EXPECT_EQ(Get(root_ / "f"), "0123ab");  // truncated at the offset, then written
}

TEST_P(FileStoreWrite, RestartAtTheEndAppends) {
  Put(root_ / "f", "01234");
  Upload("/f", WriteMode::kReplace, "56789", 5);
  EXPECT_EQ(Get(root_ / "f"), "0123456789");
}

TEST_P(FileStoreWrite, RestartBeyondTheEndIsOutOfRange) {
  Put(root_ / "f", "01234");
  absl::StatusOr<std::unique_ptr<Writer>> writer = store_->OpenWrite("/f", WriteMode::kReplace, 6);
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(Get(root_ / "f"), "01234");
}

TEST_P(FileStoreWrite, RestartOfAMissingFileIsNotFound) {
  EXPECT_EQ(store_->OpenWrite("/f", WriteMode::kReplace, 3).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(root_ / "f"));
}

TEST_P(FileStoreWrite, AbortedRestartKeepsWhatWasWritten) {
  Put(root_ / "f", "0123");
  std::unique_ptr<Writer> writer = MustOpen("/f", WriteMode::kReplace, 4);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("45")).ok());
  writer->Abort();
  EXPECT_EQ(Get(root_ / "f"), "012345");  // so it can be restarted again from 6
}

// --- kAppend ----------------------------------------------------------------

TEST_P(FileStoreWrite, AppendAddsToTheEnd) {
  Put(root_ / "log", "line 1\n");
  EXPECT_EQ(Upload("/log", WriteMode::kAppend, "line 2\n"), "/log");
  EXPECT_EQ(Get(root_ / "log"), "line 1\nline 2\n");
}

TEST_P(FileStoreWrite, AppendCreatesAMissingFile) {
  Upload("/log", WriteMode::kAppend, "first");
  EXPECT_EQ(Get(root_ / "log"), "first");
}

TEST_P(FileStoreWrite, AbortedAppendLeavesTheOriginalIntact) {
  Put(root_ / "log", "original");
  std::unique_ptr<Writer> writer = MustOpen("/log", WriteMode::kAppend);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes(" and some more")).ok());
  writer->Abort();
  EXPECT_EQ(Get(root_ / "log"), "original");
}

TEST_P(FileStoreWrite, DroppedAppendThatCreatedTheFileRemovesIt) {
  {
    std::unique_ptr<Writer> writer = MustOpen("/log", WriteMode::kAppend);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->Write(Bytes("partial")).ok());
  }
  EXPECT_THAT(RealNames(root_), IsEmpty());
}

TEST_P(FileStoreWrite, AppendToADirectoryIsRefused) {
  std::filesystem::create_directory(root_ / "d");
  EXPECT_EQ(store_->OpenWrite("/d", WriteMode::kAppend, 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// --- kCreateNew -------------------------------------------------------------

TEST_P(FileStoreWrite, CreateNewWritesAFreshFile) {
  EXPECT_EQ(Upload("/fresh", WriteMode::kCreateNew, "data"), "/fresh");
  EXPECT_EQ(Get(root_ / "fresh"), "data");
}

TEST_P(FileStoreWrite, CreateNewRefusesAnExistingName) {
  Put(root_ / "taken", "mine");
  absl::StatusOr<std::unique_ptr<Writer>> writer =
      store_->OpenWrite("/taken", WriteMode::kCreateNew, 0);
  EXPECT_EQ(writer.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(writer.status().message(), "file exists: /taken");
  EXPECT_EQ(Get(root_ / "taken"), "mine");
}

TEST_P(FileStoreWrite, CreateNewLosesToAFileThatAppearedMeanwhile) {
  std::unique_ptr<Writer> writer = MustOpen("/race", WriteMode::kCreateNew);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("late")).ok());
  Put(root_ / "race", "early");
  absl::StatusOr<std::string> committed = writer->Commit();
  EXPECT_EQ(committed.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Get(root_ / "race"), "early");
  EXPECT_THAT(RealNames(root_), ElementsAre("race"));
}

TEST_P(FileStoreWrite, CreateNewRefusesAnOffset) {
  EXPECT_EQ(store_->OpenWrite("/f", WriteMode::kCreateNew, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// --- kCreateUnique ----------------------------------------------------------

TEST_P(FileStoreWrite, CreateUniquePicksTheNameThenNumberedNames) {
  EXPECT_EQ(Upload("/up.txt", WriteMode::kCreateUnique, "one"), "/up.txt");
  EXPECT_EQ(Upload("/up.txt", WriteMode::kCreateUnique, "two"), "/up.txt.1");
  EXPECT_EQ(Upload("/up.txt", WriteMode::kCreateUnique, "three"), "/up.txt.2");
  EXPECT_EQ(Get(root_ / "up.txt"), "one");
  EXPECT_EQ(Get(root_ / "up.txt.1"), "two");
  EXPECT_EQ(Get(root_ / "up.txt.2"), "three");
}

TEST_P(FileStoreWrite, CreateUniqueInADirectoryUsesFile) {
  std::filesystem::create_directory(root_ / "in");
  EXPECT_EQ(Upload("/in", WriteMode::kCreateUnique, "a"), "/in/file");
  EXPECT_EQ(Upload("/in", WriteMode::kCreateUnique, "b"), "/in/file.1");
  EXPECT_EQ(Upload("/", WriteMode::kCreateUnique, "c"), "/file");
  EXPECT_EQ(Get(root_ / "in" / "file.1"), "b");
}

TEST_P(FileStoreWrite, ConcurrentCreateUniqueGetDistinctNames) {
  std::unique_ptr<Writer> first = MustOpen("/same", WriteMode::kCreateUnique);
  std::unique_ptr<Writer> second = MustOpen("/same", WriteMode::kCreateUnique);
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->Write(Bytes("1")).ok());
  ASSERT_TRUE(second->Write(Bytes("2")).ok());
  absl::StatusOr<std::string> b = second->Commit();
  absl::StatusOr<std::string> a = first->Commit();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*b, "/same");
  EXPECT_EQ(*a, "/same.1");
  EXPECT_EQ(Get(root_ / "same"), "2");
  EXPECT_EQ(Get(root_ / "same.1"), "1");
}

TEST_P(FileStoreWrite, AbortedCreateUniqueLeavesNothing) {
  Put(root_ / "u", "existing");
  std::unique_ptr<Writer> writer = MustOpen("/u", WriteMode::kCreateUnique);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Write(Bytes("x")).ok());
  writer->Abort();
  EXPECT_THAT(RealNames(root_), ElementsAre("u"));
}

TEST_P(FileStoreWrite, WritesThroughSymlinkedDirectoryInsideTheRoot) {
  std::filesystem::create_directory(root_ / "real");
  std::filesystem::create_directory_symlink("real", root_ / "alias");
  EXPECT_EQ(Upload("/alias/f", WriteMode::kReplace, "via alias"), "/alias/f");
  EXPECT_EQ(Get(root_ / "real" / "f"), "via alias");
  Upload("/alias/f", WriteMode::kAppend, "!");
  EXPECT_EQ(Download("/real/f"), "via alias!");
}

TEST_P(FileStoreWrite, FsyncOnCommitWorks) {
  FileStore::Options options;
  options.fsync_on_commit = true;
  options.force_component_walk = GetParam() == testing::Resolver::kComponentWalk;
  absl::StatusOr<std::unique_ptr<FileStore>> store = FileStore::Open(root_, options);
  ASSERT_TRUE(store.ok());
  absl::StatusOr<std::unique_ptr<Writer>> writer =
      (*store)->OpenWrite("/synced", WriteMode::kReplace, 0);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(Bytes("durable")).ok());
  ASSERT_TRUE((*writer)->Commit().ok());
  EXPECT_EQ(Get(root_ / "synced"), "durable");
}

}  // namespace
}  // namespace gw::filestore

namespace gw::filestore {
namespace {

// --- sweeping what a stopped bridge left behind ------------------------------------------

class FileStoreSweep : public testing::FileStoreTest {};
INSTANTIATE_TEST_SUITE_P(Resolvers, FileStoreSweep,
                         ::testing::Values(testing::Resolver::kOpenat2),
                         testing::ResolverName);

void Age(const std::filesystem::path& p, int seconds) {
  std::filesystem::last_write_time(p, std::filesystem::last_write_time(p) - std::chrono::seconds(seconds));
}

TEST_P(FileStoreSweep, RemovesOnlyStaleTemporaries) {
  std::filesystem::create_directories(root_ / "a" / "b");
  // Temporaries of interrupted uploads, an hour old, at several depths.
  const std::string stale1 = ".x.bin.part-0123456789abcdef";
  const std::string stale2 = ".report.csv.part-fedcba9876543210";
  Put(root_ / stale1, "partial");
  Put(root_ / "a" / "b" / stale2, "partial");
  Age(root_ / stale1, 7200);
  Age(root_ / "a" / "b" / stale2, 7200);
  // An upload running now, a real file that merely looks alike, and one outside the root
  // behind a symlink: all stay.
  std::unique_ptr<Writer> running = *store_->OpenWrite("/a/live.bin", WriteMode::kReplace, 0);
  ASSERT_TRUE(running->Write(Bytes("in flight")).ok());
  Put(root_ / "x.bin.part-0123456789abcdef", "a file named so");
  Age(root_ / "x.bin.part-0123456789abcdef", 7200);
  Put(outside_ / stale1, "not ours");
  Age(outside_ / stale1, 7200);
  std::filesystem::create_directory_symlink(outside_, root_ / "link");

  absl::StatusOr<std::size_t> removed = store_->SweepTemporaries(std::chrono::seconds(3600));
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2u);
  EXPECT_FALSE(std::filesystem::exists(root_ / stale1));
  EXPECT_FALSE(std::filesystem::exists(root_ / "a" / "b" / stale2));
  EXPECT_TRUE(std::filesystem::exists(root_ / "x.bin.part-0123456789abcdef"));
  EXPECT_TRUE(std::filesystem::exists(outside_ / stale1));
  // The running upload still commits.
  absl::StatusOr<std::string> committed = running->Commit();
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(Get(root_ / "a" / "live.bin"), "in flight");
}

}  // namespace
}  // namespace gw::filestore
