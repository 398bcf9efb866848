// Data connections: PORT/EPRT (active, only to the client's own address: no FTP bounce,
// RFC 2577 §3), PASV/EPSV (passive, from a configured port range, accepting only the
// client's own address), and TLS on them under PROT P, resuming the control connection's
// session (RFC 4217 §10.2).
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "protocol/address.h"
#include "runtime/log.h"
#include "server/data_channel.h"
#include "server/session.h"

namespace gw::ftp {
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Sets up TLS on a data connection; returns "" or the failure reply text.
awaitable<std::pair<int, std::string>> SecureData(Conn& conn, SSL_CTX* ctx, std::string sid_ctx,
                                                  bool require_reuse, std::chrono::seconds timeout) {
  asio::steady_timer timer(conn.socket().get_executor());
  timer.expires_after(timeout);
  auto res = co_await (conn.AcceptTls(ctx, sid_ctx, false) || timer.async_wait(kTuple));
  if (res.index() == 1) co_return std::pair{425, std::string("TLS handshake on the data connection timed out.")};
  if (std::get<0>(res))
    co_return std::pair{522, "TLS handshake on the data connection failed: " + std::get<0>(res).message() + "."};
  if (require_reuse && !SSL_session_reused(conn.ssl()))
    co_return std::pair{522, std::string("Data connection must resume the control connection's TLS session.")};
  co_return std::pair{0, std::string()};
}

struct AcceptParams {
  std::string session_id, peer_ip, sid_ctx;
  bool same_ip, prot_p, require_reuse;
  SSL_CTX* tls;
  std::chrono::seconds handshake_timeout;
};

awaitable<void> AcceptData(std::shared_ptr<PendingData> p, AcceptParams params) {
  for (;;) {
    auto [ec, sock] = co_await p->acceptor.async_accept(kTuple);
    if (ec) {
      if (!p->delivered) {
        p->error_code = 425;
        p->error = "Cannot open data connection: " + ec.message() + ".";
      }
      break;
    }
    error_code ec2;
    auto remote = sock.remote_endpoint(ec2);
    if (params.same_ip && (ec2 || !SameHost(remote.address().to_string(), params.peer_ip))) {
      log::Info("ftp.data_refused", {{"session", params.session_id}, {"peer", params.peer_ip},
                                     {"from", ec2 ? std::string("?") : remote.address().to_string()},
                                     {"reason", "passive data connection from another address"}});
      sock.close(ec2);
      continue;  // somebody else's connection: keep waiting for the client's
    }
    auto conn = std::make_unique<Conn>(std::move(sock));
    if (params.prot_p) {
      auto [code, text] = co_await SecureData(*conn, params.tls, params.sid_ctx,
                                              params.require_reuse, params.handshake_timeout);
      if (code) {
        p->error_code = code;
        p->error = text;
        conn->Close();
        break;
      }
    }
    p->conn = std::move(conn);
    break;
  }
  error_code ignored;
  p->acceptor.close(ignored);
  p->delivered = true;
  p->ready.Signal(true);
}
}  // namespace

void FtpSession::ClosePassive() {
  if (pasv_) {
    error_code ec;
    pasv_->acceptor.close(ec);
    if (pasv_->conn) pasv_->conn->Close();
    pasv_.reset();
  }
}

std::optional<std::string> FtpSession::DataRefusal() const {
  if (cfg_.require_prot_p && !prot_p_) return "Policy requires PROT P for data connections.";
  return std::nullopt;
}

// RFC 2577 §3: data connections go only to the client's own address, and not to a
// privileged port, so the gateway cannot be used to bounce connections elsewhere.
awaitable<void> FtpSession::SetActive(std::optional<HostPort> hp, std::string_view verb) {
  if (epsv_all_) co_return co_await Reply(503, "EPSV ALL was given: only EPSV is allowed.");
  if (!hp) {
    if (verb == "PORT") co_return co_await Reply(501, "Syntax error in PORT arguments.");
    co_return co_await Reply(522, "Network protocol not supported or bad EPRT argument, use (1,2).");
  }
  if (!SameHost(hp->host, peer_ip_) || hp->port < 1024)
    co_return co_await Reply(500, "Illegal " + std::string(verb) +
                                      " command: data connections go only to your own address, port 1024 or above.");
  ClosePassive();
  active_ = *hp;
  co_await Reply(200, std::string(verb) + " command successful.");
}

awaitable<void> FtpSession::Port(std::string arg) { co_await SetActive(ParsePortArgument(arg), "PORT"); }
awaitable<void> FtpSession::Eprt(std::string arg) { co_await SetActive(ParseEprtArgument(arg), "EPRT"); }

// Opens a passive acceptor on a port of the configured range and starts accepting.
static std::shared_ptr<PendingData> Listen(asio::any_io_executor ex, const asio::ip::address& addr,
                                           uint16_t lo, uint16_t hi) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  unsigned span = hi >= lo ? hi - lo + 1u : 1u;
  unsigned start = std::uniform_int_distribution<unsigned>(0, span - 1)(rng);
  for (unsigned i = 0; i < span; ++i) {
    uint16_t port = static_cast<uint16_t>(lo + (start + i) % span);
    tcp::acceptor acc(ex);
    error_code ec;
    tcp::endpoint ep(addr, port);
    acc.open(ep.protocol(), ec);
    if (ec) continue;
    // A port whose last data connection is in TIME_WAIT can listen again at once.
    acc.set_option(tcp::acceptor::reuse_address(true), ec);
    acc.bind(ep, ec);
    if (ec) continue;
    acc.listen(4, ec);
    if (ec) continue;
    return std::make_shared<PendingData>(std::move(acc));
  }
  return nullptr;
}

awaitable<uint16_t> FtpSession::StartPassive(const asio::ip::address& bind_addr) {
  ClosePassive();
  active_.reset();
  auto ex = co_await asio::this_coro::executor;
  pasv_ = Listen(ex, bind_addr, cfg_.pasv_min, cfg_.pasv_max);
  if (!pasv_) co_return 0;
  asio::co_spawn(ex,
                 AcceptData(pasv_, AcceptParams{session_id_, peer_ip_, sid_ctx_, cfg_.pasv_same_ip, prot_p_,
                                                cfg_.require_tls_reuse && !ccc_done_,
                                                shared_->tls ? shared_->tls->native_handle() : nullptr,
                                                cfg_.tls_handshake_timeout}),
                 asio::detached);
  co_return pasv_->acceptor.local_endpoint().port();
}

awaitable<void> FtpSession::Pasv(std::string) {
  if (epsv_all_) co_return co_await Reply(503, "EPSV ALL was given: only EPSV is allowed.");
  error_code ec;
  auto local = ctrl_.socket().local_endpoint(ec);
  std::string advertised = cfg_.pasv_address.empty() ? local_ip_ : cfg_.pasv_address;
  if (!asio::ip::make_address(advertised, ec).is_v4() || ec)
    co_return co_await Reply(425, "PASV needs IPv4; use EPSV.");
  uint16_t port = co_await StartPassive(local.address());
  if (port == 0) co_return co_await Reply(425, "No passive port free; try again later.");
  co_await Send(FormatPasvReply(advertised, port) + "\r\n");
}

awaitable<void> FtpSession::Epsv(std::string arg) {
  for (char& c : arg) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (arg == "ALL") {
    epsv_all_ = true;
    co_return co_await Reply(200, "EPSV ALL ok: only EPSV from now on.");
  }
  error_code ec;
  auto local = ctrl_.socket().local_endpoint(ec);
  if (!arg.empty() && !(arg == "1" && local.address().is_v4()) && !(arg == "2" && local.address().is_v6()))
    co_return co_await Reply(522, std::string("Network protocol not supported, use (") +
                                      (local.address().is_v4() ? "1" : "2") + ").");
  uint16_t port = co_await StartPassive(local.address());
  if (port == 0) co_return co_await Reply(425, "No passive port free; try again later.");
  co_await Reply(229, FormatEpsvReply(port).substr(4));
}

awaitable<void> FtpSession::RefuseData(int code, std::string text) {
  log::Info("ftp.data_refused", {{"session", session_id_}, {"peer", peer_ip_}, {"user", user_},
                                 {"code", code}, {"reason", text}});
  co_await Reply(code, text);
}

awaitable<std::unique_ptr<Conn>> FtpSession::OpenData() {
  if (auto refusal = DataRefusal()) {
    co_await Reply(521, *refusal);
    co_return nullptr;
  }
  if (pasv_) {
    auto p = pasv_;
    pasv_.reset();
    if (!p->delivered) {
      asio::steady_timer timer(co_await asio::this_coro::executor);
      timer.expires_after(cfg_.data_connect_timeout);
      auto res = co_await (p->ready.Wait() || timer.async_wait(kTuple));
      if (res.index() == 1) {
        error_code ec;
        p->acceptor.close(ec);
        co_await RefuseData(425, "Data connection not opened within " +
                                     std::to_string(cfg_.data_connect_timeout.count()) + " s.");
        co_return nullptr;
      }
    }
    if (!p->conn) {
      co_await RefuseData(p->error_code ? p->error_code : 425,
                          p->error.empty() ? "Cannot open data connection." : p->error);
      co_return nullptr;
    }
    co_return std::move(p->conn);
  }
  if (active_) {
    HostPort hp = *active_;
    active_.reset();
    error_code ec;
    auto addr = asio::ip::make_address(hp.host, ec);
    if (ec) {
      co_await Reply(425, "Bad data connection address.");
      co_return nullptr;
    }
    tcp::socket sock(co_await asio::this_coro::executor);
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(cfg_.data_connect_timeout);
    auto res = co_await (sock.async_connect(tcp::endpoint(addr, hp.port), kTuple) || timer.async_wait(kTuple));
    if (res.index() == 1 || std::get<0>(std::get<0>(res))) {
      co_await RefuseData(425, "Cannot open data connection to " + hp.host + " port " + std::to_string(hp.port) + ".");
      co_return nullptr;
    }
    auto conn = std::make_unique<Conn>(std::move(sock));
    if (prot_p_) {
      auto [code, text] = co_await SecureData(*conn, shared_->tls->native_handle(), sid_ctx_,
                                              cfg_.require_tls_reuse && !ccc_done_,
                                              cfg_.tls_handshake_timeout);
      if (code) {
        conn->Close();
        co_await RefuseData(code, text);
        co_return nullptr;
      }
    }
    co_return conn;
  }
  co_await Reply(425, "Use PORT, EPRT, PASV or EPSV first.");
  co_return nullptr;
}

}  // namespace gw::ftp
