// libFuzzer: the data chunk parser of the session streams (runtime/chunk_wire) against
// protobuf's own parser. The first octet says how the rest is cut into pieces (as gRPC may
// deliver a message in slices). Whatever the parser takes as a data chunk, protobuf must
// read as the same chunk (same data, same `last`), and the chunk's encoding must be
// protobuf's; whatever it declines is left to protobuf (nothing to check here).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/v1/file_service.pb.h"
#include "runtime/chunk_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gw::rt;
  if (size < 1) return 0;
  const std::size_t step = 1 + data[0] % 64;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<std::string_view> pieces;
  for (std::size_t at = 0; at < rest.size(); at += step) pieces.push_back(rest.substr(at, step));
  std::vector<wire::Range> ranges;
  bool last = false;
  if (!wire::ParseDataChunk(pieces, &ranges, &last)) return 0;
  gateway::v1::SessionRequest req;
  if (!req.ParseFromArray(rest.data(), static_cast<int>(rest.size()))) __builtin_trap();
  if (!req.has_data() || req.data().last() != last) __builtin_trap();
  std::string got;
  for (const auto& r : ranges) got.append(pieces[r.index].substr(r.begin, r.end - r.begin));
  if (got != req.data().data()) __builtin_trap();
  uint8_t head[wire::kMaxHeader];
  std::string again(reinterpret_cast<const char*>(head), wire::ChunkHeader(got.size(), last, head));
  again += got;
  if (last) again.append(reinterpret_cast<const char*>(wire::kLastTrailer), sizeof wire::kLastTrailer);
  if (again != req.SerializeAsString()) __builtin_trap();
  return 0;
}
