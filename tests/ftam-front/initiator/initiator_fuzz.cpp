// libFuzzer: the whole initiator (TPKT, COTP, session, presentation, ACSE and FTAM decoding,
// and the association's state machine) driven by a responder's byte stream, over an
// in-memory pipe (fuzz_harness.h). Each input is everything a responder says in one
// association; the initiator associates and then runs one of each operation (read
// attributes, list, read, write, delete, rename, release). Every operation must end
// (success or error) without crashing or hanging, whatever the responder sent.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

#include "ftam/initiator/initiator.h"
#include "fuzz_harness.h"

namespace {

namespace asio = boost::asio;
using gw::ftam::initiator::Initiator;
using gw::osi::association::MemoryStream;

asio::awaitable<void> Initiate(MemoryStream s, bool text) {
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
  auto& io = gw::test::FuzzIo();
  auto [engine, peer] = gw::osi::association::MemoryPipe(io.get_executor());
  asio::co_spawn(io, Initiate(std::move(engine), size > 0 && (data[size - 1] & 1)), asio::detached);
  asio::co_spawn(io, gw::test::SayAndHalfClose(&peer, data, size), asio::detached);
  asio::co_spawn(io, gw::test::Drain(&peer), asio::detached);
  gw::test::RunInput();
  return 0;
}
