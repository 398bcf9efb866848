#include "bridge/filestore/resolve.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <deque>
#include <string>
#include <vector>

#include "bridge/filestore/errors.h"
#include "bridge/filestore/path.h"

namespace gw::filestore {
namespace {

// Same limit as the kernel's MAXSYMLINKS.
constexpr int kMaxSymlinks = 40;
// openat2 with RESOLVE_BENEATH returns EAGAIN when a concurrent rename might
// have let ".." escape; the kernel expects the caller to retry.
constexpr int kMaxAttempts = 16;

int RetryingOpenat2(int dirfd, const char* path, int flags, mode_t mode) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.mode = (flags & O_CREAT) != 0 ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    long fd = ::syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    if (fd >= 0) return static_cast<int>(fd);
    if (errno != EINTR && errno != EAGAIN) return -errno;
  }
  return -EAGAIN;
}

void PushFrontComponents(std::string_view path, std::deque<std::string>& pending) {
  std::vector<std::string> parts;
  for (std::string_view part : SplitComponents(path)) {
    if (part != ".") parts.emplace_back(part);
  }
  pending.insert(pending.begin(), parts.begin(), parts.end());
}

// Replaces the symlink `name` in `dirfd` by its target's components at the
// front of `pending`. Returns 0 or -errno.
int ExpandSymlink(int dirfd, const std::string& name, int& links,
                  std::deque<std::string>& pending) {
  if (++links > kMaxSymlinks) return -ELOOP;
  char target[PATH_MAX];
  ssize_t n = ::readlinkat(dirfd, name.c_str(), target, sizeof target);
  if (n < 0) return -errno;
  if (static_cast<size_t>(n) >= sizeof target) return -ENAMETOOLONG;
  std::string_view link(target, static_cast<size_t>(n));
  if (link.empty()) return -ENOENT;
  if (link.front() == '/') return -EXDEV;  // as RESOLVE_BENEATH: absolute links are refused
  PushFrontComponents(link, pending);
  return 0;
}

// The component walk: each step opens one name with O_NOFOLLOW relative to
// the directory reached so far; symlinks are expanded by hand, ".." pops a
// directory and may not pop the root.
int WalkBeneath(int root_fd, std::string_view relative, int flags, mode_t mode) {
  std::deque<std::string> pending;
  PushFrontComponents(relative, pending);
  std::vector<UniqueFd> entered;  // directories below the root, innermost last
  int links = 0;
  auto current = [&] { return entered.empty() ? root_fd : entered.back().get(); };

  while (!pending.empty()) {
    std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == "..") {
      if (entered.empty()) return -EXDEV;
      entered.pop_back();
      continue;
    }
    if (!pending.empty()) {
      int fd = ::openat(current(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return -errno;
      UniqueFd step(fd);
      struct stat st;
      if (::fstat(step.get(), &st) != 0) return -errno;
      if (S_ISDIR(st.st_mode)) {
        entered.push_back(std::move(step));
      } else if (S_ISLNK(st.st_mode)) {
        if (int rc = ExpandSymlink(current(), name, links, pending); rc != 0) return rc;
      } else {
        return -ENOTDIR;
      }
      continue;
    }
    // The last component: find out first whether it is a symlink (with
    // O_NOFOLLOW, O_DIRECTORY would report a symlink as ENOTDIR), then open it
    // for real. O_NOFOLLOW keeps a symlink swapped in meanwhile from being
    // followed.
    int probe = ::openat(current(), name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (probe >= 0) {
      UniqueFd probed(probe);
      struct stat st;
      if (::fstat(probed.get(), &st) != 0) return -errno;
      if (S_ISLNK(st.st_mode)) {
        if (int rc = ExpandSymlink(current(), name, links, pending); rc != 0) return rc;
        continue;
      }
    } else if (errno != ENOENT || (flags & O_CREAT) == 0) {
      return -errno;
    }
    int fd = ::openat(current(), name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
    return fd >= 0 ? fd : -errno;
  }
  // The path ends at a directory already entered (or the root).
  int fd = ::openat(current(), ".", flags | O_CLOEXEC, mode);
  return fd >= 0 ? fd : -errno;
}

}  // namespace

bool Openat2Available(int root_fd) {
  int fd = RetryingOpenat2(root_fd, ".", O_PATH, 0);
  if (fd >= 0) {
    ::close(fd);
    return true;
  }
  // Older seccomp profiles answer unknown system calls with EPERM.
  return fd != -ENOSYS && fd != -EPERM;
}

int OpenBeneath(const Root& root, std::string_view relative, int flags, mode_t mode) {
  if (root.use_openat2) {
    std::string path(relative);
    return RetryingOpenat2(root.fd, path.c_str(), flags, mode);
  }
  return WalkBeneath(root.fd, relative, flags, mode);
}

absl::StatusOr<UniqueFd> OpenVirtual(const Root& root, std::string_view virtual_path, int flags,
                                     mode_t mode) {
  int fd = OpenBeneath(root, RelativeToRoot(virtual_path), flags, mode);
  if (fd < 0) return ErrnoStatus(-fd, "open", virtual_path);
  return UniqueFd(fd);
}

}  // namespace gw::filestore
