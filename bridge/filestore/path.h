// Virtual path helpers shared by the filestore's parts (NormalizePath itself
// is public, in filestore.h).
#ifndef GW_BRIDGE_FILESTORE_PATH_H_
#define GW_BRIDGE_FILESTORE_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace gw::filestore {

// The non-empty pieces of `path` between slashes ("." and ".." included).
std::vector<std::string_view> SplitComponents(std::string_view path);

// OK if `path` is what NormalizePath produces: absolute, no empty, "." or
// ".." components, no trailing slash, no NUL.
absl::Status CheckNormalized(std::string_view path);

// The path relative to the root, for the *at() calls: "/" -> ".", "/a/b" -> "a/b".
std::string RelativeToRoot(std::string_view path);

struct ParentAndName {
  std::string parent;  // virtual path of the directory
  std::string name;    // last component
};
// Splits a normalized path other than "/".
ParentAndName SplitParent(std::string_view path);

// Joins a normalized directory path and a name.
std::string JoinPath(std::string_view dir, std::string_view name);

// The hidden name an upload of `name` is written to before Commit renames it.
std::string TemporaryName(std::string_view name);
// True for names TemporaryName() makes; listings hide them.
bool IsTemporaryName(std::string_view name);

}  // namespace gw::filestore

#endif  // GW_BRIDGE_FILESTORE_PATH_H_
