#include "mapping/status_map.h"

#include <array>
#include <utility>

namespace gw::bridge {
namespace v1 = gateway::v1;

namespace {
// absl (filestore outcomes) -> neutral.
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

// neutral -> gRPC (one-shot calls return failures as gRPC statuses).
constexpr std::array<std::pair<v1::StatusCode, grpc::StatusCode>, 15> kToGrpc = {{
    {v1::STATUS_OK, grpc::StatusCode::OK},
    {v1::STATUS_NOT_FOUND, grpc::StatusCode::NOT_FOUND},
    {v1::STATUS_ALREADY_EXISTS, grpc::StatusCode::ALREADY_EXISTS},
    {v1::STATUS_PERMISSION_DENIED, grpc::StatusCode::PERMISSION_DENIED},
    {v1::STATUS_NOT_LOGGED_IN, grpc::StatusCode::UNAUTHENTICATED},
    {v1::STATUS_INVALID_ARGUMENT, grpc::StatusCode::INVALID_ARGUMENT},
    {v1::STATUS_FAILED_PRECONDITION, grpc::StatusCode::FAILED_PRECONDITION},
    {v1::STATUS_OUT_OF_RANGE, grpc::StatusCode::OUT_OF_RANGE},
    {v1::STATUS_UNAVAILABLE, grpc::StatusCode::UNAVAILABLE},
    {v1::STATUS_ABORTED, grpc::StatusCode::ABORTED},
    {v1::STATUS_UNIMPLEMENTED, grpc::StatusCode::UNIMPLEMENTED},
    {v1::STATUS_RESOURCE_EXHAUSTED, grpc::StatusCode::RESOURCE_EXHAUSTED},
    {v1::STATUS_DEADLINE_EXCEEDED, grpc::StatusCode::DEADLINE_EXCEEDED},
    {v1::STATUS_INTERNAL, grpc::StatusCode::INTERNAL},
    {v1::STATUS_NO_ROUTE, grpc::StatusCode::PERMISSION_DENIED},
}};
}  // namespace

v1::StatusCode ToNeutral(absl::StatusCode code) {
  for (const auto& [from, to] : kFromAbsl)
    if (from == code) return to;
  return v1::STATUS_INTERNAL;
}

grpc::StatusCode ToGrpc(v1::StatusCode code) {
  for (const auto& [from, to] : kToGrpc)
    if (from == code) return to;
  return grpc::StatusCode::INTERNAL;
}

v1::Result MakeResult(const absl::Status& status) {
  v1::Result r;
  r.set_code(ToNeutral(status.code()));
  r.set_message(std::string(status.message()));
  if (!status.ok()) r.add_origin()->set_filestore(std::string(status.message()));
  return r;
}

v1::Result OkResult() { return v1::Result(); }

v1::Result ErrorResult(v1::StatusCode code, std::string_view message) {
  v1::Result r;
  r.set_code(code);
  r.set_message(std::string(message));
  return r;
}

}  // namespace gw::bridge
