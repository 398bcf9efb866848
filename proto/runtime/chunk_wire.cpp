#include "runtime/chunk_wire.h"

#include <algorithm>

namespace gw::rt::wire {
namespace {

constexpr uint8_t kChunkTag = (3 << 3) | 2;
constexpr uint8_t kDataTag = (1 << 3) | 2;
constexpr uint8_t kLastTag = (2 << 3) | 0;

std::size_t PutVarint(uint8_t* out, uint64_t v) {
  std::size_t n = 0;
  while (v >= 0x80) {
    out[n++] = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  out[n++] = static_cast<uint8_t>(v);
  return n;
}

std::size_t VarintSize(uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Reads the pieces in order: single octets and varints, and stretches located as ranges.
class Cursor {
 public:
  explicit Cursor(std::span<const std::string_view> pieces) : pieces_(pieces) {}

  std::size_t consumed() const { return consumed_; }

  bool Byte(uint8_t* b) {
    Skip();
    if (i_ == pieces_.size()) return false;
    *b = static_cast<uint8_t>(pieces_[i_][off_]);
    Advance(1);
    return true;
  }

  // A length as protobuf's own encoder writes it: at most five octets (protobuf refuses a
  // longer one) and no redundant high zero octet. Any other form is declined, and so left
  // to protobuf to accept or refuse.
  bool Length(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      uint8_t b;
      if (!Byte(&b)) return false;
      if (b == 0 && shift > 0) return false;  // overlong
      *v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }

  bool Take(uint64_t n, std::vector<Range>* out) {
    while (n > 0) {
      Skip();
      if (i_ == pieces_.size()) return false;
      const std::size_t here = static_cast<std::size_t>(std::min<uint64_t>(n, pieces_[i_].size() - off_));
      out->push_back({i_, off_, off_ + here});
      Advance(here);
      n -= here;
    }
    return true;
  }

 private:
  void Skip() {
    while (i_ < pieces_.size() && off_ == pieces_[i_].size()) {
      ++i_;
      off_ = 0;
    }
  }
  void Advance(std::size_t n) {
    off_ += n;
    consumed_ += n;
  }

  std::span<const std::string_view> pieces_;
  std::size_t i_ = 0, off_ = 0, consumed_ = 0;
};

}  // namespace

bool ParseDataChunk(std::span<const std::string_view> pieces, std::vector<Range>* data, bool* last) {
  std::size_t total = 0;
  for (std::string_view p : pieces) total += p.size();
  Cursor c(pieces);
  uint8_t tag;
  uint64_t len;
  if (!c.Byte(&tag) || tag != kChunkTag || !c.Length(&len)) return false;
  if (len != total - c.consumed()) return false;
  bool seen_data = false, seen_last = false, is_last = false;
  std::vector<Range> found;
  while (c.consumed() < total) {
    if (!c.Byte(&tag)) return false;
    if (tag == kDataTag && !seen_data) {
      uint64_t n;
      if (!c.Length(&n) || n > total - c.consumed() || !c.Take(n, &found)) return false;
      seen_data = true;
    } else if (tag == kLastTag && !seen_last) {
      // A bool as protobuf writes it: one octet, 0 or 1 (other varints are left to protobuf).
      uint8_t v;
      if (!c.Byte(&v) || v > 1) return false;
      is_last = v != 0;
      seen_last = true;
    } else {
      return false;
    }
  }
  data->insert(data->end(), found.begin(), found.end());
  *last = is_last;
  return true;
}

std::size_t ChunkHeader(uint64_t size, bool last, uint8_t* out) {
  const uint64_t inner = (size > 0 ? 1 + VarintSize(size) + size : 0) + (last ? sizeof kLastTrailer : 0);
  std::size_t h = 0;
  out[h++] = kChunkTag;
  h += PutVarint(out + h, inner);
  if (size > 0) {
    out[h++] = kDataTag;
    h += PutVarint(out + h, size);
  }
  return h;
}

}  // namespace gw::rt::wire
