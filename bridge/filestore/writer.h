// The Writer implementations behind FileStore::OpenWrite.
#ifndef GW_BRIDGE_FILESTORE_WRITER_H_
#define GW_BRIDGE_FILESTORE_WRITER_H_

#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "bridge/filestore/filestore.h"
#include "bridge/filestore/unique_fd.h"

namespace gw::filestore {

// Whole-file writes (kReplace at offset 0, kCreateNew, kCreateUnique): the
// data goes to a new hidden temporary file in `dir`, renamed to `name` by
// Commit. `permissions`, if set, is given to the new file (to keep a replaced
// file's mode).
absl::StatusOr<std::unique_ptr<Writer>> OpenTemporaryWriter(UniqueFd dir, std::string dir_path,
                                                            std::string name, WriteMode mode,
                                                            std::optional<mode_t> permissions,
                                                            bool fsync_on_commit);

// In-place writes (kAppend, and kReplace at offset > 0) to the open `file`.
struct InPlaceTarget {
  UniqueFd file;
  std::string path;
  // kAppend: Abort truncates the file back to this size.
  std::optional<uint64_t> restore_size;
  // kAppend that created the file: Abort removes `name` from `dir` again,
  // provided it is still the same file.
  UniqueFd created_in_dir;
  std::string created_name;
};
std::unique_ptr<Writer> MakeInPlaceWriter(InPlaceTarget target, bool fsync_on_commit);

}  // namespace gw::filestore

#endif  // GW_BRIDGE_FILESTORE_WRITER_H_
