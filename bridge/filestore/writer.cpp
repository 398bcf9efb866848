#include "bridge/filestore/writer.h"

#include <fcntl.h>
#include <limits.h>  // IOV_MAX
#include <stdio.h>   // renameat2, RENAME_NOREPLACE
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>
#include <utility>

#include "bridge/filestore/errors.h"
#include "bridge/filestore/path.h"

namespace gw::filestore {
namespace {

// Tries "<name>", "<name>.1", ... "<name>.<kMaxUniqueSuffix>" for kCreateUnique.
constexpr int kMaxUniqueSuffix = 9999;
constexpr int kTemporaryNameAttempts = 8;

// Writes every piece, in order, with writev (up to IOV_MAX pieces per call, resuming after
// a short write). Returns the octets written through `*written`.
absl::Status WriteAll(int fd, std::span<const std::span<const char>> pieces, std::string_view path,
                      uint64_t* written) {
  std::vector<iovec> iov;
  iov.reserve(pieces.size());
  for (std::span<const char> p : pieces)
    if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
  std::size_t first = 0;
  while (first < iov.size()) {
    const int count = static_cast<int>(std::min<std::size_t>(iov.size() - first, IOV_MAX));
    ssize_t n = ::writev(fd, iov.data() + first, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "write", path);
    }
    if (n == 0) return ErrnoStatus(ENOSPC, "write", path);
    *written += static_cast<uint64_t>(n);
    auto left = static_cast<std::size_t>(n);
    while (left > 0 && left >= iov[first].iov_len) left -= iov[first++].iov_len;
    if (left > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
      iov[first].iov_len -= left;
    }
  }
  return absl::OkStatus();
}

// Flushes and closes `fd`; close() is where some file systems report
// deferred write errors.
absl::Status FinishFile(UniqueFd& fd, bool sync, std::string_view path) {
  if (sync && ::fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync", path);
  if (::close(fd.release()) != 0 && errno != EINTR) return ErrnoStatus(errno, "close", path);
  return absl::OkStatus();
}

// rename without replacing an existing `to`; returns 0 or errno. Falls back
// to link + unlink on file systems without RENAME_NOREPLACE.
int RenameNoReplace(int dir, const std::string& from, const std::string& to) {
  if (::renameat2(dir, from.c_str(), dir, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return errno;
  if (::linkat(dir, from.c_str(), dir, to.c_str(), 0) != 0) return errno;
  ::unlinkat(dir, from.c_str(), 0);
  return 0;
}

class TemporaryFileWriter final : public Writer {
 public:
  TemporaryFileWriter(UniqueFd dir, std::string dir_path, std::string name,
                      std::string temporary_name, UniqueFd file, WriteMode mode, bool sync)
      : dir_(std::move(dir)),
        dir_path_(std::move(dir_path)),
        name_(std::move(name)),
        temporary_name_(std::move(temporary_name)),
        file_(std::move(file)),
        mode_(mode),
        sync_(sync) {}
  ~TemporaryFileWriter() override { Abort(); }

  using Writer::Write;
  absl::Status Write(std::span<const std::span<const char>> pieces) override {
    if (finished_) return absl::FailedPreconditionError("write already finished");
    return WriteAll(file_.get(), pieces, JoinPath(dir_path_, name_), &written_);
  }

  absl::StatusOr<std::string> Commit() override {
    if (finished_) return absl::FailedPreconditionError("write already finished");
    absl::StatusOr<std::string> final_name = Publish();
    if (!final_name.ok()) {
      Abort();
      return final_name.status();
    }
    finished_ = true;
    if (sync_) ::fsync(dir_.get());
    return JoinPath(dir_path_, *final_name);
  }

  void Abort() override {
    if (finished_) return;
    finished_ = true;
    file_.reset();
    ::unlinkat(dir_.get(), temporary_name_.c_str(), 0);
  }

  uint64_t bytes_written() const override { return written_; }

 private:
  // Closes the temporary file and renames it into place; returns the name used.
  absl::StatusOr<std::string> Publish() {
    std::string path = JoinPath(dir_path_, name_);
    if (absl::Status s = FinishFile(file_, sync_, path); !s.ok()) return s;
    switch (mode_) {
      case WriteMode::kCreateNew:
        if (int err = RenameNoReplace(dir_.get(), temporary_name_, name_); err != 0) {
          return ErrnoStatus(err, "rename", path);
        }
        return name_;
      case WriteMode::kCreateUnique:
        for (int suffix = 0; suffix <= kMaxUniqueSuffix; ++suffix) {
          std::string candidate = suffix == 0 ? name_ : Cat(name_, ".", suffix);
          int err = RenameNoReplace(dir_.get(), temporary_name_, candidate);
          if (err == 0) return candidate;
          if (err != EEXIST) return ErrnoStatus(err, "rename", JoinPath(dir_path_, candidate));
        }
        return absl::AlreadyExistsError(Cat("no unused name left for ", path));
      default:
        if (::renameat(dir_.get(), temporary_name_.c_str(), dir_.get(), name_.c_str()) != 0) {
          return ErrnoStatus(errno, "rename", path);
        }
        return name_;
    }
  }

  UniqueFd dir_;
  std::string dir_path_;
  std::string name_;
  std::string temporary_name_;
  UniqueFd file_;
  WriteMode mode_;
  bool sync_;
  bool finished_ = false;
  uint64_t written_ = 0;
};

class InPlaceWriter final : public Writer {
 public:
  InPlaceWriter(InPlaceTarget target, bool sync) : target_(std::move(target)), sync_(sync) {}
  ~InPlaceWriter() override { Abort(); }

  using Writer::Write;
  absl::Status Write(std::span<const std::span<const char>> pieces) override {
    if (finished_) return absl::FailedPreconditionError("write already finished");
    return WriteAll(target_.file.get(), pieces, target_.path, &written_);
  }

  absl::StatusOr<std::string> Commit() override {
    if (finished_) return absl::FailedPreconditionError("write already finished");
    absl::Status status = FinishFile(target_.file, sync_, target_.path);
    if (!status.ok()) {
      Abort();
      return status;
    }
    finished_ = true;
    return target_.path;
  }

  void Abort() override {
    if (finished_) return;
    finished_ = true;
    if (target_.restore_size.has_value() && target_.file.valid()) {
      // Best effort: nothing more can be done here if it fails.
      if (::ftruncate(target_.file.get(), static_cast<off_t>(*target_.restore_size)) != 0) {
      }
    }
    if (target_.created_in_dir.valid() && target_.file.valid()) RemoveIfStillOurs();
    target_.file.reset();
  }

  uint64_t bytes_written() const override { return written_; }

 private:
  // Unlinks the file this writer created, unless the name now refers to
  // another file (replaced by someone else meanwhile).
  void RemoveIfStillOurs() {
    struct stat ours, named;
    const char* name = target_.created_name.c_str();
    if (::fstat(target_.file.get(), &ours) != 0 ||
        ::fstatat(target_.created_in_dir.get(), name, &named, AT_SYMLINK_NOFOLLOW) != 0) {
      return;
    }
    if (ours.st_dev == named.st_dev && ours.st_ino == named.st_ino) {
      ::unlinkat(target_.created_in_dir.get(), name, 0);
    }
  }

  InPlaceTarget target_;
  bool sync_;
  bool finished_ = false;
  uint64_t written_ = 0;
};

}  // namespace

Reader::~Reader() = default;
Writer::~Writer() = default;

absl::StatusOr<std::unique_ptr<Writer>> OpenTemporaryWriter(UniqueFd dir, std::string dir_path,
                                                            std::string name, WriteMode mode,
                                                            std::optional<mode_t> permissions,
                                                            bool fsync_on_commit) {
  std::string path = JoinPath(dir_path, name);
  for (int attempt = 0; attempt < kTemporaryNameAttempts; ++attempt) {
    std::string temporary = TemporaryName(name);
    // 0644, less the umask, unless the replaced file's mode is kept.
    int fd = ::openat(dir.get(), temporary.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return ErrnoStatus(errno, "create", path);
    }
    UniqueFd file(fd);
    if (permissions.has_value()) ::fchmod(file.get(), *permissions);
    return std::make_unique<TemporaryFileWriter>(std::move(dir), std::move(dir_path),
                                                 std::move(name), std::move(temporary),
                                                 std::move(file), mode, fsync_on_commit);
  }
  return absl::InternalError(Cat("could not create a temporary file for ", path));
}

std::unique_ptr<Writer> MakeInPlaceWriter(InPlaceTarget target, bool fsync_on_commit) {
  return std::make_unique<InPlaceWriter>(std::move(target), fsync_on_commit);
}

}  // namespace gw::filestore
