// Writing a gather list to a stream in as few system calls as the stream allows.
//
// asio::async_write gives each write_some at most 64 KiB and 16 pieces (its transfer_all
// condition and its prepared-buffer limit): a 1 MiB data chunk took 16 or more sendmsg calls,
// each a loopback transmit, a wakeup of the reader and a readiness wait in between. Here each
// call takes up to 64 pieces and no byte limit, so a chunk goes in one or two calls when the
// socket's buffer has room. Header-only: both fronts use it (ftam-front's OSI stack is built
// without the rest of the runtime for its fuzz targets).
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>

namespace gw::rt {

// At most this many pieces per system call (Linux takes up to 1024; asio's socket adapter 64).
inline constexpr std::size_t kWritePiecesPerCall = 64;

// Writes every byte of `pieces` (empty pieces are skipped). Returns the first error; a stream
// that reports nothing written without an error ends it with broken_pipe. Cancellation (a
// timeout racing it) cancels the pending write.
template <typename AsyncWriteStream>
boost::asio::awaitable<boost::system::error_code> WriteAll(AsyncWriteStream& stream,
                                                          std::span<const boost::asio::const_buffer> pieces) {
  std::array<boost::asio::const_buffer, kWritePiecesPerCall> call;
  std::size_t next = 0;    // the first piece not wholly written
  std::size_t offset = 0;  // bytes of it already written
  for (;;) {
    while (next < pieces.size() && offset == pieces[next].size()) {
      ++next;
      offset = 0;
    }
    if (next == pieces.size()) co_return boost::system::error_code{};
    std::size_t count = 0;
    for (std::size_t i = next; i < pieces.size() && count < call.size(); ++i) {
      boost::asio::const_buffer b = i == next ? pieces[i] + offset : pieces[i];
      if (b.size() > 0) call[count++] = b;
    }
    auto [ec, n] = co_await stream.async_write_some(std::span<const boost::asio::const_buffer>(call.data(), count),
                                                    boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return ec;
    if (n == 0) co_return boost::asio::error::broken_pipe;
    while (n > 0) {
      const std::size_t left = pieces[next].size() - offset;
      if (n < left) {
        offset += n;
        n = 0;
      } else {
        n -= left;
        ++next;
        offset = 0;
      }
    }
  }
}

}  // namespace gw::rt
