// libFuzzer: the whole responder (TPKT, COTP, session, presentation, ACSE, FTAM and the
// association's state machine) driven by an initiator's byte stream, over a socket pair,
// with an in-memory destination. Each input is one association's bytes from the initiator;
// the responder must end it (release, refusal, abort or close) without crashing or hanging.
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "ftam/responder/responder.h"
#include "responder/fake_bridge.h"
#include "runtime/log.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<void> Respond(tcp::socket s, gw::test::FakeBridge* bridge, const gw::ftam::responder::Config* cfg) {
  gw::osi::association::Connection conn(std::move(s), 65535);
  co_await gw::ftam::responder::Serve(conn, *bridge, *cfg, "fuzz", "127.0.0.1");
}

// The initiator: sends the input, then half-closes; meanwhile reads whatever comes back.
asio::awaitable<void> Initiate(tcp::socket* s, const uint8_t* data, size_t size) {
  boost::system::error_code ec;
  co_await asio::async_write(*s, asio::buffer(data, size), asio::redirect_error(asio::use_awaitable, ec));
  s->shutdown(tcp::socket::shutdown_send, ec);
}
asio::awaitable<void> Drain(tcp::socket* s) {
  static char buf[65536];  // a sink: what comes back is not looked at
  for (;;) {
    boost::system::error_code ec;
    co_await s->async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gw::log::SetLevel(getenv("GW_FUZZ_LOG") ? gw::log::Level::kDebug : gw::log::Level::kError);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gw::ftam::responder::Config cfg = [] {
    gw::ftam::responder::Config c;
    // Input ends with EOF, so no timer ever fires; keep them short all the same.
    c.association_timeout = c.idle_timeout = c.data_timeout = std::chrono::seconds(2);
    c.release_timeout = std::chrono::seconds(1);
    c.max_tsdu = 1 << 20;
    c.ber.max_element = c.ber.max_string = 1 << 20;
    return c;
  }();
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
  asio::io_context io;
  tcp::socket a(io), b(io);
  a.assign(tcp::v4(), fds[0]);
  b.assign(tcp::v4(), fds[1]);
  gw::test::FakeBridge bridge;
  asio::co_spawn(io, Respond(std::move(a), &bridge, &cfg), asio::detached);
  asio::co_spawn(io, Initiate(&b, data, size), asio::detached);
  asio::co_spawn(io, Drain(&b), asio::detached);
  io.run();
  return 0;
}
