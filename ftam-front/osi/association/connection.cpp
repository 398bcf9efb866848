#include "osi/association/connection.h"

#include <cstring>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "absl/strings/str_cat.h"
#include "osi/transport/tpkt.h"

namespace gw::osi::association {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Connection::Connection(asio::ip::tcp::socket socket, size_t max_tpkt)
    : socket_(std::move(socket)), max_tpkt_(max_tpkt), buf_(2 * transport::kTpktMaxPacket + 4096) {
  boost::system::error_code ec;
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

asio::awaitable<absl::StatusOr<Bytes>> Connection::ReadTpdu(Duration timeout) {
  if (closed_) co_return absl::UnavailableError("connection closed");
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(timeout);
  for (;;) {
    auto frame = transport::NextTpkt(Bytes(buf_.data() + begin_, end_ - begin_), max_tpkt_);
    if (!frame.ok()) co_return frame.status();
    if (frame->has_value()) {
      Bytes tpdu = (*frame)->tpdu;
      begin_ += (*frame)->consumed;
      co_return tpdu;
    }
    // Keep room for a whole TPKT after the data already buffered.
    if (buf_.size() - end_ < transport::kTpktMaxPacket) {
      std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    auto res = co_await (socket_.async_read_some(asio::buffer(buf_.data() + end_, buf_.size() - end_), kTuple) ||
                         timer.async_wait(kTuple));
    if (res.index() == 1) co_return absl::DeadlineExceededError("the peer sent nothing in time");
    auto [ec, n] = std::get<0>(res);
    if (ec || n == 0) {
      closed_ = true;
      co_return absl::UnavailableError(ec && ec != asio::error::eof ? ec.message() : "the peer closed the connection");
    }
    end_ += n;
  }
}

asio::awaitable<absl::Status> Connection::Write(const Gather& g, Duration timeout) {
  if (closed_) co_return absl::UnavailableError("connection closed");
  std::vector<asio::const_buffer> bufs;
  bufs.reserve(g.pieces().size());
  for (Bytes p : g.pieces()) bufs.emplace_back(p.data(), p.size());
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(timeout);
  auto res = co_await (asio::async_write(socket_, bufs, kTuple) || timer.async_wait(kTuple));
  if (res.index() == 1) {
    closed_ = true;
    co_return absl::DeadlineExceededError("the peer stopped reading");
  }
  auto [ec, n] = std::get<0>(res);
  if (ec) {
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
  boost::system::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  socket_.close(ec);
  closed_ = true;
}

}  // namespace gw::osi::association
