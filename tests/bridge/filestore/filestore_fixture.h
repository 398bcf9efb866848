// A fresh filestore per test: <tmp>/root is the filestore, <tmp>/outside is
// what must stay out of reach. Parameterized over the two path resolvers
// (openat2, and the component walk used on kernels without it).
#ifndef GW_TESTS_BRIDGE_FILESTORE_FILESTORE_FIXTURE_H_
#define GW_TESTS_BRIDGE_FILESTORE_FILESTORE_FIXTURE_H_

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "bridge/filestore/filestore.h"
#include "gtest/gtest.h"

namespace gw::filestore::testing {

enum class Resolver { kOpenat2, kComponentWalk };

inline std::string ResolverName(const ::testing::TestParamInfo<Resolver>& info) {
  return info.param == Resolver::kOpenat2 ? "Openat2" : "ComponentWalk";
}

class FileStoreTest : public ::testing::TestWithParam<Resolver> {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "gw_filestore_XXXXXX");
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    root_ = base_ / "root";
    outside_ = base_ / "outside";
    std::filesystem::create_directory(root_);
    std::filesystem::create_directory(outside_);
    Put(outside_ / "secret", "top secret");
    FileStore::Options options;
    options.force_component_walk = GetParam() == Resolver::kComponentWalk;
    absl::StatusOr<std::unique_ptr<FileStore>> store = FileStore::Open(root_, options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(base_, ignored);
  }

  static void Put(const std::filesystem::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }

  static std::string Get(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
  }

  // Every name in a real directory, hidden ones included.
  static std::vector<std::string> RealNames(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      names.push_back(entry.path().filename());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // Text as bytes to write (a string literal as a span would include its NUL).
  static std::span<const char> Bytes(std::string_view text) { return {text.data(), text.size()}; }

  static std::string ReadAll(Reader& reader) {
    std::string content;
    char buffer[7];  // small, to exercise several reads
    while (true) {
      absl::StatusOr<size_t> n = reader.Read(buffer);
      EXPECT_TRUE(n.ok()) << n.status();
      if (!n.ok() || *n == 0) return content;
      content.append(buffer, *n);
    }
  }

  // Reads a file through the store.
  std::string Download(std::string_view path, uint64_t offset = 0) {
    absl::StatusOr<std::unique_ptr<Reader>> reader = store_->OpenRead(path, offset);
    EXPECT_TRUE(reader.ok()) << reader.status();
    return reader.ok() ? ReadAll(**reader) : std::string();
  }

  // Writes and commits a file through the store; returns the committed path.
  std::string Upload(std::string_view path, WriteMode mode, const std::string& content,
                     uint64_t offset = 0) {
    absl::StatusOr<std::unique_ptr<Writer>> writer = store_->OpenWrite(path, mode, offset);
    EXPECT_TRUE(writer.ok()) << writer.status();
    if (!writer.ok()) return "";
    EXPECT_TRUE((*writer)->Write(content).ok());
    absl::StatusOr<std::string> committed = (*writer)->Commit();
    EXPECT_TRUE(committed.ok()) << committed.status();
    return committed.ok() ? *committed : "";
  }

  // The real location must never show in what a user is told.
  void ExpectNoRealPath(const absl::Status& status) {
    EXPECT_EQ(std::string(status.message()).find(base_.string()), std::string::npos) << status;
  }

  std::filesystem::path base_;
  std::filesystem::path root_;
  std::filesystem::path outside_;
  std::unique_ptr<FileStore> store_;
};

}  // namespace gw::filestore::testing

#endif  // GW_TESTS_BRIDGE_FILESTORE_FILESTORE_FIXTURE_H_
