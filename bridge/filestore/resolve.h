// Opening paths without leaving the filestore's root.
#ifndef GW_BRIDGE_FILESTORE_RESOLVE_H_
#define GW_BRIDGE_FILESTORE_RESOLVE_H_

#include <sys/types.h>

#include <string_view>

#include "absl/status/statusor.h"
#include "bridge/filestore/unique_fd.h"

namespace gw::filestore {

struct Root {
  int fd;            // O_PATH descriptor of the root directory
  bool use_openat2;  // false: resolve by the component walk
};

// True if openat2(2) works on this kernel (and is not refused by a seccomp
// filter); false means the component walk has to be used.
bool Openat2Available(int root_fd);

// Opens `relative` (a path relative to the root, "." for the root itself)
// with open(2) `flags` (O_CLOEXEC is added) and `mode` for O_CREAT. Symlinks
// are followed only while they stay inside the root; absolute symlinks and
// anything reaching above the root fail with EXDEV, /proc "magic" links with
// ELOOP or EXDEV. Returns the descriptor or -errno.
int OpenBeneath(const Root& root, std::string_view relative, int flags, mode_t mode);

// OpenBeneath for a normalized virtual path, with errors as statuses naming it.
absl::StatusOr<UniqueFd> OpenVirtual(const Root& root, std::string_view virtual_path, int flags,
                                     mode_t mode = 0);

}  // namespace gw::filestore

#endif  // GW_BRIDGE_FILESTORE_RESOLVE_H_
