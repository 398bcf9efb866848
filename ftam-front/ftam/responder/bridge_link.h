// The responder's side of its neutral session with the bridge (DESIGN.md §3): operations
// go out one at a time; results, and the data of reads, come back in order. The gRPC
// session stream implements it in the service; tests and the fuzz target give an
// in-memory filestore.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "gateway/v1/file_service.pb.h"

namespace gw::ftam::responder {

class BridgeLink {
 public:
  virtual ~BridgeLink() = default;
  // Opens the session; false when the bridge cannot be reached (error() says why).
  virtual boost::asio::awaitable<bool> Open(gateway::v1::OpenSession open) = 0;
  // Sends an operation and returns its id (0: the session broke).
  virtual boost::asio::awaitable<uint64_t> Send(gateway::v1::Operation op) = 0;
  virtual boost::asio::awaitable<bool> SendData(std::string data, bool last) = 0;
  // The next message; nullopt when the session broke.
  virtual boost::asio::awaitable<std::optional<gateway::v1::SessionResponse>> Receive() = 0;
  // Ends the session cleanly / at once.
  virtual boost::asio::awaitable<void> Close() = 0;
  virtual boost::asio::awaitable<void> Cancel() = 0;
  virtual std::string error() const = 0;

  // The result of operation `id`; everything else (stray data, other results) is skipped.
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Await(uint64_t id) {
    for (;;) {
      auto r = co_await Receive();
      if (!r) co_return std::nullopt;
      if (r->has_result() && r->result().id() == id) co_return std::move(*r->mutable_result());
    }
  }
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Call(gateway::v1::Operation op) {
    uint64_t id = co_await Send(std::move(op));
    if (id == 0) co_return std::nullopt;
    co_return co_await Await(id);
  }
};

}  // namespace gw::ftam::responder
