// Reassembly of SSDUs segmented with the Enclosure Item (ISO 8327-1 §7.11.2, version 2:
// DT SPDUs whose PI 25 marks the beginning (0x01) and end (0x02) of an SSDU). ISODE only
// segments when a TSDU maximum size was negotiated; unsegmented DTs pass through as views.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/session/spdu.h"

namespace gw::osi::session {

inline constexpr uint8_t kEnclosureBegin = 0x01;
inline constexpr uint8_t kEnclosureEnd = 0x02;

class SsduReassembler {
 public:
  explicit SsduReassembler(size_t max_ssdu = size_t{64} << 20) : max_(max_ssdu) {}
  // Returns the complete SSDU (a view valid until the next call) or nullopt while
  // segments are outstanding.
  absl::StatusOr<std::optional<Bytes>> Add(const DataTransferSpdu& dt);
  bool in_progress() const { return active_; }

 private:
  size_t max_;
  bool active_ = false;
  std::vector<uint8_t> buffer_;
};

}  // namespace gw::osi::session
