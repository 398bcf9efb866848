// The byte stream under a Connection: a TCP socket in service, or one end of an in-memory
// duplex pipe where a test or fuzz target plays the peer on the same io_context without
// the kernel. Both are Asio stream types with the same completion signatures, so the
// Connection's reads and writes are the same awaitables either way.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <variant>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace gw::osi::association {

// One end of a MemoryPipe. Writes never wait (the peer's unread octets are unbounded, as a
// test's peer reads them all); every completion is posted, never run inside the call; a
// read waiting for octets can be cancelled (per-operation cancellation, as a deadline's
// `||` does). Single-threaded: both ends and their handlers run on one executor.
class MemoryStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, size_t)>;

  MemoryStream() = default;
  MemoryStream(MemoryStream&&) noexcept = default;
  MemoryStream& operator=(MemoryStream&& o) noexcept;
  ~MemoryStream();

  executor_type get_executor() const;

  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& b, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(
        Read{pipe_, side_}, token, boost::asio::mutable_buffer(*boost::asio::buffer_sequence_begin(b)));
  }
  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& b, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, size_t)>(Write{pipe_, side_}, token, b);
  }

  size_t available() const;
  // The peer reads end-of-stream once it has read what was written before.
  void shutdown_send();
  // shutdown_send, and this end's read in progress ends with operation_aborted.
  void close();

  struct Pipe;  // the state both ends share

 private:
  friend std::pair<MemoryStream, MemoryStream> MemoryPipe(const executor_type& ex);
  MemoryStream(std::shared_ptr<Pipe> p, int side) : pipe_(std::move(p)), side_(side) {}

  struct Read {
    std::shared_ptr<Pipe> pipe;
    int side;
    template <typename H>
    void operator()(H&& h, boost::asio::mutable_buffer into) const {
      StartRead(pipe, side, Handler(std::forward<H>(h)), into);
    }
  };
  struct Write {
    std::shared_ptr<Pipe> pipe;
    int side;
    template <typename H, typename ConstBuffers>
    void operator()(H&& h, const ConstBuffers& bufs) const {
      size_t n = 0;
      auto ec = CanWrite(pipe, side);
      if (!ec) {
        for (auto it = boost::asio::buffer_sequence_begin(bufs); it != boost::asio::buffer_sequence_end(bufs); ++it) {
          boost::asio::const_buffer c(*it);
          AppendBytes(pipe, side, c);
          n += c.size();
        }
      }
      Finish(pipe, side, Handler(std::forward<H>(h)), ec, n);
    }
  };
  static void StartRead(const std::shared_ptr<Pipe>& p, int side, Handler h, boost::asio::mutable_buffer into);
  static boost::system::error_code CanWrite(const std::shared_ptr<Pipe>& p, int side);
  static void AppendBytes(const std::shared_ptr<Pipe>& p, int side, boost::asio::const_buffer b);
  // Completes a write (and wakes the peer's waiting read).
  static void Finish(const std::shared_ptr<Pipe>& p, int side, Handler h, boost::system::error_code ec, size_t n);

  std::shared_ptr<Pipe> pipe_;
  int side_ = 0;
};

// Two connected ends on `ex`: what one writes, the other reads.
std::pair<MemoryStream, MemoryStream> MemoryPipe(const MemoryStream::executor_type& ex);

// A TCP socket or a MemoryStream, as an Asio AsyncReadStream/AsyncWriteStream.
class Stream {
 public:
  using executor_type = boost::asio::any_io_executor;

  Stream(boost::asio::ip::tcp::socket s) : v_(std::move(s)) {}  // NOLINT: a socket is a stream
  Stream(MemoryStream s) : v_(std::move(s)) {}                    // NOLINT

  executor_type get_executor() {
    if (auto* s = std::get_if<boost::asio::ip::tcp::socket>(&v_)) return s->get_executor();
    return std::get<MemoryStream>(v_).get_executor();
  }
  template <typename MutableBuffers, typename Token>
  auto async_read_some(const MutableBuffers& b, Token&& token) {
    if (auto* s = std::get_if<boost::asio::ip::tcp::socket>(&v_)) return s->async_read_some(b, std::forward<Token>(token));
    return std::get<MemoryStream>(v_).async_read_some(b, std::forward<Token>(token));
  }
  template <typename ConstBuffers, typename Token>
  auto async_write_some(const ConstBuffers& b, Token&& token) {
    if (auto* s = std::get_if<boost::asio::ip::tcp::socket>(&v_)) return s->async_write_some(b, std::forward<Token>(token));
    return std::get<MemoryStream>(v_).async_write_some(b, std::forward<Token>(token));
  }

  // Octets readable without waiting.
  size_t available(boost::system::error_code& ec) const;
  void set_no_delay();
  // Half-closes the sending side, then closes.
  void shutdown_and_close();

 private:
  std::variant<boost::asio::ip::tcp::socket, MemoryStream> v_;
};

}  // namespace gw::osi::association
