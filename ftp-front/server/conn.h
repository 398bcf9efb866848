// A TCP connection that may carry TLS, for the control and data connections alike.
// TLS runs OpenSSL directly on the non-blocking socket, waiting for readiness with Asio:
// OpenSSL then reads exactly the records it needs, so after CCC or REIN (a TLS shutdown
// that leaves the connection open) plaintext that follows stays in the socket, unread.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <openssl/ssl.h>

namespace gw::ftp {

namespace asio = boost::asio;
using boost::system::error_code;

class Conn {
 public:
  explicit Conn(asio::ip::tcp::socket s);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  asio::ip::tcp::socket& socket() { return sock_; }
  bool tls() const { return ssl_ != nullptr; }
  SSL* ssl() { return ssl_; }

  // Server-side handshake. `sid_ctx` is the control connection's session-id context.
  // Data connections issue no TLS 1.3 session tickets: an uploading client never reads
  // them, and unread bytes make its close() a reset that can destroy data still in flight.
  asio::awaitable<error_code> AcceptTls(SSL_CTX* ctx, std::string_view sid_ctx, bool issue_tickets = true);
  // Client-side handshake (outbound legs); `resume` may be null.
  asio::awaitable<error_code> ConnectTls(SSL_CTX* ctx, const std::string& sni, SSL_SESSION* resume);

  // Reads what is available (at least one byte); 0 bytes with no error never happens:
  // the end of the stream is asio::error::eof (TLS: only after close_notify; without it,
  // boost::asio::ssl::error::stream_truncated).
  asio::awaitable<std::pair<error_code, std::size_t>> ReadSome(std::span<char> buf);
  // ReadSome within `limit`: nothing (std::nullopt) if no byte came in time. Only the wait
  // for readiness races the timer, never a read, so a byte that arrives as the time runs
  // out is not lost. What is there already is taken without arming the timer.
  asio::awaitable<std::optional<std::pair<error_code, std::size_t>>> ReadSomeWithin(
      std::span<char> buf, std::chrono::steady_clock::duration limit);
  asio::awaitable<error_code> WriteAll(std::string_view data);
  // A gather write: the buffers in order, without joining them first.
  asio::awaitable<error_code> WriteAll(const std::vector<asio::const_buffer>& buffers);

  // Sends close_notify and leaves TLS. If `wait_peer`, waits up to `wait` for the peer's
  // close_notify (consuming it); a peer that goes on in plaintext is not read.
  asio::awaitable<void> EndTls(bool wait_peer, std::chrono::milliseconds wait);
  // RFC 4217 §12.2 order for CCC: the client sends close_notify first and the server
  // answers. A client that waits for the server instead (curl's default) gets the server's
  // close_notify after `wait`.
  asio::awaitable<void> EndTlsPeerFirst(std::chrono::milliseconds wait);

  void Close();

 private:
  // ReadSome without waiting: nothing (std::nullopt) when no byte can be read now, and then
  // `*wait` is the readiness to wait for (a TLS read may need to write first).
  std::optional<std::pair<error_code, std::size_t>> TryReadSome(std::span<char> buf,
                                                                asio::socket_base::wait_type* wait);
  void FreeSsl();
  asio::awaitable<error_code> Handshake(bool server);

  asio::ip::tcp::socket sock_;
  SSL* ssl_ = nullptr;
  // Where a gather write under TLS joins its pieces (made on the first one, kept for the
  // connection's life: a data connection makes one per transfer, not one per chunk).
  std::string tls_run_;
};

}  // namespace gw::ftp
