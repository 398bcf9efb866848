#include "server/listener.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/util.h"

namespace gw::ftp {
using asio::awaitable;
using asio::ip::tcp;

namespace {
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

awaitable<void> RunSession(std::shared_ptr<ServerShared> shared, std::shared_ptr<SessionLimits> limits,
                           tcp::socket sock, bool implicit_tls, std::string ip) {
  auto& m = metrics::Registry::Global();
  m.Add("gw_ftp_sessions_active", {}, 1);
  m.Add("gw_ftp_sessions_total", {{"port", implicit_tls ? "implicit" : "explicit"}}, 1);
  try {
    FtpSession session(shared, std::move(sock), implicit_tls, rt::RandomHex(8));
    co_await session.Run();
  } catch (const std::exception& e) {
    log::Error("ftp.session_exception", {{"peer", ip}, {"error", e.what()}});
  }
  m.Add("gw_ftp_sessions_active", {}, -1);
  limits->Release(ip);
}

awaitable<void> Refuse(tcp::socket sock, std::string reason) {
  // Plain 421 on the explicit port; the implicit port just closes (no TLS yet).
  std::string text = "421 " + reason + "\r\n";
  co_await asio::async_write(sock, asio::buffer(text), kTuple);
  error_code ec;
  sock.shutdown(tcp::socket::shutdown_both, ec);
}
}  // namespace

std::string SessionLimits::Admit(const std::string& ip) {
  std::lock_guard lock(mu_);
  if (total_ >= max_total_) return "Too many sessions on this server (" + std::to_string(max_total_) + "); try again later.";
  if (per_ip_[ip] >= max_per_ip_)
    return "Too many sessions from your address (" + std::to_string(max_per_ip_) + "); try again later.";
  ++total_;
  ++per_ip_[ip];
  return "";
}

void SessionLimits::Release(const std::string& ip) {
  std::lock_guard lock(mu_);
  --total_;
  if (--per_ip_[ip] == 0) per_ip_.erase(ip);
}

awaitable<void> AcceptLoop(tcp::acceptor acceptor, std::shared_ptr<ServerShared> shared,
                           std::shared_ptr<SessionLimits> limits, bool implicit_tls) {
  asio::steady_timer backoff(acceptor.get_executor());
  for (;;) {
    // Each session gets its own strand on the shared io_context.
    auto strand = asio::make_strand(acceptor.get_executor());
    auto [ec, sock] = co_await acceptor.async_accept(strand, kTuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // A failed accept (e.g. out of descriptors) is logged and retried, never fatal.
      log::Warn("ftp.accept_failed", {{"error", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    error_code ec2;
    std::string ip = sock.remote_endpoint(ec2).address().to_string();
    if (ec2) continue;
    std::string refusal = limits->Admit(ip);
    if (!refusal.empty()) {
      log::Warn("ftp.session_refused", {{"peer", ip}, {"reason", refusal}});
      if (!implicit_tls) asio::co_spawn(strand, Refuse(std::move(sock), refusal), asio::detached);
      continue;
    }
    asio::co_spawn(strand, RunSession(shared, limits, std::move(sock), implicit_tls, ip),
                   [ip](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       log::Error("ftp.session_failed", {{"peer", ip}, {"error", ex.what()}});
                     }
                   });
  }
}

}  // namespace gw::ftp
