// Neutral status <-> absl::Status <-> gRPC status, one table each way.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "gateway/v1/file_service.pb.h"
#include "runtime/neutral_status.h"
#include <grpcpp/support/status.h>

namespace gw::bridge {

using rt::ToNeutral;  // absl -> neutral: the shared table
grpc::StatusCode ToGrpc(gateway::v1::StatusCode code);

// A Result for a filestore outcome: neutral code, the message, origin "filestore".
gateway::v1::Result MakeResult(const absl::Status& status);
gateway::v1::Result OkResult();
gateway::v1::Result ErrorResult(gateway::v1::StatusCode code, std::string_view message);

}  // namespace gw::bridge
