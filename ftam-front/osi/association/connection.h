// The transport driver of one RFC 1006 connection: TPKT framing over a TCP socket (or an
// in-memory stream standing in for one, stream.h), every read bounded by a deadline (a
// stalled peer cannot hold a connection), every write a gather write of the pieces the
// codecs produced.
#pragma once

#include <chrono>
#include <memory>
#include <cstdint>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "absl/status/statusor.h"
#include "osi/association/stream.h"
#include "osi/gather.h"

namespace gw::osi::association {

class Connection {
 public:
  using Duration = std::chrono::steady_clock::duration;

  Connection(Stream stream, size_t max_tpkt);

  Stream& stream() { return stream_; }

  // The next TPDU (one TPKT without its header), a view valid until the next call.
  // DeadlineExceeded when the whole TPKT did not arrive within `timeout`, Unavailable when
  // the peer closed, InvalidArgument for a malformed TPKT header.
  boost::asio::awaitable<absl::StatusOr<Bytes>> ReadTpdu(Duration timeout);

  // Writes everything or fails; a peer that stops reading for `timeout` fails the write.
  boost::asio::awaitable<absl::Status> Write(Bytes b, Duration timeout);
  boost::asio::awaitable<absl::Status> Write(const Gather& g, Duration timeout);

  // Half-closes the sending side, then closes.
  void Close();
  bool closed() const { return closed_; }

 private:
  Stream stream_;
  size_t max_tpkt_;
  // Grows with the traffic: an idle association holds kInitialBuffer octets, a busy one
  // up to two whole TPKTs and a little (so one read can take several). Not zero-filled.
  void Reserve(size_t capacity);
  std::unique_ptr<uint8_t[]> buf_;
  size_t cap_ = 0;
  size_t begin_ = 0, end_ = 0;
  bool closed_ = false;
};

}  // namespace gw::osi::association
