// The bridge's own `file://` filestore: a directory tree on local disk that a
// route can name as its destination (DESIGN.md §2, "or on its own file://
// filestore").
//
// Every access is confined to the root directory given to Open(): paths are
// resolved with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) relative to an
// O_PATH descriptor of the root (or, on kernels without openat2, by a walk one
// component at a time with O_NOFOLLOW that follows only symlinks staying inside
// the root). A symlink leading out of the root is refused with PermissionDenied.
//
// Paths are absolute virtual paths ("/", "/a/b.txt") as produced by
// NormalizePath(); error messages only ever name virtual paths, never the real
// location of the root.
//
// Writes never leave a partial file under its real name: whole-file writes go
// to a hidden temporary file ".<name>.part-<16 hex digits>" in the target
// directory and are renamed into place by Writer::Commit(). Appends and
// restarted writes (REST + STOR) are done in place.
//
// A FileStore holds no mutable state after Open(); its methods may be called
// from several threads at once. Readers and Writers own their descriptors and
// may outlive the FileStore that made them.
#ifndef GW_BRIDGE_FILESTORE_FILESTORE_H_
#define GW_BRIDGE_FILESTORE_FILESTORE_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gw::filestore {

enum class EntryType { kFile, kDirectory, kSymlink, kOther };

struct Entry {
  std::string name;  // last path component; "/" for the root, never ""
  EntryType type = EntryType::kOther;
  uint64_t size = 0;
  int64_t mtime_unix = 0;  // seconds since the epoch
  uint32_t mode = 0;       // permission bits (st_mode & 07777)
  uint32_t nlink = 0;
  std::string owner;  // user name, or the numeric id as text if it has none
  std::string group;  // group name, or the numeric id as text if it has none
};

enum class WriteMode {
  kReplace,       // STOR: replace the file atomically (or resume in place at offset > 0)
  kAppend,        // APPE: append in place, creating the file if missing
  kCreateUnique,  // STOU: store under a name not yet in use
  kCreateNew,     // fail with AlreadyExists if the name is taken
};

// A file opened for reading at some offset.
class Reader {
 public:
  virtual ~Reader();
  // Reads up to out.size() bytes; 0 means end of file.
  virtual absl::StatusOr<size_t> Read(std::span<char> out) = 0;
  // The whole file's size when it was opened (not the bytes left to read).
  virtual uint64_t size() const = 0;
};

// A file being written. Destroying a Writer without Commit() aborts it.
class Writer {
 public:
  virtual ~Writer();
  // Appends the pieces in order, in as few system calls as they allow (a data chunk comes
  // in the pieces gRPC received it in).
  virtual absl::Status Write(std::span<const std::span<const char>> pieces) = 0;
  absl::Status Write(std::span<const char> data) { return Write(std::span<const std::span<const char>>(&data, 1)); }
  // Makes the data visible under its final name and returns that virtual
  // path (for kCreateUnique the name chosen). After a failed Commit the write
  // is aborted.
  virtual absl::StatusOr<std::string> Commit() = 0;
  // Discards the write: a temporary file is removed, an append is truncated
  // back to the original size. A restarted write (kReplace at offset > 0)
  // keeps what was written, so that it can be restarted again.
  virtual void Abort() = 0;
  virtual uint64_t bytes_written() const = 0;
};

class FileStore {
 public:
  struct Options {
    // fsync the file (and, for renames, its directory) before Commit returns.
    bool fsync_on_commit = false;
    // Resolve paths by the component walk even where openat2 exists; the walk
    // is what runs on kernels older than 5.6, and tests use this to cover it.
    bool force_component_walk = false;
  };

  static absl::StatusOr<std::unique_ptr<FileStore>> Open(const std::string& root_dir);
  static absl::StatusOr<std::unique_ptr<FileStore>> Open(const std::string& root_dir,
                                                         const Options& options);

  ~FileStore();
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  // Attributes of the file or directory at `path`, following symlinks that
  // stay inside the root.
  absl::StatusOr<Entry> Stat(std::string_view path);
  // A directory's entries sorted by name (no "." and "..", no temporary
  // upload files; symlinks reported as kSymlink), or the single entry if
  // `path` is not a directory.
  absl::StatusOr<std::vector<Entry>> List(std::string_view path);
  // Opens a regular file for reading from `offset` (OutOfRange if past the end).
  absl::StatusOr<std::unique_ptr<Reader>> OpenRead(std::string_view path, uint64_t offset);
  // Opens a file for writing. `offset` is only meaningful for kReplace, where
  // offset > 0 restarts a transfer: the existing file is truncated to
  // `offset` and written in place (OutOfRange if offset exceeds its size).
  // kAppend ignores `offset`. For kCreateUnique, `path` gives the wanted name,
  // or an existing directory to create a file named "file" (or "file.N") in.
  absl::StatusOr<std::unique_ptr<Writer>> OpenWrite(std::string_view path, WriteMode mode,
                                                    uint64_t offset);
  // Removes a file or symlink (FailedPrecondition for a directory).
  absl::Status Delete(std::string_view path);
  // Renames like rename(2): an existing file at `to` is replaced.
  absl::Status Rename(std::string_view from, std::string_view to);
  absl::Status MakeDirectory(std::string_view path);
  // Removes an empty directory; the root itself cannot be removed.
  absl::Status RemoveDirectory(std::string_view path);
  // Sets the permission bits (at most 0777: set-id and sticky bits are refused with
  // InvalidArgument) and/or the modification time of a file or directory; an unset
  // field is left alone. A symlink named by `path` is refused with PermissionDenied
  // (attributes are never changed through a link), as is the root itself.
  absl::Status SetAttributes(std::string_view path, std::optional<uint32_t> permissions,
                             std::optional<int64_t> mtime_unix);

  // Removes the hidden temporary files that uploads interrupted by a stopped bridge left
  // behind: names TemporaryName() makes, regular files not modified for `older_than` (so
  // uploads running now, here or in another bridge on the same tree, are left alone).
  // Walks the whole tree without following symlinks, at most 64 levels deep. Returns how
  // many files were removed.
  absl::StatusOr<std::size_t> SweepTemporaries(std::chrono::seconds older_than);

 private:
  FileStore(int root_fd, const Options& options, bool use_openat2);

  int root_fd_;
  Options options_;
  bool use_openat2_;
};

// Resolves an FTP-style argument against a current directory, lexically:
// "a/../b", "/x", ".." and "" (= cwd). ".." at the root stays at the root.
// The result is absolute, has no "." or ".." components, no empty components
// and no trailing slash. Arguments or results longer than `max_len` and any
// NUL byte are refused with InvalidArgument.
absl::StatusOr<std::string> NormalizePath(std::string_view cwd, std::string_view arg,
                                          size_t max_len = 4096);

}  // namespace gw::filestore

#endif  // GW_BRIDGE_FILESTORE_FILESTORE_H_
