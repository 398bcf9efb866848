#include "bridge/filestore/filestore.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <optional>
#include <utility>

#include "bridge/filestore/errors.h"
#include "bridge/filestore/path.h"
#include "bridge/filestore/resolve.h"
#include "bridge/filestore/unique_fd.h"
#include "bridge/filestore/writer.h"

namespace gw::filestore {
namespace {

// User and group names looked up once per listing.
class OwnerNames {
 public:
  const std::string& User(uid_t uid) {
    auto [it, inserted] = users_.try_emplace(uid);
    if (inserted) {
      passwd pw, *found = nullptr;
      char buffer[4096];
      it->second = ::getpwuid_r(uid, &pw, buffer, sizeof buffer, &found) == 0 && found != nullptr
                       ? std::string(found->pw_name)
                       : Cat(uid);
    }
    return it->second;
  }
  const std::string& Group(gid_t gid) {
    auto [it, inserted] = groups_.try_emplace(gid);
    if (inserted) {
      group gr, *found = nullptr;
      char buffer[4096];
      it->second = ::getgrgid_r(gid, &gr, buffer, sizeof buffer, &found) == 0 && found != nullptr
                       ? std::string(found->gr_name)
                       : Cat(gid);
    }
    return it->second;
  }

 private:
  std::map<uid_t, std::string> users_;
  std::map<gid_t, std::string> groups_;
};

EntryType TypeOf(mode_t mode) {
  if (S_ISREG(mode)) return EntryType::kFile;
  if (S_ISDIR(mode)) return EntryType::kDirectory;
  if (S_ISLNK(mode)) return EntryType::kSymlink;
  return EntryType::kOther;
}

Entry MakeEntry(std::string name, const struct stat& st, OwnerNames& names) {
  Entry entry;
  entry.name = std::move(name);
  entry.type = TypeOf(st.st_mode);
  entry.size = static_cast<uint64_t>(st.st_size);
  entry.mtime_unix = st.st_mtim.tv_sec;
  entry.mode = st.st_mode & 07777;
  entry.nlink = static_cast<uint32_t>(st.st_nlink);
  entry.owner = names.User(st.st_uid);
  entry.group = names.Group(st.st_gid);
  return entry;
}

std::string LastComponent(std::string_view path) {
  return path == "/" ? std::string("/") : SplitParent(path).name;
}

absl::StatusOr<struct stat> StatFd(int fd, std::string_view path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus(errno, "stat", path);
  return st;
}

absl::Status NotRegular(const struct stat& st, std::string_view path) {
  if (S_ISDIR(st.st_mode)) return ErrnoStatus(EISDIR, "open", path);
  return absl::FailedPreconditionError(Cat("not a regular file: ", path));
}

class FileReader final : public Reader {
 public:
  FileReader(UniqueFd fd, std::string path, uint64_t size)
      : fd_(std::move(fd)), path_(std::move(path)), size_(size) {}

  absl::StatusOr<size_t> Read(std::span<char> out) override {
    while (true) {
      ssize_t n = ::read(fd_.get(), out.data(), out.size());
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return ErrnoStatus(errno, "read", path_);
    }
  }
  uint64_t size() const override { return size_; }

 private:
  UniqueFd fd_;
  std::string path_;
  uint64_t size_;
};

// Reads a directory's names, without "." and "..".
absl::StatusOr<std::vector<std::string>> ReadNames(int dir_fd, std::string_view path) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open", path);
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus(err, "opendir", path);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
    errno = 0;
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return ErrnoStatus(err, "readdir", path);
  return names;
}

// One directory of SweepTemporaries: `dir_fd` is an open directory, owned by the caller.
void SweepDirectory(int dir_fd, std::string_view path, time_t cutoff, int depth, std::size_t& removed) {
  absl::StatusOr<std::vector<std::string>> names = ReadNames(dir_fd, path);
  if (!names.ok()) return;  // unreadable: nothing to sweep there
  for (const std::string& name : *names) {
    struct stat st;
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISREG(st.st_mode) && IsTemporaryName(name) && st.st_mtime < cutoff) {
      if (::unlinkat(dir_fd, name.c_str(), 0) == 0) ++removed;
    } else if (S_ISDIR(st.st_mode) && depth < 64) {
      int sub = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) continue;
      SweepDirectory(sub, JoinPath(path, name), cutoff, depth + 1, removed);
      ::close(sub);
    }
  }
}

}  // namespace

absl::StatusOr<std::size_t> FileStore::SweepTemporaries(std::chrono::seconds older_than) {
  int dir = ::openat(root_fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return ErrnoStatus(errno, "open", "/");
  std::size_t removed = 0;
  SweepDirectory(dir, "/", ::time(nullptr) - static_cast<time_t>(older_than.count()), 0, removed);
  ::close(dir);
  return removed;
}

FileStore::FileStore(int root_fd, const Options& options, bool use_openat2)
    : root_fd_(root_fd), options_(options), use_openat2_(use_openat2) {}

FileStore::~FileStore() { ::close(root_fd_); }

absl::StatusOr<std::unique_ptr<FileStore>> FileStore::Open(const std::string& root_dir) {
  return Open(root_dir, Options{});
}

absl::StatusOr<std::unique_ptr<FileStore>> FileStore::Open(const std::string& root_dir,
                                                           const Options& options) {
  // The root's real location is the administrator's business: it is not in
  // the message, which may reach a user.
  int fd = ::open(root_dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "open", "filestore root");
  bool use_openat2 = !options.force_component_walk && Openat2Available(fd);
  return std::unique_ptr<FileStore>(new FileStore(fd, options, use_openat2));
}

absl::StatusOr<Entry> FileStore::Stat(std::string_view path) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  absl::StatusOr<UniqueFd> fd = OpenVirtual({root_fd_, use_openat2_}, path, O_PATH);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<struct stat> st = StatFd(fd->get(), path);
  if (!st.ok()) return st.status();
  OwnerNames names;
  return MakeEntry(LastComponent(path), *st, names);
}

absl::StatusOr<std::vector<Entry>> FileStore::List(std::string_view path) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  absl::StatusOr<UniqueFd> fd = OpenVirtual({root_fd_, use_openat2_}, path, O_PATH);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<struct stat> st = StatFd(fd->get(), path);
  if (!st.ok()) return st.status();
  OwnerNames names;
  std::vector<Entry> entries;
  if (!S_ISDIR(st->st_mode)) {
    entries.push_back(MakeEntry(LastComponent(path), *st, names));
    return entries;
  }
  absl::StatusOr<std::vector<std::string>> listed = ReadNames(fd->get(), path);
  if (!listed.ok()) return listed.status();
  std::sort(listed->begin(), listed->end());
  for (std::string& name : *listed) {
    if (IsTemporaryName(name)) continue;  // uploads in progress
    struct stat entry_st;
    if (::fstatat(fd->get(), name.c_str(), &entry_st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while listing
      return ErrnoStatus(errno, "stat", JoinPath(path, name));
    }
    entries.push_back(MakeEntry(std::move(name), entry_st, names));
  }
  return entries;
}

absl::StatusOr<std::unique_ptr<Reader>> FileStore::OpenRead(std::string_view path,
                                                            uint64_t offset) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  // O_NONBLOCK: opening a FIFO must not hang; it is refused below anyway.
  absl::StatusOr<UniqueFd> fd =
      OpenVirtual({root_fd_, use_openat2_}, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<struct stat> st = StatFd(fd->get(), path);
  if (!st.ok()) return st.status();
  if (!S_ISREG(st->st_mode)) return NotRegular(*st, path);
  uint64_t size = static_cast<uint64_t>(st->st_size);
  if (offset > size) {
    return absl::OutOfRangeError(
        Cat("offset ", offset, " is beyond the end of ", path, " (", size, " bytes)"));
  }
  if (::fcntl(fd->get(), F_SETFL, 0) != 0 ||
      ::lseek(fd->get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
    return ErrnoStatus(errno, "seek", path);
  }
  return std::make_unique<FileReader>(std::move(*fd), std::string(path), size);
}

absl::StatusOr<std::unique_ptr<Writer>> FileStore::OpenWrite(std::string_view path, WriteMode mode,
                                                             uint64_t offset) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  const Root root{root_fd_, use_openat2_};
  if (offset > 0 && (mode == WriteMode::kCreateNew || mode == WriteMode::kCreateUnique)) {
    return absl::InvalidArgumentError(Cat("a restart offset cannot apply to a new file: ", path));
  }

  if (mode == WriteMode::kReplace && offset > 0) {
    // REST + STOR: continue the existing file in place.
    absl::StatusOr<UniqueFd> fd = OpenVirtual(root, path, O_WRONLY | O_NONBLOCK | O_NOCTTY);
    if (!fd.ok()) return fd.status();
    absl::StatusOr<struct stat> st = StatFd(fd->get(), path);
    if (!st.ok()) return st.status();
    if (!S_ISREG(st->st_mode)) return NotRegular(*st, path);
    if (offset > static_cast<uint64_t>(st->st_size)) {
      return absl::OutOfRangeError(Cat("restart offset ", offset, " is beyond the end of ", path,
                                       " (", st->st_size, " bytes)"));
    }
    if (::ftruncate(fd->get(), static_cast<off_t>(offset)) != 0 ||
        ::lseek(fd->get(), static_cast<off_t>(offset), SEEK_SET) < 0) {
      return ErrnoStatus(errno, "truncate", path);
    }
    InPlaceTarget target;
    target.file = std::move(*fd);
    target.path = path;
    return MakeInPlaceWriter(std::move(target), options_.fsync_on_commit);
  }

  // The directory written into and the name in it.
  std::string dir_path;
  std::string name;
  std::optional<UniqueFd> dir;
  if (mode == WriteMode::kCreateUnique) {
    // STOU naming an existing directory: a file called "file" in it.
    absl::StatusOr<UniqueFd> named = OpenVirtual(root, path, O_PATH | O_DIRECTORY);
    if (named.ok()) {
      dir = std::move(*named);
      dir_path = path;
      name = "file";
    } else if (!absl::IsNotFound(named.status()) && !absl::IsFailedPrecondition(named.status())) {
      return named.status();
    }
  }
  if (!dir.has_value()) {
    if (path == "/") return ErrnoStatus(EISDIR, "open", path);
    ParentAndName split = SplitParent(path);
    absl::StatusOr<UniqueFd> parent = OpenVirtual(root, split.parent, O_PATH | O_DIRECTORY);
    if (!parent.ok()) return parent.status();
    dir = std::move(*parent);
    dir_path = std::move(split.parent);
    name = std::move(split.name);
  }

  if (mode == WriteMode::kAppend) {
    // Open the existing file (following symlinks inside the root) or create
    // it; retried in case it appears or disappears in between.
    absl::Status last = absl::OkStatus();
    for (int attempt = 0; attempt < 3; ++attempt) {
      absl::StatusOr<UniqueFd> fd =
          OpenVirtual(root, path, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY);
      InPlaceTarget target;
      target.path = path;
      if (fd.ok()) {
        target.file = std::move(*fd);
      } else if (absl::IsNotFound(fd.status())) {
        int created =
            ::openat(dir->get(), name.c_str(),
                     O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (created < 0) {
          int err = errno;
          last = ErrnoStatus(err, "create", path);
          if (err == EEXIST) continue;
          return last;
        }
        target.file = UniqueFd(created);
        target.created_in_dir = std::move(*dir);
        target.created_name = name;
      } else {
        return fd.status();
      }
      absl::StatusOr<struct stat> st = StatFd(target.file.get(), path);
      if (!st.ok()) return st.status();
      if (!S_ISREG(st->st_mode)) return NotRegular(*st, path);
      target.restore_size = static_cast<uint64_t>(st->st_size);
      return MakeInPlaceWriter(std::move(target), options_.fsync_on_commit);
    }
    return last;
  }

  std::optional<mode_t> permissions;
  struct stat existing;
  if (::fstatat(dir->get(), name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    std::string target = JoinPath(dir_path, name);
    if (mode == WriteMode::kCreateNew) return ErrnoStatus(EEXIST, "create", target);
    if (mode == WriteMode::kReplace) {
      if (S_ISDIR(existing.st_mode)) return ErrnoStatus(EISDIR, "open", target);
      if (S_ISREG(existing.st_mode)) permissions = existing.st_mode & 0777;
    }
  }
  return OpenTemporaryWriter(std::move(*dir), std::move(dir_path), std::move(name), mode,
                             permissions, options_.fsync_on_commit);
}

absl::Status FileStore::Delete(std::string_view path) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  if (path == "/") return ErrnoStatus(EISDIR, "delete", path);
  ParentAndName split = SplitParent(path);
  absl::StatusOr<UniqueFd> dir =
      OpenVirtual({root_fd_, use_openat2_}, split.parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  // unlink(2) on a directory fails with EISDIR on Linux: "is a directory".
  if (::unlinkat(dir->get(), split.name.c_str(), 0) != 0) {
    return ErrnoStatus(errno, "delete", path);
  }
  return absl::OkStatus();
}

absl::Status FileStore::Rename(std::string_view from, std::string_view to) {
  if (absl::Status s = CheckNormalized(from); !s.ok()) return s;
  if (absl::Status s = CheckNormalized(to); !s.ok()) return s;
  if (from == "/" || to == "/") {
    return absl::PermissionDeniedError("cannot rename the root directory");
  }
  const Root root{root_fd_, use_openat2_};
  ParentAndName source = SplitParent(from);
  ParentAndName target = SplitParent(to);
  absl::StatusOr<UniqueFd> source_dir = OpenVirtual(root, source.parent, O_PATH | O_DIRECTORY);
  if (!source_dir.ok()) return source_dir.status();
  absl::StatusOr<UniqueFd> target_dir = OpenVirtual(root, target.parent, O_PATH | O_DIRECTORY);
  if (!target_dir.ok()) return target_dir.status();
  if (::renameat(source_dir->get(), source.name.c_str(), target_dir->get(), target.name.c_str()) ==
      0) {
    return absl::OkStatus();
  }
  switch (int err = errno) {
    case ENOENT:
      return ErrnoStatus(err, "rename", from);
    case EXDEV:
      return absl::FailedPreconditionError(
          Cat("cannot rename across file systems: ", from, " to ", to));
    case EINVAL:
      return absl::InvalidArgumentError(
          Cat("cannot move a directory into itself: ", from, " to ", to));
    case EEXIST:
      return ErrnoStatus(ENOTEMPTY, "rename", to);
    default:
      return ErrnoStatus(err, "rename", to);
  }
}

absl::Status FileStore::MakeDirectory(std::string_view path) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  if (path == "/") return ErrnoStatus(EEXIST, "mkdir", path);
  ParentAndName split = SplitParent(path);
  absl::StatusOr<UniqueFd> dir =
      OpenVirtual({root_fd_, use_openat2_}, split.parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  if (::mkdirat(dir->get(), split.name.c_str(), 0755) != 0) {
    return ErrnoStatus(errno, "mkdir", path);
  }
  return absl::OkStatus();
}

absl::Status FileStore::RemoveDirectory(std::string_view path) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  if (path == "/") return absl::PermissionDeniedError("cannot remove the root directory");
  ParentAndName split = SplitParent(path);
  absl::StatusOr<UniqueFd> dir =
      OpenVirtual({root_fd_, use_openat2_}, split.parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  if (::unlinkat(dir->get(), split.name.c_str(), AT_REMOVEDIR) != 0) {
    int err = errno == EEXIST ? ENOTEMPTY : errno;
    return ErrnoStatus(err, "rmdir", path);
  }
  return absl::OkStatus();
}

absl::Status FileStore::SetAttributes(std::string_view path, std::optional<uint32_t> permissions,
                                     std::optional<int64_t> mtime_unix) {
  if (absl::Status s = CheckNormalized(path); !s.ok()) return s;
  if (permissions && (*permissions & ~0777u) != 0) {
    return absl::InvalidArgumentError(
        Cat("only the permission bits 0777 can be set (set-id and sticky bits are refused): ", path));
  }
  if (mtime_unix && (*mtime_unix < 0 || *mtime_unix > 253402300799)) {  // 9999-12-31T23:59:59Z
    return absl::InvalidArgumentError(Cat("modification time out of range for ", path));
  }
  if (path == "/") return absl::PermissionDeniedError("cannot change the root directory's attributes");
  ParentAndName split = SplitParent(path);
  absl::StatusOr<UniqueFd> dir =
      OpenVirtual({root_fd_, use_openat2_}, split.parent, O_PATH | O_DIRECTORY);
  if (!dir.ok()) return dir.status();
  // The entry itself, never followed: a symlink swapped in later cannot redirect the
  // change, since every change below goes through this descriptor.
  int probe = ::openat(dir->get(), split.name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (probe < 0) return ErrnoStatus(errno, "open", path);
  UniqueFd entry(probe);
  absl::StatusOr<struct stat> st = StatFd(entry.get(), path);
  if (!st.ok()) return st.status();
  if (S_ISLNK(st->st_mode)) {
    return absl::PermissionDeniedError(Cat("is a symbolic link (its target's attributes are not changed): ", path));
  }
  if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
    return absl::FailedPreconditionError(Cat("not a regular file or directory: ", path));
  }
  // fchmod and futimens refuse O_PATH descriptors; the kernel's own link for the
  // descriptor reaches exactly the inode opened above.
  std::string self = Cat("/proc/self/fd/", entry.get());
  if (permissions) {
    if (::fchmodat(AT_FDCWD, self.c_str(), static_cast<mode_t>(*permissions), 0) != 0) {
      return ErrnoStatus(errno == ENOENT ? ENOSYS : errno, "chmod", path);
    }
  }
  if (mtime_unix) {
    struct timespec times[2];
    times[0].tv_sec = 0;
    times[0].tv_nsec = UTIME_OMIT;  // the access time stays
    times[1].tv_sec = static_cast<time_t>(*mtime_unix);
    times[1].tv_nsec = 0;
    if (::utimensat(AT_FDCWD, self.c_str(), times, 0) != 0) {
      return ErrnoStatus(errno == ENOENT ? ENOSYS : errno, "utime", path);
    }
  }
  return absl::OkStatus();
}

}  // namespace gw::filestore
