// libFuzzer: the whole initiator (TPKT, COTP, session, presentation, ACSE and FTAM decoding,
// and the association's state machine) driven by a responder's byte stream, over a socket
// pair. Each input is everything a responder says in one association; the initiator
// associates and then runs one of each operation (read attributes, list, read, write,
// delete, rename, release). Every operation must end (success or error) without crashing
// or hanging, whatever the responder sent.
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "ftam/initiator/initiator.h"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using gw::ftam::initiator::Initiator;

// The responder: says the input, then half-closes; reads whatever the initiator sends.
asio::awaitable<void> Respond(tcp::socket* s, const uint8_t* data, size_t size) {
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

asio::awaitable<void> Initiate(tcp::socket s, bool text) {
  gw::ftam::initiator::Options o;
  o.connect_timeout = o.reply_timeout = o.data_timeout = std::chrono::seconds(2);
  o.release_timeout = std::chrono::seconds(1);
  o.max_tsdu = 1 << 20;
  o.ber.max_element = o.ber.max_string = 1 << 20;
  Initiator ftam(co_await asio::this_coro::executor, o);
  gw::ftam::initiator::Address a;
  a.host = "fuzz";
  if (!(co_await ftam.AssociateOver(std::move(s), a, "user", "password", "")).ok()) co_return;
  (void)co_await ftam.ReadAttributes("a.txt");
  (void)co_await ftam.ListDirectory("");
  if ((co_await ftam.StartRead("a.txt", text)).ok()) {
    std::string out;
    bool end = false;
    for (int i = 0; i < 1000 && !end; ++i) {
      out.clear();
      if (!(co_await ftam.ReadSome(&out, 1 << 16, &end)).ok()) break;
    }
  }
  if ((co_await ftam.StartWrite("b.bin", Initiator::WriteMode::kReplace, text)).ok()) {
    std::string data(3000, 'x');
    if ((co_await ftam.WriteSome(data)).ok()) (void)co_await ftam.FinishWrite();
    else (void)co_await ftam.Cancel();
  }
  (void)co_await ftam.Delete("c");
  (void)co_await ftam.Rename("d", "e");
  co_await ftam.Release();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return 0;
  asio::io_context io;
  tcp::socket a(io), b(io);
  a.assign(tcp::v4(), fds[0]);
  b.assign(tcp::v4(), fds[1]);
  asio::co_spawn(io, Initiate(std::move(a), size > 0 && (data[size - 1] & 1)), asio::detached);
  asio::co_spawn(io, Respond(&b, data, size), asio::detached);
  asio::co_spawn(io, Drain(&b), asio::detached);
  io.run();
  return 0;
}
