// What the engine fuzz targets (responder, initiator) share: one io_context for the whole
// run, and per input an in-memory pipe (osi/association/stream.h) in place of a kernel
// socket pair. The engine under test gets one end as its Connection's stream; on the other
// the peer says the input, half-closes, and reads whatever comes back. The engine's
// timers, deadlines and state machine run as they do over TCP.
#pragma once

#include <cstddef>
#include <cstdint>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "osi/association/stream.h"

namespace gw::test {

// The io_context of every input: made once (its reactor's descriptors are not recreated
// per input), restarted after each input's coroutines have all ended.
inline boost::asio::io_context& FuzzIo() {
  static boost::asio::io_context io;
  return io;
}

// Runs the input's coroutines to their end, leaving the context ready for the next input.
inline void RunInput() {
  FuzzIo().run();
  FuzzIo().restart();
}

// The peer: says `data`, then half-closes its sending side.
inline boost::asio::awaitable<void> SayAndHalfClose(osi::association::MemoryStream* s, const uint8_t* data,
                                                    size_t size) {
  boost::system::error_code ec;
  co_await boost::asio::async_write(*s, boost::asio::buffer(data, size),
                                    boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  s->shutdown_send();
}

// The peer: reads until the engine's end closes; what comes back is not looked at.
inline boost::asio::awaitable<void> Drain(osi::association::MemoryStream* s) {
  static char buf[65536];
  for (;;) {
    boost::system::error_code ec;
    co_await s->async_read_some(boost::asio::buffer(buf), boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

}  // namespace gw::test
