// The in-memory stream the engine fuzz targets run on: it must behave as a connected TCP
// socket does toward a Connection (ordered bytes, end-of-stream after a half-close, a
// waiting read cancelled by a deadline), or the fuzz targets would not mean what they say.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "osi/association/connection.h"
#include "osi/association/stream.h"

namespace gw::osi::association {
namespace {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using boost::system::error_code;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Runs `f` to its end on a fresh io_context (bounded: a hang fails the test).
template <typename F>
void RunToEnd(F f) {
  asio::io_context io;
  bool done = false;
  asio::co_spawn(io, f(io.get_executor()), [&](std::exception_ptr e) {
    done = true;
    if (e) std::rethrow_exception(e);
  });
  io.run_for(std::chrono::seconds(10));
  EXPECT_TRUE(done);
}

asio::awaitable<void> BytesInOrderThenEndOfStream(asio::any_io_executor ex) {
  auto [a, b] = MemoryPipe(ex);
  auto [wec, wn] = co_await asio::async_write(a, asio::buffer(std::string("hello, world")), kTuple);
  EXPECT_FALSE(wec);
  EXPECT_EQ(wn, 12u);
  EXPECT_EQ(b.available(), 12u);
  char buf[5];
  auto [ec1, n1] = co_await b.async_read_some(asio::buffer(buf), kTuple);  // less than was written
  EXPECT_FALSE(ec1);
  EXPECT_EQ(std::string(buf, n1), "hello");
  a.shutdown_send();
  std::string rest(7, '\0');
  auto [ec2, n2] = co_await asio::async_read(b, asio::buffer(rest), kTuple);
  EXPECT_FALSE(ec2);
  EXPECT_EQ(rest, ", world");
  auto [ec3, n3] = co_await b.async_read_some(asio::buffer(buf), kTuple);  // the half-close
  EXPECT_EQ(ec3, asio::error::eof);
  EXPECT_EQ(n3, 0u);
  // The other way still works after a half-close, as on TCP.
  co_await asio::async_write(b, asio::buffer(std::string("back")), kTuple);
  auto [ec4, n4] = co_await a.async_read_some(asio::buffer(buf), kTuple);
  EXPECT_FALSE(ec4);
  EXPECT_EQ(std::string(buf, n4), "back");
  auto [ec5, n5] = co_await a.async_write_some(asio::buffer(std::string("x")), kTuple);
  EXPECT_EQ(ec5, asio::error::broken_pipe);  // a's sending side is shut down
}
TEST(MemoryStream, BytesInOrderThenEndOfStream) { RunToEnd(BytesInOrderThenEndOfStream); }

asio::awaitable<void> Writer(MemoryStream* s) {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::milliseconds(20));
  co_await t.async_wait(asio::use_awaitable);
  co_await asio::async_write(*s, asio::buffer(std::string("late")), asio::use_awaitable);
}

asio::awaitable<void> AWaitingReadWakesAndCanBeCancelled(asio::any_io_executor ex) {
  auto [a, b] = MemoryPipe(ex);
  char buf[16];
  // A deadline wins the race: the read ends with operation_aborted and takes nothing.
  asio::steady_timer deadline(ex, std::chrono::milliseconds(10));
  auto r = co_await (b.async_read_some(asio::buffer(buf), kTuple) || deadline.async_wait(kTuple));
  EXPECT_EQ(r.index(), 1u);
  // The stream is still usable: a read waiting for a later write gets it.
  asio::co_spawn(ex, Writer(&a), asio::detached);
  auto [ec, n] = co_await b.async_read_some(asio::buffer(buf), kTuple);
  EXPECT_FALSE(ec);
  EXPECT_EQ(std::string(buf, n), "late");
}
TEST(MemoryStream, AWaitingReadWakesAndCanBeCancelled) { RunToEnd(AWaitingReadWakesAndCanBeCancelled); }

asio::awaitable<void> ClosingOneEnd(asio::any_io_executor ex) {
  auto [a, b] = MemoryPipe(ex);
  {
    MemoryStream gone = std::move(a);
    co_await asio::async_write(gone, asio::buffer(std::string("last words")), kTuple);
  }  // destroyed: closed
  std::string got(10, '\0');
  auto [ec1, n1] = co_await asio::async_read(b, asio::buffer(got), kTuple);
  EXPECT_FALSE(ec1);  // what was written before the close is still read
  EXPECT_EQ(got, "last words");
  char buf[4];
  auto [ec2, n2] = co_await b.async_read_some(asio::buffer(buf), kTuple);
  EXPECT_EQ(ec2, asio::error::eof);
  auto [ec3, n3] = co_await b.async_write_some(asio::buffer(std::string("x")), kTuple);
  EXPECT_EQ(ec3, asio::error::broken_pipe);
}
TEST(MemoryStream, ClosingOneEnd) { RunToEnd(ClosingOneEnd); }

// A Connection over the pipe: TPKTs are framed, a silent peer hits the read deadline, and
// the Connection's close is the peer's end of stream.
asio::awaitable<void> ConnectionOverAPipe(asio::any_io_executor ex) {
  auto [a, b] = MemoryPipe(ex);
  Connection conn(std::move(a), 65535);
  // Two TPKTs in one write: one read takes both, and each is handed up on its own.
  const uint8_t two[] = {3, 0, 0, 7, 2, 0xf0, 0x80, 3, 0, 0, 8, 2, 0xf0, 0x80, 'x'};
  co_await asio::async_write(b, asio::buffer(two), kTuple);
  auto t1 = co_await conn.ReadTpdu(std::chrono::seconds(5));
  EXPECT_TRUE(t1.ok());
  if (t1.ok()) EXPECT_EQ(t1->size(), 3u);
  auto t2 = co_await conn.ReadTpdu(std::chrono::seconds(5));
  EXPECT_TRUE(t2.ok());
  if (t2.ok()) EXPECT_EQ(t2->size(), 4u);  // a view into the buffer, read before the next call
  auto silent = co_await conn.ReadTpdu(std::chrono::milliseconds(10));
  EXPECT_EQ(silent.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_TRUE((co_await conn.Write(Bytes(two, 7), std::chrono::seconds(5))).ok());
  conn.Close();
  std::string got(7, '\0');
  auto [ec1, n1] = co_await asio::async_read(b, asio::buffer(got), kTuple);
  EXPECT_FALSE(ec1);
  char buf[4];
  auto [ec2, n2] = co_await b.async_read_some(asio::buffer(buf), kTuple);
  EXPECT_EQ(ec2, asio::error::eof);
}
TEST(MemoryStream, ConnectionOverAPipe) { RunToEnd(ConnectionOverAPipe); }

}  // namespace
}  // namespace gw::osi::association
