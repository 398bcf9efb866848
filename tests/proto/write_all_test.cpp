// rt::WriteAll: every byte of a gather list arrives once and in order, whatever each write
// call takes; each call is given as many pieces and bytes as allowed (asio::async_write gave
// 16 pieces and 64 KiB at most); errors and a stream that takes nothing end it.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>

#include "runtime/write_all.h"

namespace gw::rt {
namespace {

namespace asio = boost::asio;
using boost::system::error_code;

// A stream that takes at most `limit` bytes per call (or fails with `fail` on call `fail_at`)
// and records what each call was offered.
struct FakeStream {
  FakeStream(asio::io_context* i, std::size_t l) : io(i), limit(l) {}
  asio::io_context* io;
  std::size_t limit;
  std::string got;
  std::vector<std::size_t> offered_pieces, offered_bytes;
  int fail_at = -1;
  error_code fail;
  bool take_nothing = false;

  using executor_type = asio::io_context::executor_type;
  executor_type get_executor() { return io->get_executor(); }

  template <typename Buffers, typename Token>
  auto async_write_some(const Buffers& bufs, Token&& token) {
    return asio::async_initiate<Token, void(error_code, std::size_t)>(
        [this](auto handler, const Buffers& b) {
          std::size_t pieces = 0, bytes = 0, taken = 0;
          for (auto it = asio::buffer_sequence_begin(b); it != asio::buffer_sequence_end(b); ++it) {
            asio::const_buffer piece(*it);
            ++pieces;
            bytes += piece.size();
            const std::size_t take = take_nothing ? 0 : std::min(piece.size(), limit - taken);
            got.append(static_cast<const char*>(piece.data()), take);
            taken += take;
          }
          offered_pieces.push_back(pieces);
          offered_bytes.push_back(bytes);
          error_code ec;
          if (static_cast<int>(offered_pieces.size()) - 1 == fail_at) {
            ec = fail;
            got.resize(got.size() - taken);
            taken = 0;
          }
          asio::post(io->get_executor(), [h = std::move(handler), ec, taken]() mutable { h(ec, taken); });
        },
        token, bufs);
  }
};

// Pieces of the given sizes cut from one pattern; returns the pieces and the whole.
std::vector<asio::const_buffer> Cut(const std::string& whole, const std::vector<std::size_t>& sizes) {
  std::vector<asio::const_buffer> pieces;
  std::size_t at = 0;
  for (std::size_t s : sizes) {
    pieces.emplace_back(whole.data() + at, s);
    at += s;
  }
  return pieces;
}

error_code WriteThrough(asio::io_context& io, FakeStream& s, const std::vector<asio::const_buffer>& pieces) {
  auto f = asio::co_spawn(io, WriteAll(s, pieces), asio::use_future);
  io.run();
  io.restart();
  return f.get();
}

std::string Pattern(std::size_t n) {
  std::string s(n, '\0');
  std::mt19937 rng(7);
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(WriteAll, EveryByteOnceInOrderWhateverEachCallTakes) {
  std::vector<std::size_t> sizes;
  std::mt19937 rng(1);
  for (int i = 0; i < 300; ++i) sizes.push_back(i % 17 == 0 ? 0 : rng() % 5000);  // empty pieces too
  std::size_t total = 0;
  for (std::size_t s : sizes) total += s;
  const std::string whole = Pattern(total);
  for (std::size_t limit : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{65537}, std::size_t{1} << 30}) {
    asio::io_context io;
    FakeStream s{&io, limit};
    ASSERT_FALSE(WriteThrough(io, s, Cut(whole, sizes))) << limit;
    EXPECT_EQ(s.got.size(), whole.size()) << limit;
    EXPECT_TRUE(s.got == whole) << "bytes differ with " << limit << " per call";
    for (std::size_t p : s.offered_pieces) EXPECT_LE(p, kWritePiecesPerCall);
  }
}

TEST(WriteAll, ACallIsOfferedSixtyFourPiecesAndNoByteCap) {
  // A 1 MiB chunk as gRPC hands it over: 64 pieces of 16 KiB. One call takes it all.
  const std::string whole = Pattern(1 << 20);
  asio::io_context io;
  FakeStream s{&io, std::size_t{1} << 30};
  ASSERT_FALSE(WriteThrough(io, s, Cut(whole, std::vector<std::size_t>(64, 16384))));
  ASSERT_EQ(s.offered_bytes.size(), 1u);
  EXPECT_EQ(s.offered_bytes[0], std::size_t{1} << 20);
  EXPECT_TRUE(s.got == whole);

  // 100 pieces: the first call is offered 64 of them, the second the other 36.
  asio::io_context io2;
  FakeStream s2{&io2, std::size_t{1} << 30};
  const std::string w2 = Pattern(100 * 1000);
  ASSERT_FALSE(WriteThrough(io2, s2, Cut(w2, std::vector<std::size_t>(100, 1000))));
  EXPECT_EQ(s2.offered_pieces, (std::vector<std::size_t>{64, 36}));
  EXPECT_TRUE(s2.got == w2);
}

TEST(WriteAll, AnErrorEndsItAndAStreamTakingNothingIsBrokenPipe) {
  const std::string whole = Pattern(50000);
  asio::io_context io;
  FakeStream s{&io, 1000};
  s.fail_at = 3;
  s.fail = asio::error::connection_reset;
  EXPECT_EQ(WriteThrough(io, s, Cut(whole, {20000, 30000})), asio::error::connection_reset);
  EXPECT_EQ(s.offered_pieces.size(), 4u);
  EXPECT_EQ(s.got, whole.substr(0, 3000));

  asio::io_context io2;
  FakeStream s2{&io2, 1000};
  s2.take_nothing = true;
  EXPECT_EQ(WriteThrough(io2, s2, Cut(whole, {50000})), asio::error::broken_pipe);
  EXPECT_EQ(s2.offered_pieces.size(), 1u);

  asio::io_context io3;  // nothing to write: no call at all
  FakeStream s3{&io3, 1000};
  EXPECT_FALSE(WriteThrough(io3, s3, Cut(whole, {0, 0})));
  EXPECT_TRUE(s3.offered_pieces.empty());
}

TEST(WriteAll, ThroughARealSocketWithASlowReader) {
  // 8 MiB in 1 MiB pieces into a socket pair whose reader takes 4 KiB at a time: the writer
  // waits for room many times, and the reader gets the exact bytes.
  asio::io_context io;
  asio::local::stream_protocol::socket a(io), b(io);
  asio::local::connect_pair(a, b);
  const std::string whole = Pattern(8 << 20);
  const auto pieces = Cut(whole, std::vector<std::size_t>(8, 1 << 20));
  auto wrote = asio::co_spawn(io, [&]() -> asio::awaitable<error_code> {
    error_code ec = co_await WriteAll(a, pieces);
    a.shutdown(asio::socket_base::shutdown_send);
    co_return ec;
  }, asio::use_future);
  std::string got;
  auto read = asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    char buf[4096];
    for (;;) {
      auto [ec, n] = co_await b.async_read_some(asio::buffer(buf), asio::as_tuple(asio::use_awaitable));
      got.append(buf, n);
      if (ec) co_return;
    }
  }, asio::use_future);
  io.run();
  EXPECT_FALSE(wrote.get());
  read.get();
  EXPECT_EQ(got.size(), whole.size());
  EXPECT_TRUE(got == whole);
}

}  // namespace
}  // namespace gw::rt
