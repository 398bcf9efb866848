#include "bridge/filestore/errors.h"

#include <cerrno>
#include <cstring>

namespace gw::filestore {

absl::Status ErrnoStatus(int err, std::string_view op, std::string_view path) {
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(Cat("no such file or directory: ", path));
    case EEXIST:
      return absl::AlreadyExistsError(Cat("file exists: ", path));
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(Cat("permission denied: ", path));
    case EXDEV:
      // From openat2(RESOLVE_BENEATH) and the component walk: the path (through
      // a symlink or "..") would leave the filestore.
      return absl::PermissionDeniedError(Cat("path leads outside the filestore: ", path));
    case ELOOP:
      return absl::FailedPreconditionError(Cat("too many levels of symbolic links: ", path));
    case EROFS:
      return absl::PermissionDeniedError(Cat("read-only filestore: ", path));
    case ENOTDIR:
      return absl::FailedPreconditionError(Cat("not a directory: ", path));
    case EISDIR:
      return absl::FailedPreconditionError(Cat("is a directory: ", path));
    case ENOTEMPTY:
      return absl::FailedPreconditionError(Cat("directory not empty: ", path));
    case EBUSY:
      return absl::FailedPreconditionError(Cat("busy: ", path));
    case ENAMETOOLONG:
      return absl::InvalidArgumentError(Cat("name too long: ", path));
    case EINVAL:
      return absl::InvalidArgumentError(Cat("invalid argument to ", op, ": ", path));
    case ENOSPC:
    case EDQUOT:
      return absl::ResourceExhaustedError(Cat("no space left for ", path));
    case EFBIG:
      return absl::ResourceExhaustedError(Cat("file too large: ", path));
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      return absl::ResourceExhaustedError(Cat(op, " ", path, ": ", std::strerror(err)));
    default:
      return absl::InternalError(Cat(op, " ", path, ": ", std::strerror(err)));
  }
}

}  // namespace gw::filestore
