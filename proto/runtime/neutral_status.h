// absl::Status codes (how each process's own code reports outcomes) to the neutral status
// of the API: one table, tested row by row, shared by the bridge and the fronts.
#pragma once

#include "absl/status/status.h"
#include "gateway/v1/file_service.pb.h"

namespace gw::rt {

gateway::v1::StatusCode ToNeutral(absl::StatusCode code);

}  // namespace gw::rt
