#include "osi/transport/tpkt.h"

#include "absl/strings/str_cat.h"

namespace gw::osi::transport {

absl::StatusOr<std::optional<TpktFrame>> NextTpkt(Bytes stream, size_t max_packet) {
  if (stream.size() < kTpktHeaderSize) return std::optional<TpktFrame>();
  if (stream[0] != kTpktVersion || stream[1] != 0)
    return absl::InvalidArgumentError(
        absl::StrCat("tpkt: bad header ", stream[0], ".", stream[1], " (expected 3.0)"));
  size_t len = (size_t{stream[2]} << 8) | stream[3];
  if (len < kTpktHeaderSize + 3)
    return absl::InvalidArgumentError(absl::StrCat("tpkt: length ", len, " too small"));
  if (len > max_packet)
    return absl::InvalidArgumentError(absl::StrCat("tpkt: length ", len, " over the limit"));
  if (stream.size() < len) return std::optional<TpktFrame>();
  return std::optional<TpktFrame>(TpktFrame{stream.subspan(kTpktHeaderSize, len - kTpktHeaderSize), len});
}

std::array<uint8_t, kTpktHeaderSize> TpktHeader(size_t tpdu_length) {
  size_t len = tpdu_length + kTpktHeaderSize;
  return {kTpktVersion, 0, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)};
}

}  // namespace gw::osi::transport
