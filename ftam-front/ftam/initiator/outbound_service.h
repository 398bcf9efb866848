// ftam-front's FileService for outbound legs (DESIGN §2, the FTAM half of RFC 1415 §8.1):
// the bridge opens a session stream naming an ftam:// destination its route policy
// allowed; each neutral operation becomes the FTAM PDU sequence §8.1 describes, on one
// association per leg (Initiator), and every failure keeps the responder's diagnostic as
// its origin. Credentials are passed through (RFC 1415 §11), never stored or logged.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/chunk_wire.h"
#include "runtime/session_frames.h"

namespace gw::ftam::initiator {

struct OutboundConfig {
  std::chrono::seconds connect_timeout{15}, reply_timeout{60}, data_timeout{120};
  std::size_t chunk_size = rt::kChunkSize;  // bytes per DataChunk toward the bridge
  std::size_t max_sessions = 500;       // concurrent outbound legs (associations)
  std::size_t max_tpdu = 65531;         // asked for in CR
  bool propose_old_nbs9 = true;         // see Options::propose_old_nbs9
};

class OutboundService final : public rt::WithFrameSession<gateway::v1::FileService::CallbackService> {
 public:
  OutboundService(boost::asio::io_context& io, OutboundConfig config);

  grpc::ServerBidiReactor<rt::RequestFrame, rt::ResponseFrame>* FrameSession(
      grpc::CallbackServerContext* ctx) override;

  struct Shared {
    Shared(boost::asio::io_context& i, OutboundConfig c) : io(i), config(c) {}
    boost::asio::io_context& io;
    OutboundConfig config;
    std::atomic<std::size_t> sessions{0};
  };

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace gw::ftam::initiator
