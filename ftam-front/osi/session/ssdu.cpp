#include "osi/session/ssdu.h"

#include "absl/strings/str_cat.h"

namespace gw::osi::session {

absl::StatusOr<std::optional<Bytes>> SsduReassembler::Add(const DataTransferSpdu& dt) {
  uint8_t enc = dt.enclosure_item.value_or(kEnclosureBegin | kEnclosureEnd);
  bool begin = enc & kEnclosureBegin, end = enc & kEnclosureEnd;
  if (begin == active_) {  // a begin while active, or a continuation while idle
    active_ = false;
    buffer_.clear();
    return absl::InvalidArgumentError("session: enclosure item out of sequence");
  }
  if (begin && end) return std::optional<Bytes>(dt.user_information);
  if (begin) buffer_.clear();
  if (buffer_.size() + dt.user_information.size() > max_) {
    active_ = false;
    buffer_.clear();
    return absl::ResourceExhaustedError(absl::StrCat("session: SSDU exceeds ", max_, " octets"));
  }
  buffer_.insert(buffer_.end(), dt.user_information.begin(), dt.user_information.end());
  active_ = !end;
  if (!end) return std::optional<Bytes>();
  return std::optional<Bytes>(Bytes(buffer_));
}

}  // namespace gw::osi::session
