#include "osi/transport/tsdu.h"

#include "absl/strings/str_cat.h"

namespace gw::osi::transport {

absl::StatusOr<std::optional<Bytes>> TsduReassembler::Add(const DataTpdu& dt) {
  if (done_) {
    buffer_.clear();
    done_ = false;
  }
  if (buffer_.size() + dt.user_data.size() > max_tsdu_) {
    buffer_.clear();
    return absl::ResourceExhaustedError(
        absl::StrCat("cotp: TSDU exceeds the limit of ", max_tsdu_, " octets"));
  }
  if (buffer_.empty() && dt.eot) return std::optional<Bytes>(dt.user_data);
  buffer_.insert(buffer_.end(), dt.user_data.begin(), dt.user_data.end());
  if (!dt.eot) return std::optional<Bytes>();
  done_ = true;
  return std::optional<Bytes>(Bytes(buffer_));
}

}  // namespace gw::osi::transport
