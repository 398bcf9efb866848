// An FTP session's stream to the bridge (the neutral FileService session). Operations go
// out one at a time; their results, and the data of reads, come back in order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/grpc_asio.h"

namespace gw::ftp {

class BridgeClient {
 public:
  BridgeClient(gateway::v1::FileService::Stub* stub, boost::asio::any_io_executor ex);
  ~BridgeClient();

  // Opens the session stream; false if the bridge cannot be reached.
  boost::asio::awaitable<bool> Open(gateway::v1::OpenSession open);
  bool open() const { return call_ != nullptr && !broken_; }

  // Sends an operation (its id is assigned here) and returns that id; 0 if the stream broke.
  boost::asio::awaitable<uint64_t> Send(gateway::v1::Operation op);
  boost::asio::awaitable<bool> SendData(std::string data, bool last);
  // The next message from the bridge; nullopt if the stream broke.
  boost::asio::awaitable<std::optional<gateway::v1::SessionResponse>> Receive();

  // Sends an operation and waits for its result (for operations that move no data).
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Call(gateway::v1::Operation op);

  // Ends the session (close operation, then the stream).
  boost::asio::awaitable<void> Close();

  const std::string& session_id() const { return session_id_; }

 private:
  using Call_ = rt::ClientBidi<gateway::v1::SessionRequest, gateway::v1::SessionResponse>;
  gateway::v1::FileService::Stub* stub_;
  boost::asio::any_io_executor ex_;
  std::unique_ptr<Call_> call_;
  uint64_t next_id_ = 1;
  bool broken_ = false;
  std::string session_id_;
};

}  // namespace gw::ftp
