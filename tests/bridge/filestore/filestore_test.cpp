// Stat, List, OpenRead, Delete, Rename, MakeDirectory, RemoveDirectory.
#include "bridge/filestore/filestore.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>

#include "filestore_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gw::filestore {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class FileStoreOps : public testing::FileStoreTest {};
INSTANTIATE_TEST_SUITE_P(Resolvers, FileStoreOps,
                         ::testing::Values(testing::Resolver::kOpenat2,
                                           testing::Resolver::kComponentWalk),
                         testing::ResolverName);

std::vector<std::string> Names(const std::vector<Entry>& entries) {
  std::vector<std::string> names;
  for (const Entry& e : entries) names.push_back(e.name);
  return names;
}

TEST(FileStoreOpen, MissingRootFailsWithoutNamingIt) {
  absl::StatusOr<std::unique_ptr<FileStore>> store =
      FileStore::Open("/nonexistent/gw-filestore-root");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(store.status().message(), ::testing::Not(HasSubstr("gw-filestore-root")));
}

TEST_P(FileStoreOps, StatReportsFileAttributes) {
  Put(root_ / "a.txt", "12345");
  ::chmod((root_ / "a.txt").c_str(), 0640);
  timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
  ::utimensat(AT_FDCWD, (root_ / "a.txt").c_str(), times, 0);

  absl::StatusOr<Entry> entry = store_->Stat("/a.txt");
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->name, "a.txt");
  EXPECT_EQ(entry->type, EntryType::kFile);
  EXPECT_EQ(entry->size, 5u);
  EXPECT_EQ(entry->mtime_unix, 1234567890);
  EXPECT_EQ(entry->mode, 0640u);
  EXPECT_EQ(entry->nlink, 1u);
  passwd* pw = ::getpwuid(::getuid());
  EXPECT_EQ(entry->owner, pw != nullptr ? std::string(pw->pw_name) : std::to_string(::getuid()));
  EXPECT_FALSE(entry->group.empty());
}

TEST_P(FileStoreOps, StatOfRootAndDirectories) {
  std::filesystem::create_directory(root_ / "d");
  absl::StatusOr<Entry> root = store_->Stat("/");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(root->name, "/");
  EXPECT_EQ(root->type, EntryType::kDirectory);
  absl::StatusOr<Entry> dir = store_->Stat("/d");
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->type, EntryType::kDirectory);
}

TEST_P(FileStoreOps, StatMissingIsNotFoundNamingTheVirtualPath) {
  absl::StatusOr<Entry> entry = store_->Stat("/nope/x");
  EXPECT_EQ(entry.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(entry.status().message(), "no such file or directory: /nope/x");
}

TEST_P(FileStoreOps, StatFollowsSymlinksInsideTheRoot) {
  std::filesystem::create_directory(root_ / "sub");
  Put(root_ / "sub" / "f", "abc");
  std::filesystem::create_symlink("sub/f", root_ / "link");
  absl::StatusOr<Entry> entry = store_->Stat("/link");
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_EQ(entry->type, EntryType::kFile);
  EXPECT_EQ(entry->size, 3u);
}

TEST_P(FileStoreOps, ListIsSortedWithAttributes) {
  Put(root_ / "b.txt", "bb");
  Put(root_ / "a.txt", "a");
  std::filesystem::create_directory(root_ / "c");
  std::filesystem::create_symlink("a.txt", root_ / "d");
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/");
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_THAT(Names(*entries), ElementsAre("a.txt", "b.txt", "c", "d"));
  EXPECT_EQ((*entries)[0].size, 1u);
  EXPECT_EQ((*entries)[1].size, 2u);
  EXPECT_EQ((*entries)[1].type, EntryType::kFile);
  EXPECT_EQ((*entries)[2].type, EntryType::kDirectory);
  EXPECT_EQ((*entries)[3].type, EntryType::kSymlink);
  EXPECT_EQ((*entries)[2].mode & 0700, 0700u);
}

TEST_P(FileStoreOps, ListOfEmptyDirectoryIsEmpty) {
  std::filesystem::create_directory(root_ / "empty");
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/empty");
  ASSERT_TRUE(entries.ok());
  EXPECT_THAT(*entries, IsEmpty());
}

TEST_P(FileStoreOps, ListOfAFileIsThatFile) {
  std::filesystem::create_directory(root_ / "d");
  Put(root_ / "d" / "f.bin", "xyz");
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/d/f.bin");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "f.bin");
  EXPECT_EQ((*entries)[0].size, 3u);
}

TEST_P(FileStoreOps, ListHidesUploadsInProgressButNotOtherDotFiles) {
  Put(root_ / "keep", "k");
  Put(root_ / ".profile", "p");
  Put(root_ / ".x.part-1", "user's own file");
  absl::StatusOr<std::unique_ptr<Writer>> writer =
      store_->OpenWrite("/upload.bin", WriteMode::kReplace, 0);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(Bytes("partial")).ok());
  // The upload is on disk under a hidden name...
  EXPECT_EQ(RealNames(root_).size(), 4u);
  // ...which listings leave out.
  absl::StatusOr<std::vector<Entry>> entries = store_->List("/");
  ASSERT_TRUE(entries.ok());
  EXPECT_THAT(Names(*entries), ElementsAre(".profile", ".x.part-1", "keep"));
}

TEST_P(FileStoreOps, ListMissingIsNotFound) {
  EXPECT_EQ(store_->List("/missing").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(FileStoreOps, ReadWholeFile) {
  Put(root_ / "f", "hello, world");
  absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead("/f", 0);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->size(), 12u);
  EXPECT_EQ(ReadAll(**reader), "hello, world");
}

TEST_P(FileStoreOps, ReadFromOffset) {
  Put(root_ / "f", "0123456789");
  EXPECT_EQ(Download("/f", 4), "456789");
  EXPECT_EQ(Download("/f", 9), "9");
  EXPECT_EQ(Download("/f", 10), "");  // at the end: nothing left, not an error
}

TEST_P(FileStoreOps, ReadOffsetBeyondEndIsOutOfRange) {
  Put(root_ / "f", "0123456789");
  absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead("/f", 11);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(reader.status().message(), HasSubstr("/f"));
}

TEST_P(FileStoreOps, ReadingADirectoryIsFailedPrecondition) {
  std::filesystem::create_directory(root_ / "d");
  absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead("/d", 0);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reader.status().message(), "is a directory: /d");
  EXPECT_EQ(store_->OpenRead("/", 0).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(FileStoreOps, ReadingAFifoIsRefusedWithoutHanging) {
  ASSERT_EQ(::mkfifo((root_ / "pipe").c_str(), 0644), 0);
  absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead("/pipe", 0);
  EXPECT_EQ(reader.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_P(FileStoreOps, ReadMissingIsNotFound) {
  EXPECT_EQ(store_->OpenRead("/none", 0).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(FileStoreOps, PathsMustBeNormalized) {
  for (const char* bad : {"relative", "/a/../b", "/a/", "//a", "/./a"}) {
    EXPECT_EQ(store_->Stat(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(store_->Delete(bad).code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_P(FileStoreOps, DeleteRemovesAFile) {
  Put(root_ / "f", "x");
  EXPECT_TRUE(store_->Delete("/f").ok());
  EXPECT_FALSE(std::filesystem::exists(root_ / "f"));
}

TEST_P(FileStoreOps, DeleteErrors) {
  std::filesystem::create_directory(root_ / "d");
  absl::Status dir = store_->Delete("/d");
  EXPECT_EQ(dir.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dir.message(), "is a directory: /d");
  EXPECT_TRUE(std::filesystem::exists(root_ / "d"));
  EXPECT_EQ(store_->Delete("/").code(), absl::StatusCode::kFailedPrecondition);
  absl::Status missing = store_->Delete("/gone");
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "no such file or directory: /gone");
  ExpectNoRealPath(missing);
}

TEST_P(FileStoreOps, RenameMovesFilesAndDirectories) {
  Put(root_ / "a", "A");
  std::filesystem::create_directory(root_ / "d");
  ASSERT_TRUE(store_->Rename("/a", "/d/b").ok());
  EXPECT_EQ(Get(root_ / "d" / "b"), "A");
  EXPECT_FALSE(std::filesystem::exists(root_ / "a"));
  ASSERT_TRUE(store_->Rename("/d", "/e").ok());
  EXPECT_EQ(Get(root_ / "e" / "b"), "A");
}

TEST_P(FileStoreOps, RenameOverAFileReplacesIt) {
  Put(root_ / "a", "new");
  Put(root_ / "b", "old");
  ASSERT_TRUE(store_->Rename("/a", "/b").ok());
  EXPECT_EQ(Get(root_ / "b"), "new");
}

TEST_P(FileStoreOps, RenameErrors) {
  Put(root_ / "f", "x");
  std::filesystem::create_directories(root_ / "full" / "inner");
  std::filesystem::create_directory(root_ / "d");

  absl::Status missing = store_->Rename("/nothing", "/x");
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "no such file or directory: /nothing");

  EXPECT_EQ(store_->Rename("/f", "/nodir/x").code(), absl::StatusCode::kNotFound);

  absl::Status not_empty = store_->Rename("/d", "/full");
  EXPECT_EQ(not_empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(not_empty.message(), "directory not empty: /full");

  absl::Status onto_dir = store_->Rename("/f", "/d");
  EXPECT_EQ(onto_dir.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(onto_dir.message(), "is a directory: /d");

  EXPECT_EQ(store_->Rename("/full", "/full/inner/x").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->Rename("/", "/x").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->Rename("/f", "/").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Get(root_ / "f"), "x");  // nothing lost along the way
}

TEST_P(FileStoreOps, MakeDirectory) {
  ASSERT_TRUE(store_->MakeDirectory("/new").ok());
  EXPECT_TRUE(std::filesystem::is_directory(root_ / "new"));
  ASSERT_TRUE(store_->MakeDirectory("/new/deeper").ok());
  EXPECT_TRUE(std::filesystem::is_directory(root_ / "new" / "deeper"));
}

TEST_P(FileStoreOps, MakeDirectoryErrors) {
  Put(root_ / "file", "x");
  std::filesystem::create_directory(root_ / "d");
  absl::Status exists = store_->MakeDirectory("/d");
  EXPECT_EQ(exists.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(exists.message(), "file exists: /d");
  EXPECT_EQ(store_->MakeDirectory("/file").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->MakeDirectory("/").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->MakeDirectory("/a/b").code(), absl::StatusCode::kNotFound);
  absl::Status under_file = store_->MakeDirectory("/file/sub");
  EXPECT_EQ(under_file.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(under_file.message(), "not a directory: /file");
}

TEST_P(FileStoreOps, RemoveDirectory) {
  std::filesystem::create_directory(root_ / "d");
  ASSERT_TRUE(store_->RemoveDirectory("/d").ok());
  EXPECT_FALSE(std::filesystem::exists(root_ / "d"));
}

TEST_P(FileStoreOps, RemoveDirectoryErrors) {
  std::filesystem::create_directory(root_ / "full");
  Put(root_ / "full" / "f", "x");
  Put(root_ / "file", "x");

  absl::Status not_empty = store_->RemoveDirectory("/full");
  EXPECT_EQ(not_empty.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(not_empty.message(), "directory not empty: /full");
  EXPECT_EQ(Get(root_ / "full" / "f"), "x");

  absl::Status on_file = store_->RemoveDirectory("/file");
  EXPECT_EQ(on_file.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(on_file.message(), "not a directory: /file");

  EXPECT_EQ(store_->RemoveDirectory("/none").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->RemoveDirectory("/").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(std::filesystem::is_directory(root_));
}

TEST_P(FileStoreOps, RemoveDirectoryWithUploadInProgressIsNotEmpty) {
  std::filesystem::create_directory(root_ / "d");
  absl::StatusOr<std::unique_ptr<Writer>> writer =
      store_->OpenWrite("/d/f", WriteMode::kReplace, 0);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(store_->RemoveDirectory("/d").code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace gw::filestore

namespace gw::filestore {
namespace {

size_t OpenDescriptors() {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                           std::filesystem::directory_iterator()));
}

// The bridge runs for months: no operation, failed or not, may leak a descriptor.
TEST_P(FileStoreOps, NoDescriptorLeaks) {
  std::filesystem::create_directory(root_ / "d");
  Put(root_ / "d" / "f", "content");
  std::filesystem::create_symlink("../outside/secret", root_ / "out");
  size_t before = OpenDescriptors();
  for (int i = 0; i < 3; ++i) {
    (void)store_->Stat("/d/f");
    (void)store_->Stat("/out");
    (void)store_->List("/d");
    (void)store_->List("/missing");
    (void)Download("/d/f");
    (void)store_->OpenRead("/d", 0);
    Upload("/d/g", WriteMode::kReplace, "x");
    Upload("/d/g", WriteMode::kAppend, "y");
    Upload("/d/g", WriteMode::kReplace, "z", 1);
    Upload("/d/u", WriteMode::kCreateUnique, "u");
    (void)store_->OpenWrite("/d/g", WriteMode::kCreateNew, 0);
    { auto aborted = store_->OpenWrite("/d/h", WriteMode::kReplace, 0); }
    (void)store_->Rename("/d/g", "/d/h");
    (void)store_->Delete("/d/h");
    (void)store_->MakeDirectory("/e");
    (void)store_->RemoveDirectory("/e");
    (void)store_->RemoveDirectory("/d");
  }
  EXPECT_EQ(OpenDescriptors(), before);
}

}  // namespace
}  // namespace gw::filestore
