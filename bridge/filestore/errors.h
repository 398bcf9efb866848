// errno values as absl statuses whose messages name only virtual paths.
#ifndef GW_BRIDGE_FILESTORE_ERRORS_H_
#define GW_BRIDGE_FILESTORE_ERRORS_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gw::filestore {

// absl::StrCat that also takes std::string_view (this Abseil build has its own
// absl::string_view, which does not convert from std::string_view).
template <typename T>
auto CatPiece(const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    std::string_view view(value);
    return absl::string_view(view.data(), view.size());
  } else {
    return value;
  }
}
template <typename... Args>
std::string Cat(const Args&... args) {
  return absl::StrCat(CatPiece(args)...);
}

// `op` names the failed operation ("open", "rename", ...) and is only used in
// the message for errno values without a more specific meaning.
absl::Status ErrnoStatus(int err, std::string_view op, std::string_view virtual_path);

}  // namespace gw::filestore

#endif  // GW_BRIDGE_FILESTORE_ERRORS_H_
