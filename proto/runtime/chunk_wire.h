// The wire form of a session stream's data chunk, without gRPC: SessionRequest.data and
// SessionResponse.data are both field 3, a DataChunk whose `data` is field 1 (bytes) and
// `last` field 2 (bool). A chunk arrives as pieces (the slices gRPC received it in); its
// data is located in them, not copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gw::rt {

// Bytes per data chunk on a session stream unless configured otherwise (every sender's
// default). Per-message costs are small beside the data at this size, and two chunks in
// flight per stream (the flow-control window) stay a few MiB; 256 KiB chunks cost ftp-front
// 20-40% more CPU on a relayed RETR.
inline constexpr std::size_t kChunkSize = 1 << 20;

}  // namespace gw::rt

namespace gw::rt::wire {

// Where a stretch of the chunk's data lies: pieces[index][begin, end).
struct Range {
  std::size_t index, begin, end;
};

// Parses a frame (the concatenation of `pieces`) that is a data chunk in its usual encoding:
// one field 3 holding field 1 and/or field 2, once each, and nothing else. On success the
// data's ranges are appended to `data` and `last` is set. False for anything else (another
// message, or a chunk encoded otherwise): the caller then parses the frame as a message.
bool ParseDataChunk(std::span<const std::string_view> pieces, std::vector<Range>* data, bool* last);

// The octets that precede `size` octets of data in a data chunk (at most kMaxHeader), and
// those that follow it (kLastTrailer when `last`, none otherwise).
inline constexpr std::size_t kMaxHeader = 24;
std::size_t ChunkHeader(uint64_t size, bool last, uint8_t* out);
inline constexpr uint8_t kLastTrailer[2] = {(2 << 3) | 0, 1};

}  // namespace gw::rt::wire
