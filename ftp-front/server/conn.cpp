#include "server/conn.h"

#include <sys/socket.h>

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <openssl/err.h>

#include "runtime/write_all.h"

namespace gw::ftp {
namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

error_code SslError(int ret, SSL* ssl) {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e != 0) return error_code(static_cast<int>(e), asio::error::get_ssl_category());
  (void)ret;
  (void)ssl;
  return asio::error::connection_reset;
}
}  // namespace

Conn::Conn(asio::ip::tcp::socket s) : sock_(std::move(s)) {
  error_code ec;
  sock_.non_blocking(true, ec);
  sock_.set_option(asio::ip::tcp::no_delay(true), ec);
}

Conn::~Conn() { FreeSsl(); }

void Conn::FreeSsl() {
  if (ssl_) SSL_free(ssl_);
  ssl_ = nullptr;
}

void Conn::Close() {
  error_code ec;
  sock_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  sock_.close(ec);
}

asio::awaitable<error_code> Conn::Handshake(bool server) {
  for (;;) {
    ERR_clear_error();
    int r = server ? SSL_accept(ssl_) : SSL_connect(ssl_);
    if (r == 1) co_return error_code{};
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ) {
      auto [ec] = co_await sock_.async_wait(asio::socket_base::wait_read, kTuple);
      if (ec) co_return ec;
    } else if (err == SSL_ERROR_WANT_WRITE) {
      auto [ec] = co_await sock_.async_wait(asio::socket_base::wait_write, kTuple);
      if (ec) co_return ec;
    } else {
      co_return SslError(r, ssl_);
    }
  }
}

asio::awaitable<error_code> Conn::AcceptTls(SSL_CTX* ctx, std::string_view sid_ctx, bool issue_tickets) {
  FreeSsl();
  ssl_ = SSL_new(ctx);
  if (!ssl_) co_return asio::error::no_memory;
  SSL_set_session_id_context(ssl_, reinterpret_cast<const unsigned char*>(sid_ctx.data()),
                             static_cast<unsigned>(sid_ctx.size()));
  SSL_set_fd(ssl_, sock_.native_handle());
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!issue_tickets) SSL_set_num_tickets(ssl_, 0);
  error_code ec = co_await Handshake(true);
  if (ec) FreeSsl();
  co_return ec;
}

asio::awaitable<error_code> Conn::ConnectTls(SSL_CTX* ctx, const std::string& sni, SSL_SESSION* resume) {
  FreeSsl();
  ssl_ = SSL_new(ctx);
  if (!ssl_) co_return asio::error::no_memory;
  SSL_set_fd(ssl_, sock_.native_handle());
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!sni.empty()) {
    SSL_set_tlsext_host_name(ssl_, sni.c_str());
    SSL_set1_host(ssl_, sni.c_str());
  }
  if (resume) SSL_set_session(ssl_, resume);
  error_code ec = co_await Handshake(false);
  if (ec) FreeSsl();
  co_return ec;
}

namespace {
// One SSL_read: its outcome, or the readiness it waits for (WANT_READ / WANT_WRITE).
struct TlsRead {
  std::optional<std::pair<error_code, std::size_t>> done;
  int want = 0;
};

TlsRead ReadTlsOnce(SSL* ssl, std::span<char> buf) {
  ERR_clear_error();
  std::size_t n = 0;
  int r = SSL_read_ex(ssl, buf.data(), buf.size(), &n);
  if (r == 1) return {std::pair{error_code{}, n}};
  int err = SSL_get_error(ssl, r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return {std::nullopt, err};
  if (err == SSL_ERROR_ZERO_RETURN) return {std::pair{error_code(asio::error::eof), std::size_t{0}}};
  if (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
    return {std::pair{error_code(asio::ssl::error::stream_truncated), std::size_t{0}}};
  }
  if (err == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    ERR_clear_error();
    return {std::pair{error_code(asio::ssl::error::stream_truncated), std::size_t{0}}};
  }
  return {std::pair{SslError(r, ssl), std::size_t{0}}};
}
}  // namespace

namespace {
asio::socket_base::wait_type WaitFor(int want) {
  return want == SSL_ERROR_WANT_WRITE ? asio::socket_base::wait_write : asio::socket_base::wait_read;
}
}  // namespace

asio::awaitable<std::pair<error_code, std::size_t>> Conn::ReadSome(std::span<char> buf) {
  if (!ssl_) {
    auto [ec, n] = co_await sock_.async_read_some(asio::buffer(buf.data(), buf.size()), kTuple);
    co_return std::pair{ec, n};
  }
  for (;;) {
    asio::socket_base::wait_type wait;
    if (auto got = TryReadSome(buf, &wait)) co_return *got;
    auto [ec] = co_await sock_.async_wait(wait, kTuple);
    if (ec) co_return std::pair{ec, std::size_t{0}};
  }
}

asio::awaitable<std::optional<std::pair<error_code, std::size_t>>> Conn::ReadSomeWithin(
    std::span<char> buf, std::chrono::steady_clock::duration limit) {
  using namespace asio::experimental::awaitable_operators;
  std::optional<asio::steady_timer> timer;
  for (;;) {
    asio::socket_base::wait_type wait;
    if (auto got = TryReadSome(buf, &wait)) co_return got;
    if (!timer) {
      timer.emplace(co_await asio::this_coro::executor);
      timer->expires_after(limit);
    }
    auto res = co_await (sock_.async_wait(wait, kTuple) || timer->async_wait(kTuple));
    if (res.index() == 1) co_return std::nullopt;
    if (auto [ec] = std::get<0>(res); ec) co_return std::pair{ec, std::size_t{0}};
  }
}

std::optional<std::pair<error_code, std::size_t>> Conn::TryReadSome(std::span<char> buf,
                                                                    asio::socket_base::wait_type* wait) {
  if (ssl_) {
    TlsRead r = ReadTlsOnce(ssl_, buf);
    if (!r.done) *wait = WaitFor(r.want);
    return r.done;
  }
  error_code ec;
  std::size_t n = sock_.read_some(asio::buffer(buf.data(), buf.size()), ec);  // the socket is non-blocking
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    *wait = asio::socket_base::wait_read;
    return std::nullopt;
  }
  return std::pair{ec, n};
}

asio::awaitable<error_code> Conn::WriteAll(const std::vector<asio::const_buffer>& buffers) {
  if (!ssl_) co_return co_await rt::WriteAll(sock_, buffers);
  // Under TLS the pieces (8-16 KiB as gRPC received them) are joined into runs of up to
  // 256 KiB first: one SSL_write per piece made a record, and a send, per piece; joined,
  // records are full-sized. The copy is small beside the encryption that follows.
  constexpr std::size_t kRun = 256 * 1024;
  std::string& run = tls_run_;
  run.clear();
  run.reserve(kRun);
  for (const asio::const_buffer& b : buffers) {
    std::string_view piece(static_cast<const char*>(b.data()), b.size());
    while (!piece.empty()) {
      const std::size_t take = std::min(piece.size(), kRun - run.size());
      run.append(piece.substr(0, take));
      piece.remove_prefix(take);
      if (run.size() == kRun) {
        if (error_code ec = co_await WriteAll(std::string_view(run)); ec) co_return ec;
        run.clear();
      }
    }
  }
  if (!run.empty()) co_return co_await WriteAll(std::string_view(run));
  co_return error_code{};
}

asio::awaitable<error_code> Conn::WriteAll(std::string_view data) {
  if (!ssl_) {
    const asio::const_buffer one(data.data(), data.size());
    co_return co_await rt::WriteAll(sock_, std::span(&one, 1));
  }
  while (!data.empty()) {
    ERR_clear_error();
    std::size_t n = 0;
    int r = SSL_write_ex(ssl_, data.data(), data.size(), &n);
    if (r == 1) {
      data.remove_prefix(n);
      continue;
    }
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_WRITE) {
      auto [ec] = co_await sock_.async_wait(asio::socket_base::wait_write, kTuple);
      if (ec) co_return ec;
    } else if (err == SSL_ERROR_WANT_READ) {
      auto [ec] = co_await sock_.async_wait(asio::socket_base::wait_read, kTuple);
      if (ec) co_return ec;
    } else {
      co_return SslError(r, ssl_);
    }
  }
  co_return error_code{};
}

asio::awaitable<void> Conn::EndTls(bool wait_peer, std::chrono::milliseconds wait) {
  if (!ssl_) co_return;
  using namespace asio::experimental::awaitable_operators;
  ERR_clear_error();
  int r = SSL_shutdown(ssl_);  // sends close_notify
  if (r < 0 && SSL_get_error(ssl_, r) == SSL_ERROR_WANT_WRITE) {
    co_await sock_.async_wait(asio::socket_base::wait_write, kTuple);
    SSL_shutdown(ssl_);
  }
  if (wait_peer && r == 0) {
    // Consume the peer's close_notify if it comes as the next TLS record; a plaintext
    // command (a letter, not a TLS content type 20..23) is left in the socket.
    asio::steady_timer timer(sock_.get_executor());
    timer.expires_after(wait);
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      auto res = co_await (sock_.async_wait(asio::socket_base::wait_read, kTuple) ||
                           timer.async_wait(kTuple));
      if (res.index() == 1) break;
      unsigned char first = 0;
      ssize_t n = ::recv(sock_.native_handle(), &first, 1, MSG_PEEK);
      if (n != 1 || first < 20 || first > 23) break;
      ERR_clear_error();
      int s = SSL_shutdown(ssl_);
      if (s == 1) break;
      int err = SSL_get_error(ssl_, s);
      if (err != SSL_ERROR_WANT_READ) break;
    }
  }
  ERR_clear_error();
  FreeSsl();
}

asio::awaitable<void> Conn::EndTlsPeerFirst(std::chrono::milliseconds wait) {
  if (!ssl_) co_return;
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer timer(sock_.get_executor());
  timer.expires_after(wait);
  auto res = co_await (sock_.async_wait(asio::socket_base::wait_read, kTuple) || timer.async_wait(kTuple));
  unsigned char first = 0;
  if (res.index() == 0 && ::recv(sock_.native_handle(), &first, 1, MSG_PEEK) == 1 && first >= 20 &&
      first <= 23) {
    // The peer's close_notify is waiting: answer with ours and consume it.
    ERR_clear_error();
    if (SSL_shutdown(ssl_) == 0) {
      for (int i = 0; i < 4; ++i) {
        ERR_clear_error();
        int r = SSL_shutdown(ssl_);
        if (r == 1) break;
        if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ) break;
        timer.expires_after(wait);
        auto again = co_await (sock_.async_wait(asio::socket_base::wait_read, kTuple) || timer.async_wait(kTuple));
        if (again.index() == 1) break;
      }
    }
    ERR_clear_error();
    FreeSsl();
    co_return;
  }
  co_await EndTls(false, std::chrono::milliseconds(0));
}

}  // namespace gw::ftp
