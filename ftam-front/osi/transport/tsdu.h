// Reassembly of TSDUs from DT TPDUs (ISO 8073 §6.3 segmenting/reassembling; class 0
// has no TSDU size limit, so the limit here is a local, configurable policy).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "osi/gather.h"
#include "osi/transport/cotp.h"

namespace gw::osi::transport {

class TsduReassembler {
 public:
  explicit TsduReassembler(size_t max_tsdu = size_t{64} << 20) : max_tsdu_(max_tsdu) {}

  // Feeds one DT. Returns the complete TSDU when this DT carries EOT, nullopt while more
  // DTs are expected. A TSDU that fits one DT is returned as a view of the DT's payload
  // (no copy); a segmented one is copied once into the reassembler's buffer and the view
  // stays valid until the next call.
  absl::StatusOr<std::optional<Bytes>> Add(const DataTpdu& dt);

  bool in_progress() const { return !buffer_.empty(); }
  size_t max_tsdu() const { return max_tsdu_; }
  void Reset() { buffer_.clear(); }

 private:
  size_t max_tsdu_;
  std::vector<uint8_t> buffer_;
  bool done_ = false;
};

}  // namespace gw::osi::transport
