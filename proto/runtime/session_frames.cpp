#include "runtime/session_frames.h"

#include <cstdint>
#include <cstring>

#include <grpcpp/impl/codegen/proto_utils.h>

namespace gw::rt {
namespace {

// SessionRequest.data and SessionResponse.data are both field 3 (a DataChunk); in it,
// `data` is field 1 (bytes) and `last` field 2 (bool).
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

// Reads a frame's slices in order: single octets and varints (copied), and ranges of
// octets taken as sub-slices (not copied).
class Cursor {
 public:
  explicit Cursor(const std::vector<grpc::Slice>& slices) : slices_(slices) {}

  std::size_t consumed() const { return consumed_; }

  bool Byte(uint8_t* b) {
    Skip();
    if (i_ == slices_.size()) return false;
    *b = slices_[i_].begin()[off_];
    Advance(1);
    return true;
  }

  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b;
      if (!Byte(&b)) return false;
      *v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }

  bool Take(std::size_t n, Payload* out) {
    while (n > 0) {
      Skip();
      if (i_ == slices_.size()) return false;
      const std::size_t here = std::min(n, slices_[i_].size() - off_);
      if (off_ == 0 && here == slices_[i_].size()) out->Append(slices_[i_]);
      else out->Append(slices_[i_].sub(off_, off_ + here));
      Advance(here);
      n -= here;
    }
    return true;
  }

 private:
  void Skip() {
    while (i_ < slices_.size() && off_ == slices_[i_].size()) {
      ++i_;
      off_ = 0;
    }
  }
  void Advance(std::size_t n) {
    off_ += n;
    consumed_ += n;
  }

  const std::vector<grpc::Slice>& slices_;
  std::size_t i_ = 0, off_ = 0, consumed_ = 0;
};

// A data chunk in its usual encoding: one field 3 holding field 1 and/or field 2, once
// each. Anything else (another encoder's choices, or not a data chunk) returns false and
// is parsed as a message.
bool ParseChunk(const std::vector<grpc::Slice>& slices, std::size_t total, Payload* payload, bool* last) {
  Cursor c(slices);
  uint8_t tag;
  uint64_t len;
  if (!c.Byte(&tag) || tag != kChunkTag || !c.Varint(&len)) return false;
  if (c.consumed() + len != total) return false;
  bool seen_data = false, seen_last = false;
  while (c.consumed() < total) {
    if (!c.Byte(&tag)) return false;
    if (tag == kDataTag && !seen_data) {
      uint64_t n;
      if (!c.Varint(&n) || n > total - c.consumed() || !c.Take(n, payload)) return false;
      seen_data = true;
    } else if (tag == kLastTag && !seen_last) {
      uint64_t v;
      if (!c.Varint(&v)) return false;
      *last = v != 0;
      seen_last = true;
    } else {
      return false;
    }
  }
  return c.consumed() == total;
}

template <typename Msg>
grpc::Status Deserialize(grpc::ByteBuffer* bb, Frame<Msg>* out) {
  std::vector<grpc::Slice> slices;
  if (grpc::Status s = bb->Dump(&slices); !s.ok()) return s;
  const std::size_t total = bb->Length();
  out->payload = Payload();
  out->msg.Clear();
  bool last = false;
  if (ParseChunk(slices, total, &out->payload, &last)) {
    out->msg.mutable_data()->set_last(last);
    bb->Clear();
    return grpc::Status::OK;
  }
  out->payload = Payload();
  grpc::Status s = grpc::GenericDeserialize<grpc::ProtoBufferReader, Msg>(bb, &out->msg);
  if (s.ok() && out->msg.has_data() && !out->msg.data().data().empty())
    out->payload = Payload::Adopt(std::move(*out->msg.mutable_data()->mutable_data()));
  return s;
}

void DeleteBuffer(void* p) { delete[] static_cast<char*>(p); }
void DeleteString(void* p) { delete static_cast<std::string*>(p); }

}  // namespace

Payload Payload::Adopt(std::unique_ptr<char[]> buffer, std::size_t size) {
  Payload p;
  if (size == 0) return p;
  char* raw = buffer.release();
  p.Append(grpc::Slice(raw, size, DeleteBuffer, raw));
  return p;
}

Payload Payload::Adopt(std::string bytes) {
  Payload p;
  if (bytes.empty()) return p;
  if (bytes.size() <= 64) return Copy(bytes);  // small: not worth an allocation of its own
  auto* owned = new std::string(std::move(bytes));
  p.Append(grpc::Slice(owned->data(), owned->size(), DeleteString, owned));
  return p;
}

Payload Payload::Copy(std::string_view bytes) {
  Payload p;
  if (!bytes.empty()) p.Append(grpc::Slice(bytes.data(), bytes.size()));
  return p;
}

void Payload::Append(grpc::Slice slice) {
  if (slice.size() == 0) return;
  size_ += slice.size();
  slices_.push_back(std::move(slice));
}

std::vector<boost::asio::const_buffer> Payload::Buffers() const {
  std::vector<boost::asio::const_buffer> out;
  out.reserve(slices_.size());
  for (const grpc::Slice& s : slices_) out.emplace_back(s.begin(), s.size());
  return out;
}

void Payload::AppendTo(std::string& out) const {
  out.reserve(out.size() + size_);
  ForEach([&out](std::string_view v) { out.append(v); });
}

std::string Payload::ToString() const {
  std::string out;
  AppendTo(out);
  return out;
}

grpc::Status SerializeFrame(const google::protobuf::MessageLite& msg, const Payload& payload, bool is_data,
                            bool last, grpc::ByteBuffer* bb, bool* own_buffer) {
  if (!is_data) return grpc::GenericSerialize<grpc::ProtoBufferWriter, google::protobuf::MessageLite>(msg, bb, own_buffer);
  const std::size_t n = payload.size();
  const std::size_t inner = (n > 0 ? 1 + VarintSize(n) + n : 0) + (last ? 2 : 0);
  uint8_t head[24];
  std::size_t h = 0;
  head[h++] = kChunkTag;
  h += PutVarint(head + h, inner);
  if (n > 0) {
    head[h++] = kDataTag;
    h += PutVarint(head + h, n);
  }
  std::vector<grpc::Slice> slices;
  slices.reserve(payload.slices().size() + 2);
  slices.emplace_back(head, h);
  for (const grpc::Slice& s : payload.slices()) slices.push_back(s);
  if (last) {
    static const uint8_t kLast[2] = {kLastTag, 1};
    slices.emplace_back(kLast, sizeof kLast, grpc::Slice::STATIC_SLICE);
  }
  grpc::ByteBuffer out(slices.data(), slices.size());
  bb->Swap(&out);
  *own_buffer = true;
  return grpc::Status::OK;
}

grpc::Status DeserializeRequest(grpc::ByteBuffer* bb, RequestFrame* out) { return Deserialize(bb, out); }
grpc::Status DeserializeResponse(grpc::ByteBuffer* bb, ResponseFrame* out) { return Deserialize(bb, out); }

}  // namespace gw::rt
