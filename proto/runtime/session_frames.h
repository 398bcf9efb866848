// What a session stream carries, as the processes see it: a message, and for a data chunk
// its bytes held as gRPC slices instead of a protobuf `bytes` field. A chunk that is sent
// references the buffer its data was read into; a chunk that is received references the
// buffers gRPC read it into; a chunk passed from one stream to another (the bridge's
// relay) is never copied, parsed or re-encoded. On the wire a frame is exactly the
// SessionRequest / SessionResponse of gateway/v1/file_service.proto, so any gRPC client
// of that API (in any language) talks to these streams unchanged.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/impl/serialization_traits.h>
#include <grpcpp/support/slice.h>

#include "gateway/v1/file_service.pb.h"

namespace gw::rt {

// A buffer to read a chunk into, not initialised (the processes keep chunk-sized blocks
// on the heap, see rt::TuneHeap in runtime/util.h, so a new chunk does not fault in fresh
// pages). It is freed when the last slice referencing it is gone, possibly on a gRPC thread.
class ChunkBuffer {
 public:
  explicit ChunkBuffer(std::size_t capacity);
  ChunkBuffer(ChunkBuffer&& o) noexcept : block_(std::exchange(o.block_, nullptr)) {}
  ChunkBuffer& operator=(ChunkBuffer&& o) noexcept {
    std::swap(block_, o.block_);
    return *this;
  }
  ~ChunkBuffer();

  char* data();
  std::size_t capacity() const;

  struct Block;
  Block* Release() { return std::exchange(block_, nullptr); }

 private:
  Block* block_;
};

// A chunk's bytes: a sequence of reference-counted slices.
class Payload {
 public:
  Payload() = default;

  static ChunkBuffer NewBuffer(std::size_t capacity) { return ChunkBuffer(capacity); }
  // Takes the first `size` octets of `buffer` without copying.
  static Payload Adopt(ChunkBuffer buffer, std::size_t size);
  // Takes a string's bytes without copying them.
  static Payload Adopt(std::string bytes);
  // A copy of `bytes` (for small or borrowed data).
  static Payload Copy(std::string_view bytes);

  void Append(grpc::Slice slice);

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::vector<grpc::Slice>& slices() const { return slices_; }

  // The slices as Asio buffers, for a gather write; valid while this payload lives.
  std::vector<boost::asio::const_buffer> Buffers() const;
  // Calls f(std::string_view) for each slice, in order.
  template <typename F>
  void ForEach(F&& f) const {
    for (const grpc::Slice& s : slices_) f(std::string_view(reinterpret_cast<const char*>(s.begin()), s.size()));
  }
  void AppendTo(std::string& out) const;
  std::string ToString() const;

 private:
  std::vector<grpc::Slice> slices_;
  std::size_t size_ = 0;
};

// One message of a session stream. For a data chunk, `msg.data()` carries `last` and its
// `data` field is empty: the bytes are in `payload`.
template <typename Msg>
struct Frame {
  Msg msg;
  Payload payload;

  Frame() = default;
  Frame(Msg m) : msg(std::move(m)) {}  // NOLINT: a message is a frame without payload

  bool is_data() const { return msg.has_data(); }
  bool last() const { return msg.data().last(); }
};

using RequestFrame = Frame<gateway::v1::SessionRequest>;
using ResponseFrame = Frame<gateway::v1::SessionResponse>;

template <typename F>
F DataFrame(Payload payload, bool last) {
  F f;
  f.msg.mutable_data()->set_last(last);
  f.payload = std::move(payload);
  return f;
}

// The wire form (see the top of this file); used by the serialization traits below.
grpc::Status SerializeFrame(const google::protobuf::MessageLite& msg, const Payload& payload, bool is_data,
                            bool last, grpc::ByteBuffer* bb, bool* own_buffer);
// Defined for RequestFrame and ResponseFrame.
template <typename Msg>
grpc::Status DeserializeFrame(grpc::ByteBuffer* bb, Frame<Msg>* out);

// The session method on the wire, for the generic stub and the service below.
inline constexpr char kSessionMethod[] = "/gateway.v1.FileService/Session";

// The client side: opens session streams of frames on a channel.
using SessionStub = grpc::TemplatedGenericStub<RequestFrame, ResponseFrame>;

// A FileService whose Session method speaks frames: `Base` is the generated
// FileService::CallbackService (Session is its method 0); the derived class implements
// FrameSession instead of Session.
template <typename Base>
class WithFrameSession : public Base {
 public:
  WithFrameSession() {
    this->MarkMethodCallback(
        0, new grpc::internal::CallbackBidiHandler<RequestFrame, ResponseFrame>(
               [this](grpc::CallbackServerContext* ctx) { return this->FrameSession(ctx); }));
  }
  virtual grpc::ServerBidiReactor<RequestFrame, ResponseFrame>* FrameSession(grpc::CallbackServerContext* ctx) = 0;
};

}  // namespace gw::rt

namespace grpc {

template <typename Msg>
class SerializationTraits<gw::rt::Frame<Msg>, void> {
 public:
  static Status Serialize(const gw::rt::Frame<Msg>& f, ByteBuffer* bb, bool* own_buffer) {
    return gw::rt::SerializeFrame(f.msg, f.payload, f.is_data(), f.is_data() && f.last(), bb, own_buffer);
  }
  static Status Deserialize(ByteBuffer* bb, gw::rt::Frame<Msg>* f) { return gw::rt::DeserializeFrame(bb, f); }
};

}  // namespace grpc
