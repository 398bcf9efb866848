// libFuzzer: the whole responder (TPKT, COTP, session, presentation, ACSE, FTAM and the
// association's state machine) driven by an initiator's byte stream, with an in-memory
// destination. Each input is one association's bytes from the initiator, over an in-memory
// pipe (fuzz_harness.h); the responder must end it (release, refusal, abort or close)
// without crashing or hanging.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "ftam/responder/responder.h"
#include "fuzz_harness.h"
#include "responder/fake_bridge.h"
#include "runtime/log.h"

namespace {

namespace asio = boost::asio;
using gw::osi::association::MemoryStream;

asio::awaitable<void> Respond(MemoryStream s, gw::test::FakeBridge* bridge, const gw::ftam::responder::Config* cfg) {
  gw::osi::association::Connection conn(std::move(s), 65535);
  co_await gw::ftam::responder::Serve(conn, *bridge, *cfg, "fuzz", "127.0.0.1");
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
    // Written data reaches the bridge in chunks of this size: small, so that inputs of a
    // few kilobytes cross chunk boundaries (and no input reserves a production-sized chunk).
    c.upload_chunk = 4096;
    return c;
  }();
  auto& io = gw::test::FuzzIo();
  auto [engine, peer] = gw::osi::association::MemoryPipe(io.get_executor());
  gw::test::FakeBridge bridge;
  asio::co_spawn(io, Respond(std::move(engine), &bridge, &cfg), asio::detached);
  asio::co_spawn(io, gw::test::SayAndHalfClose(&peer, data, size), asio::detached);
  asio::co_spawn(io, gw::test::Drain(&peer), asio::detached);
  gw::test::RunInput();
  return 0;
}
