// The client side of a neutral FileService session stream: a front's session toward the
// bridge, and the bridge's outbound leg toward a front. Operations go out one at a time;
// their results, and the data of reads, come back in order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "gateway/v1/file_service.grpc.pb.h"
#include "runtime/grpc_asio.h"
#include "runtime/session_frames.h"

namespace gw::rt {

class SessionClient {
 public:
  SessionClient(SessionStub* stub, boost::asio::any_io_executor ex);
  ~SessionClient();

  // Opens the session stream; false if the server cannot be reached or refused it
  // (error() then says why).
  boost::asio::awaitable<bool> Open(gateway::v1::OpenSession open);
  bool open() const { return call_ != nullptr && !broken_; }

  // Sends an operation (its id is assigned here) and returns that id; 0 if the stream broke.
  boost::asio::awaitable<uint64_t> Send(gateway::v1::Operation op);
  // Sends a chunk of a write (its bytes are not copied).
  boost::asio::awaitable<bool> SendData(Payload data, bool last);
  // Passes on a data frame received from another stream as it is (the bridge's relay).
  boost::asio::awaitable<bool> SendFrame(RequestFrame frame);
  // The next message from the server; nullopt if the stream broke.
  boost::asio::awaitable<std::optional<ResponseFrame>> Receive();
  // Never race Receive against another wait with `||`: a read cancelled as its message
  // arrives loses it. One coroutine may Receive while another sends.

  // Cancels the call without waiting: an outstanding Receive returns nullopt. Close() or
  // Cancel() must still follow.
  void Interrupt();

  // The result of operation `id` (a transfer's first result, then its final one); data and
  // the results of other operations are skipped. nullopt if the stream broke.
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Await(uint64_t id);

  // Sends an operation and waits for its result (for operations that move no data).
  boost::asio::awaitable<std::optional<gateway::v1::OperationResult>> Call(gateway::v1::Operation op);

  // Ends the session (close operation, then the stream).
  boost::asio::awaitable<void> Close();
  // Ends the stream at once (the server sees it cancelled), then waits for gRPC.
  boost::asio::awaitable<void> Cancel();

  // Why the stream could not be opened or broke, as far as known.
  const std::string& error() const { return error_; }

  const std::string& session_id() const { return session_id_; }

 private:
  using Call_ = rt::ClientBidi<RequestFrame, ResponseFrame>;
  SessionStub* stub_;
  boost::asio::any_io_executor ex_;
  std::unique_ptr<Call_> call_;
  uint64_t next_id_ = 1;
  bool broken_ = false;
  std::string session_id_;
  std::string error_;
};

}  // namespace gw::rt
