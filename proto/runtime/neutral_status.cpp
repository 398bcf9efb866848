#include "runtime/neutral_status.h"

#include <array>
#include <utility>

namespace gw::rt {
namespace v1 = gateway::v1;

namespace {
constexpr std::array<std::pair<absl::StatusCode, v1::StatusCode>, 13> kFromAbsl = {{
    {absl::StatusCode::kOk, v1::STATUS_OK},
    {absl::StatusCode::kNotFound, v1::STATUS_NOT_FOUND},
    {absl::StatusCode::kAlreadyExists, v1::STATUS_ALREADY_EXISTS},
    {absl::StatusCode::kPermissionDenied, v1::STATUS_PERMISSION_DENIED},
    {absl::StatusCode::kUnauthenticated, v1::STATUS_NOT_LOGGED_IN},
    {absl::StatusCode::kInvalidArgument, v1::STATUS_INVALID_ARGUMENT},
    {absl::StatusCode::kFailedPrecondition, v1::STATUS_FAILED_PRECONDITION},
    {absl::StatusCode::kOutOfRange, v1::STATUS_OUT_OF_RANGE},
    {absl::StatusCode::kUnavailable, v1::STATUS_UNAVAILABLE},
    {absl::StatusCode::kAborted, v1::STATUS_ABORTED},
    {absl::StatusCode::kUnimplemented, v1::STATUS_UNIMPLEMENTED},
    {absl::StatusCode::kResourceExhausted, v1::STATUS_RESOURCE_EXHAUSTED},
    {absl::StatusCode::kDeadlineExceeded, v1::STATUS_DEADLINE_EXCEEDED},
}};
}  // namespace

v1::StatusCode ToNeutral(absl::StatusCode code) {
  for (const auto& [from, to] : kFromAbsl)
    if (from == code) return to;
  return v1::STATUS_INTERNAL;
}

}  // namespace gw::rt
