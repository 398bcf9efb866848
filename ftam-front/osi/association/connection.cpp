#include "osi/association/connection.h"

#include <algorithm>
#include <cstring>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "absl/strings/str_cat.h"
#include "runtime/write_all.h"
#include "osi/transport/tpkt.h"

namespace gw::osi::association {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kInitialBuffer = 8192;
constexpr size_t kMaxBuffer = 2 * transport::kTpktMaxPacket + 4096;
constexpr size_t kMinRead = 2048;

Connection::Connection(Stream stream, size_t max_tpkt) : stream_(std::move(stream)), max_tpkt_(max_tpkt) {
  stream_.set_no_delay();
  Reserve(kInitialBuffer);
}

void Connection::Reserve(size_t capacity) {
  if (capacity <= cap_) return;
  // Only the unread octets move; they go to the front.
  auto bigger = std::make_unique_for_overwrite<uint8_t[]>(capacity);
  if (end_ > begin_) std::memcpy(bigger.get(), buf_.get() + begin_, end_ - begin_);
  end_ -= begin_;
  begin_ = 0;
  buf_ = std::move(bigger);
  cap_ = capacity;
}

asio::awaitable<absl::StatusOr<Bytes>> Connection::ReadTpdu(Duration timeout) {
  if (closed_) co_return absl::UnavailableError("connection closed");
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(timeout);
  for (;;) {
    size_t have = end_ - begin_;
    auto frame = transport::NextTpkt(Bytes(buf_.get() + begin_, have), max_tpkt_);
    if (!frame.ok()) co_return frame.status();
    if (frame->has_value()) {
      Bytes tpdu = (*frame)->tpdu;
      begin_ += (*frame)->consumed;
      co_return tpdu;
    }
    // Room for the rest of this TPKT (its header's length once the header is in) and a
    // little more: move the unread octets to the front, and grow when that is not enough.
    size_t need = transport::kTpktHeaderSize;
    if (have >= transport::kTpktHeaderSize) need = (size_t{buf_[begin_ + 2]} << 8) | buf_[begin_ + 3];
    size_t want = std::max(need, have + kMinRead);
    if (cap_ - begin_ < want && begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, have);
      end_ = have;
      begin_ = 0;
    }
    if (cap_ < want) Reserve(std::min(kMaxBuffer, std::max(want, 2 * cap_)));
    size_t room = cap_ - end_;
    auto res = co_await (stream_.async_read_some(asio::buffer(buf_.get() + end_, room), kTuple) ||
                         timer.async_wait(kTuple));
    if (res.index() == 1) co_return absl::DeadlineExceededError("the peer sent nothing in time");
    auto [ec, n] = std::get<0>(res);
    if (ec || n == 0) {
      closed_ = true;
      co_return absl::UnavailableError(ec && ec != asio::error::eof ? ec.message() : "the peer closed the connection");
    }
    end_ += n;
    // A read that filled the buffer means the peer is streaming: read more at a time.
    if (n == room && cap_ < kMaxBuffer) Reserve(std::min(kMaxBuffer, 2 * cap_));
  }
}

asio::awaitable<absl::Status> Connection::Write(const Gather& g, Duration timeout) {
  if (closed_) co_return absl::UnavailableError("connection closed");
  std::vector<asio::const_buffer> bufs;
  bufs.reserve(g.pieces().size());
  for (Bytes p : g.pieces()) bufs.emplace_back(p.data(), p.size());
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(timeout);
  auto res = co_await (rt::WriteAll(stream_, bufs) || timer.async_wait(kTuple));
  if (res.index() == 1) {
    closed_ = true;
    co_return absl::DeadlineExceededError("the peer stopped reading");
  }
  if (boost::system::error_code ec = std::get<0>(res); ec) {
    closed_ = true;
    co_return absl::UnavailableError(ec.message());
  }
  co_return absl::OkStatus();
}

asio::awaitable<absl::Status> Connection::Write(Bytes b, Duration timeout) {
  Gather g;
  g.AddRef(b);
  co_return co_await Write(g, timeout);
}

void Connection::Close() {
  stream_.shutdown_and_close();
  closed_ = true;
}

}  // namespace gw::osi::association
