#include "mapping/status_map.h"

#include <array>
#include <utility>

namespace gw::bridge {
namespace v1 = gateway::v1;

namespace {
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
