#include "runtime/session_frames.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

#include <grpcpp/impl/codegen/proto_utils.h>

#include "runtime/chunk_wire.h"

namespace gw::rt {

template <typename Msg>
grpc::Status DeserializeFrame(grpc::ByteBuffer* bb, Frame<Msg>* out) {
  std::vector<grpc::Slice> slices;
  if (grpc::Status s = bb->Dump(&slices); !s.ok()) return s;
  out->payload = Payload();
  out->msg.Clear();
  std::vector<std::string_view> pieces;
  pieces.reserve(slices.size());
  for (const grpc::Slice& sl : slices) pieces.emplace_back(reinterpret_cast<const char*>(sl.begin()), sl.size());
  std::vector<wire::Range> ranges;
  bool last = false;
  if (wire::ParseDataChunk(pieces, &ranges, &last)) {
    for (const wire::Range& r : ranges) {
      const grpc::Slice& sl = slices[r.index];
      out->payload.Append(r.begin == 0 && r.end == sl.size() ? sl : sl.sub(r.begin, r.end));
    }
    out->msg.mutable_data()->set_last(last);
    bb->Clear();
    return grpc::Status::OK;
  }
  grpc::Status s = grpc::GenericDeserialize<grpc::ProtoBufferReader, Msg>(bb, &out->msg);
  if (s.ok() && out->msg.has_data() && !out->msg.data().data().empty())
    out->payload = Payload::Adopt(std::move(*out->msg.mutable_data()->mutable_data()));
  return s;
}

template grpc::Status DeserializeFrame(grpc::ByteBuffer*, RequestFrame*);
template grpc::Status DeserializeFrame(grpc::ByteBuffer*, ResponseFrame*);

namespace {

void DeleteString(void* p) { delete static_cast<std::string*>(p); }

}  // namespace

struct ChunkBuffer::Block {
  std::size_t capacity;
  alignas(std::max_align_t) char data[1];
};

namespace {
void FreeBlock(void* b) { std::free(b); }
}  // namespace

ChunkBuffer::ChunkBuffer(std::size_t capacity) {
  void* raw = std::malloc(offsetof(Block, data) + capacity);
  if (!raw) throw std::bad_alloc();
  block_ = static_cast<Block*>(raw);
  block_->capacity = capacity;
}
ChunkBuffer::~ChunkBuffer() { std::free(block_); }
char* ChunkBuffer::data() { return block_->data; }
std::size_t ChunkBuffer::capacity() const { return block_->capacity; }

Payload Payload::Adopt(ChunkBuffer buffer, std::size_t size) {
  Payload p;
  if (size == 0) return p;
  ChunkBuffer::Block* b = buffer.Release();
  p.Append(grpc::Slice(b->data, size, FreeBlock, b));
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
  uint8_t head[wire::kMaxHeader];
  const std::size_t h = wire::ChunkHeader(payload.size(), last, head);
  std::vector<grpc::Slice> slices;
  slices.reserve(payload.slices().size() + 2);
  slices.emplace_back(head, h);
  for (const grpc::Slice& s : payload.slices()) slices.push_back(s);
  if (last) slices.emplace_back(wire::kLastTrailer, sizeof wire::kLastTrailer, grpc::Slice::STATIC_SLICE);
  grpc::ByteBuffer out(slices.data(), slices.size());
  bb->Swap(&out);
  *own_buffer = true;
  return grpc::Status::OK;
}


}  // namespace gw::rt
