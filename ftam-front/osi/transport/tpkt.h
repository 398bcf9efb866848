// RFC 1006 §6 TPKT framing: 03 00 <length incl. the 4 header octets, big-endian>.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "osi/gather.h"

namespace gw::osi::transport {

inline constexpr uint8_t kTpktVersion = 3;       // RFC 1006 §6: vrsn = 3
inline constexpr size_t kTpktHeaderSize = 4;
inline constexpr size_t kTpktMaxPacket = 65535;  // 16-bit length field
inline constexpr uint16_t kRfc1006Port = 102;    // RFC 1006 §2

// The next complete TPKT at the front of a byte stream.
struct TpktFrame {
  Bytes tpdu;         // the packet without its 4-octet header
  size_t consumed = 0;  // octets of the stream this packet occupies
};

// Returns nullopt when more bytes are needed, an error when the header is invalid
// (wrong version, length < 7 or > limit: RFC 1006 requires at least a 3-octet TPDU).
absl::StatusOr<std::optional<TpktFrame>> NextTpkt(Bytes stream, size_t max_packet = kTpktMaxPacket);

std::array<uint8_t, kTpktHeaderSize> TpktHeader(size_t tpdu_length);

}  // namespace gw::osi::transport
