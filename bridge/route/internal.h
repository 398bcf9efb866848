// Helpers shared by the route table's source files.
#ifndef GW_BRIDGE_ROUTE_INTERNAL_H_
#define GW_BRIDGE_ROUTE_INTERNAL_H_

#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/str_cat.h"

namespace gw::route {

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

// ASCII case-insensitive comparison, for host names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// True if `encoded` has the form HashPassword produces, with sane limits.
bool IsWellFormedPasswordHash(std::string_view encoded);

}  // namespace gw::route

#endif  // GW_BRIDGE_ROUTE_INTERNAL_H_
