// YAML helpers shared by the route table's readers (routes and the directory): values
// checked before use, errors with their line.
#ifndef GW_BRIDGE_ROUTE_YAML_UTIL_H_
#define GW_BRIDGE_ROUTE_YAML_UTIL_H_

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bridge/route/internal.h"

namespace gw::route {

// "line N: what", with N taken from the node (1-based).
inline absl::Status ErrorAt(const YAML::Node& at, std::string_view what) {
  YAML::Mark mark = at.Mark();
  if (mark.is_null()) return absl::InvalidArgumentError(std::string(what));
  return absl::InvalidArgumentError(Cat("line ", mark.line + 1, ": ", what));
}

inline absl::StatusOr<std::string> ScalarOf(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) return ErrorAt(node, Cat(what, " must be a string"));
  return node.Scalar();
}

using KeyList = std::initializer_list<std::string_view>;

// Calls `handle(key name, key node, value node)` for each entry of a map,
// refusing keys given twice and, if `known` is not empty, keys not in it.
template <typename Handler>
absl::Status ForEachKey(const YAML::Node& map, std::string_view what, KeyList known,
                        Handler handle) {
  if (!map.IsMap()) return ErrorAt(map, Cat(what, " must be a mapping of keys to values"));
  std::set<std::string, std::less<>> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    // Copies: the iterator hands out a temporary pair.
    const YAML::Node key = (*it).first;
    const YAML::Node value = (*it).second;
    if (!key.IsScalar()) return ErrorAt(key, Cat("keys in ", what, " must be strings"));
    const std::string name = key.Scalar();
    if (known.size() > 0 && std::find(known.begin(), known.end(), name) == known.end()) {
      std::string expected;
      for (std::string_view k : known) expected = Cat(expected, expected.empty() ? "" : ", ", k);
      return ErrorAt(
          key, Cat("unknown key \"", name, "\" in ", what, " (expected one of: ", expected, ")"));
    }
    if (!seen.insert(name).second) return ErrorAt(key, Cat("duplicate key \"", name, "\""));
    if (absl::Status s = handle(name, key, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

struct DirectoryEntry;
// The `directory:` list (directory_yaml.cpp); InvalidArgument "line N: ..." on errors.
absl::StatusOr<std::vector<DirectoryEntry>> ParseDirectory(const YAML::Node& node);

}  // namespace gw::route

#endif  // GW_BRIDGE_ROUTE_YAML_UTIL_H_
