// ftp-front's FileService for outbound legs (DESIGN §2, the FTP half of RFC 1415 §8.2):
// the bridge opens a session stream naming an ftp://, ftps:// or ftps-implicit://
// destination its route policy allowed; each neutral operation becomes the FTP command
// sequence a careful client sends (FtpClient), and every result keeps the far server's
// reply as its origin. Credentials are passed through to the server (RFC 1415 §11), never
// stored or logged. The one-shot calls are the bridge's; here they are UNIMPLEMENTED.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/chunk_wire.h"
#include "runtime/session_frames.h"

namespace gw::ftp::client {

struct OutboundConfig {
  std::chrono::seconds connect_timeout{15}, reply_timeout{60}, data_timeout{120};
  std::size_t chunk_size = rt::kChunkSize;  // bytes per DataChunk toward the bridge
  std::size_t max_sessions = 500;        // concurrent outbound legs
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

}  // namespace gw::ftp::client
